"""/api/v1/customers/: roles, masking in the list and not in the detail, the access log,
search, validation, ids that cannot exist, and a fixed number of queries."""

import pytest
from rest_framework.test import APIClient

from interactions.models import AccessLog, Archetype, Customer
from tests.api_support import API, session_client, token_client
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created with a password: hash it quickly in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


LIST = f"{API}/customers/"


def detail(customer_id) -> str:
    return f"{API}/customers/{customer_id}/"


@pytest.fixture
def clients(agent, other_agent, lead, admin_user):
    return {
        "agent": session_client(agent),
        "other_agent": session_client(other_agent),
        "lead": session_client(lead),
        "admin": session_client(admin_user),
        "token": token_client(agent),
    }


def test_every_role_lists_customers_with_contact_details_masked(clients, customer):
    for role, client in clients.items():
        response = client.get(LIST)
        assert response.status_code == 200, role
        body = response.json()
        assert set(body) == {"results", "next", "previous"}
        row = next(item for item in body["results"] if item["id"] == customer.pk)
        assert row["phone"] == "010-****-5678", role
        assert row["email"] == "k***@example.com", role
        assert row["name"] == "김영희"


def test_every_role_reads_one_customer_in_full_and_it_is_logged(clients, customer):
    for role, client in clients.items():
        response = client.get(detail(customer.pk))
        assert response.status_code == 200, role
        body = response.json()
        assert body["phone"] == "010-1234-5678", role
        assert body["email"] == "kim@example.com", role
        entry = AccessLog.objects.filter(customer=customer).first()  # newest first
        assert entry.action == AccessLog.Action.VIEW_CUSTOMER
        assert entry.path == detail(customer.pk)
        assert entry.user is not None
    assert AccessLog.objects.filter(customer=customer).count() == len(clients)


def test_the_list_is_not_logged_as_personal_data_viewed(clients, customer):
    clients["agent"].get(LIST)
    assert not AccessLog.objects.exists()


def test_anonymous_gets_401_and_nothing_is_logged(customer):
    assert APIClient().get(detail(customer.pk)).status_code == 401
    assert APIClient().post(LIST, {"name": "X"}).status_code == 401
    assert not AccessLog.objects.exists()


def test_fields_and_read_only_archetype(clients, customer, lead):
    customer.archetype = Archetype.LOYAL_ANNOYED
    customer.archetype_source = Customer.ArchetypeSource.MANUAL
    customer.archetype_reason = "Two late deliveries after years of praise"
    customer.save()
    body = clients["agent"].get(detail(customer.pk)).json()
    assert set(body) == {
        "id",
        "name",
        "phone",
        "email",
        "external_ref",
        "notes",
        "archetype",
        "archetype_source",
        "archetype_reason",
    }
    assert body["archetype"] == "loyal_annoyed"
    assert body["archetype_source"] == "manual"
    assert body["archetype_reason"] == "Two late deliveries after years of praise"
    # Nobody sets the archetype through the API, a lead included: the field is read-only.
    changed = clients["lead"].patch(detail(customer.pk), {"archetype": "active_hater"})
    assert changed.status_code == 200
    customer.refresh_from_db()
    assert customer.archetype == Archetype.LOYAL_ANNOYED


def test_an_unclassified_customer_has_null_archetype_and_source(clients, customer):
    body = clients["agent"].get(detail(customer.pk)).json()
    assert body["archetype"] is None and body["archetype_source"] is None


def test_every_role_creates_a_customer(clients):
    for role, client in clients.items():
        body = {
            "name": "  Alex Kim ",
            "phone": "010-2222-3333",
            "email": "alex@example.com",
            "external_ref": f"CRM-{role}",
            "notes": "Prefers e-mail",
        }
        response = client.post(LIST, body)
        assert response.status_code == 201, (role, response.content)
        created = response.json()
        assert created["name"] == "Alex Kim"
        assert created["phone"] == "010-2222-3333"  # the caller's own input, unmasked
        customer = Customer.objects.get(pk=created["id"])
        assert customer.external_ref == f"CRM-{role}"
        assert customer.phone_digits == "01022223333"
        assert customer.created_by is not None


def test_every_role_updates_contact_details_and_notes(clients, customer):
    for role, client in clients.items():
        notes = f"VIP ({role})"
        response = client.patch(detail(customer.pk), {"phone": "02-555-0101", "notes": notes})
        assert response.status_code == 200, role
        customer.refresh_from_db()
        assert (customer.phone, customer.notes) == ("02-555-0101", notes)
        assert customer.name == "김영희"  # untouched


def test_put_and_delete_are_not_allowed(clients, customer):
    assert clients["admin"].put(detail(customer.pk), {"name": "X"}).status_code == 405
    assert clients["admin"].delete(detail(customer.pk)).status_code == 405
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_a_user_without_a_role_gets_403(no_role_user, customer):
    client = token_client(no_role_user)
    assert client.get(LIST).status_code == 403
    assert client.get(detail(customer.pk)).status_code == 403
    assert client.post(LIST, {"name": "X"}).status_code == 403


