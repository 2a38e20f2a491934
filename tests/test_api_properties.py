"""Property-based tests (hypothesis) on the API's serializers and write endpoints:
whatever JSON arrives, the answer is a validation error or a saved row, never an
exception, a 5xx or a partial write. Bounded (max_examples) to keep CI fast."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIRequestFactory

from interactions.api.serializers import (
    CustomerSerializer,
    InteractionSerializer,
    PeriodQuerySerializer,
    SuggestQuerySerializer,
)
from interactions.models import Customer, IdempotencyKey, Interaction
from tests.api_support import API, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created with a password: hash it quickly in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


BOUNDED = settings(
    max_examples=50,
    deadline=None,
    database=None,  # no example store in the working tree; every run starts fresh
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any JSON document (what the parser can hand a serializer), kept small.
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
offsets = st.timedeltas(min_value=dt.timedelta(hours=-23), max_value=dt.timedelta(hours=23))
aware_times = st.builds(
    lambda moment, offset: moment.replace(tzinfo=dt.timezone(offset)).isoformat(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    offsets,
)
times = aware_times | st.datetimes().map(dt.datetime.isoformat) | json_values
codes = st.sampled_from(["phone", "email", "anger", "neutral", "gratitude", "delivery"])
long_text = st.text(min_size=3990, max_size=4010, alphabet="가a😀 ")


def interaction_fields(customer_id):
    """Each field: a plausible value or anything at all, so examples reach every check."""
    return st.fixed_dictionaries(
        {},
        optional={
            "customer": st.just(customer_id) | st.integers() | json_values,
            "occurred_at": times,
            "channel": codes | json_values,
            "touchpoint": codes | st.none() | json_values,
            "emotion_start": codes | json_values,
            "emotion_end": codes | st.none() | json_values,
            "intensity": st.integers(min_value=-3, max_value=8) | json_values,
            "cues": st.lists(st.sampled_from(["words", "tone", "x"]), max_size=5) | json_values,
            "summary": st.text(max_size=60) | long_text | json_values,
            "is_complaint": st.booleans() | json_values,
            "complaint_status": st.sampled_from(["", "open", "resolved", "?"]) | json_values,
            "response_template": st.none() | st.integers() | json_values,
            "response_text": st.text(max_size=60) | json_values,
            "outcome": st.sampled_from(["", "satisfied", "meh"]) | json_values,
            "follow_up_on": st.dates().map(dt.date.isoformat) | st.none() | json_values,
        },
    )


customer_fields = st.fixed_dictionaries(
    {},
    optional={
        "name": st.text(max_size=130) | json_values,
        "phone": st.from_regex(r"\+?[0-9 ()\-]{0,34}", fullmatch=True) | json_values,
        "email": st.emails() | st.text(max_size=30) | json_values,
        "external_ref": st.text(max_size=70) | json_values,
        "notes": st.text(max_size=50) | long_text | json_values,
        "archetype": json_values,
    },
)


@pytest.fixture
def api_request(agent):
    request = APIRequestFactory().post(f"{API}/interactions/")
    request.user = agent
    return request


def only_field_errors(serializer, data) -> None:
    """is_valid never raises; its errors name fields the serializer knows."""
    if not serializer.is_valid():
        allowed = set(serializer.fields) | {"non_field_errors"}
        assert set(serializer.errors) <= allowed, (data, serializer.errors)


@BOUNDED
@given(data=st.data())
def test_the_interaction_serializer_only_ever_reports_field_errors(api_request, customer, data):
    body = data.draw(interaction_fields(customer.pk))
    serializer = InteractionSerializer(data=body, context={"request": api_request})
    only_field_errors(serializer, body)


@BOUNDED
@given(body=customer_fields)
def test_the_customer_serializer_only_ever_reports_field_errors(reference, body):
    only_field_errors(CustomerSerializer(data=body), body)


@BOUNDED
@given(body=st.fixed_dictionaries({}, optional={"since": times, "until": times}))
def test_the_period_query_only_ever_reports_field_errors(body):
    only_field_errors(PeriodQuerySerializer(data=body), body)


@BOUNDED
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "emotion": codes | json_values,
            "customer": st.integers() | json_values,
            "channel": codes | json_values,
        },
    )
)
def test_the_suggest_query_only_ever_reports_field_errors(reference, body):
    only_field_errors(SuggestQuerySerializer(data=body), body)


@BOUNDED
@given(data=st.data())
def test_posting_any_interaction_gives_201_or_400_and_never_a_partial_write(agent, customer, data):
    client = token_client(agent)
    body = data.draw(interaction_fields(customer.pk))
    before = Interaction.objects.count(), IdempotencyKey.objects.count()
    key = data.draw(st.none() | st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True))
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    response = client.post(f"{API}/interactions/", body, **headers)
    after = Interaction.objects.count(), IdempotencyKey.objects.count()
    assert response.status_code in (201, 400, 422), (body, response.content)
    if response.status_code == 201:
        assert after[0] == before[0] + 1
    else:
        assert after == before


@BOUNDED
@given(body=customer_fields)
def test_posting_any_customer_gives_201_or_400_and_never_a_partial_write(agent, body):
    client = token_client(agent)
    before = Customer.objects.count()
    response = client.post(f"{API}/customers/", body)
    assert response.status_code in (201, 400), (body, response.content)
    assert Customer.objects.count() == before + (response.status_code == 201)