BAD_CUSTOMERS = [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 121}, "name"),
    ({"name": "A", "phone": "call me"}, "phone"),
    ({"name": "A", "phone": "1" * 33}, "phone"),
    ({"name": "A", "email": "not-an-address"}, "email"),
    ({"name": "A", "external_ref": "r" * 65}, "external_ref"),
    ({"name": "A", "notes": "n" * 4001}, "notes"),
    ({"name": "A\x00B"}, "name"),
    ({"name": ["A"]}, "name"),
    ({"name": {"first": "A"}}, "name"),
]


def test_bad_input_is_400_naming_the_field_and_writes_nothing(clients):
    for body, field in BAD_CUSTOMERS:
        response = clients["agent"].post(LIST, body)
        assert response.status_code == 400, body
        assert field in response.json(), body
    assert not Customer.objects.exists()


def test_maximum_lengths_are_accepted(clients):
    body = {"name": "가" * 120, "external_ref": "r" * 64, "notes": "n" * 4000}
    assert clients["agent"].post(LIST, body).status_code == 201


def test_a_reference_already_taken_is_400_naming_it(clients, customer):
    customer.external_ref = "CRM-1"
    customer.save()
    response = clients["agent"].post(LIST, {"name": "Other", "external_ref": "CRM-1"})
    assert response.status_code == 400
    assert "external_ref" in response.json()
    other = CustomerFactory(external_ref="CRM-2")
    response = clients["agent"].patch(detail(other.pk), {"external_ref": "CRM-1"})
    assert response.status_code == 400
    assert "external_ref" in response.json()
    # Keeping one's own reference is no conflict.
    assert clients["agent"].patch(detail(customer.pk), {"external_ref": "CRM-1"}).status_code == 200


def test_ids_that_cannot_exist_are_404(clients):
    for bad_id in ["-1", "0", str(2**63), str(2**64), "junk", "1e3", "١"]:
        for method in ("get", "patch"):
            response = getattr(clients["lead"], method)(f"{API}/customers/{bad_id}/")
            assert response.status_code == 404, (method, bad_id)
            assert response["Content-Type"] == "application/json"


def test_an_unknown_id_is_404(clients, customer):
    assert clients["agent"].get(detail(customer.pk + 1000)).status_code == 404


# --- Search -----------------------------------------------------------------------


def test_q_searches_name_phone_and_reference(clients):
    kim = CustomerFactory(name="김민수", phone="010-9876-1111", external_ref="CRM-77")
    CustomerFactory(name="Alex Park", phone="010-1212-3434")

    def found(term):
        response = clients["agent"].get(LIST, {"q": term})
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert found("민수") == [kim.pk]
    assert found("9876") == [kim.pk]
    assert found("CRM-77") == [kim.pk]
    assert found("nobody") == []
    assert len(found("")) == 2  # no term: every customer


def test_a_bad_search_term_is_400_naming_q(clients):
    for term in ["x" * 201, "a\x00b", "a\x1bb"]:
        response = clients["agent"].get(LIST, {"q": term})
        assert response.status_code == 400, term
        assert "q" in response.json()


# --- Pagination and queries -------------------------------------------------------


def test_pages_link_to_each_other_without_counting(clients, settings):
    settings.EMOTIONCARE_API_PAGE_SIZE = 2
    CustomerFactory.create_batch(5)
    first = clients["agent"].get(LIST).json()
    assert len(first["results"]) == 2 and first["previous"] is None
    second = clients["agent"].get(first["next"]).json()
    third = clients["agent"].get(second["next"]).json()
    assert len(third["results"]) == 1 and third["next"] is None
    assert clients["agent"].get(third["previous"]).json() == second
    ids = [row["id"] for page in (first, second, third) for row in page["results"]]
    assert len(set(ids)) == 5


def test_a_bad_page_number_or_size_is_400_naming_it(clients):
    for page in ["0", "-1", "junk", str(2**63), "100001"]:
        response = clients["agent"].get(LIST, {"page": page})
        assert response.status_code == 400, page
        assert "page" in response.json()
    for size in ["0", "201", "x"]:
        response = clients["agent"].get(LIST, {"page_size": size})
        assert response.status_code == 400, size
        assert "page_size" in response.json()


SUGGESTED = {
    "archetype": Archetype.ACTIVE_HATER,
    "archetype_source": Customer.ArchetypeSource.SUGGESTED,
    "archetype_basis": {"reason": "not_enough_history", "contacts": 1, "needed": 3},
}


def test_a_suggested_archetype_comes_with_the_rules_reason_in_words(clients):
    customer = CustomerFactory(**SUGGESTED)
    body = clients["agent"].get(detail(customer.pk)).json()
    assert body["archetype_source"] == "suggested"
    assert body["archetype_reason"] == "Only 1 contact so far; a suggestion needs 3."


def test_the_list_runs_a_fixed_number_of_queries(agent, django_assert_max_num_queries):
    client = token_client(agent)
    CustomerFactory.create_batch(3, **SUGGESTED)
    with django_assert_max_num_queries(10) as small:
        assert client.get(LIST).status_code == 200
    CustomerFactory.create_batch(60, **SUGGESTED)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST, {"page_size": 63})
    assert len(response.json()["results"]) == 63
