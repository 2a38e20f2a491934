"""Who may call what, for EVERY URL the project resolves (issue 5, "Proof").

`TABLE` below is the permission table: for each URL name and each HTTP method its view
accepts, the outcome for each actor. A URL the table does not list, or a method a view
accepts that the table does not decide, fails `test_every_url_is_in_the_matrix` /
`test_the_matrix_lists_each_method_the_view_accepts`: a new page or endpoint cannot be
added without deciding who may use it.

Actors (columns, in this order): anonymous, agent A (owns the interaction, the personal
template and the break nudge used below), agent B, a lead, an admin, and agent A's API
token (``Authorization: Token ...``, no session: the pages treat it as anonymous).

Outcomes: ``ok`` (2xx), ``bad`` (the request passed every permission check but its empty
body was refused: a 400, or the form shown again with its errors), ``redirect`` (3xx
elsewhere than a login page), ``login`` (3xx to the login page or the admin's), or a
status code (``401``, ``403``, ``404``, ``405``). Requests carry an empty body unless
`BODIES` gives one (Django's FormView treats PUT as POST). Every request runs in a
savepoint that is rolled back, with the client's cookies restored, so no cell depends on
another; the data set is made once per module.

Methods a view does not accept (of GET, POST, PUT, PATCH, DELETE) must answer 405, or the
refusal that actor gets for the view's own methods (a role check may come first); never
a success and never a 5xx.

The Django admin is covered by a sample: its index and, for every registered model, the
changelist, the add page and the change page of one row (`ADMIN_MODELS`).
"""

import json
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from interactions import models
from tests import proof_support
from tests.factories import emotion
from tests.proof_support import ACTORS

pytestmark = pytest.mark.django_db

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
DENIALS = {"login", "401", "403", "404"}


def row(text: str) -> dict[str, str]:
    """'login ok ok ok ok login' -> {actor: outcome}, in the order of ACTORS."""
    cells = text.split()
    assert len(cells) == len(ACTORS), text
    return dict(zip(ACTORS, cells, strict=True))


# The permission table. One line per URL name and group of methods ("*": every method;
# a line starting with spaces continues the URL above). "bad": allowed, but the empty
# body was refused (400, or the form shown again with its errors). The objects behind
# the ids: `url_kwargs`; the bodies and query strings sent: BODIES, QUERIES.
TABLE = """
# url name                         methods   anon     agent_a  agent_b  lead     admin    token
# --- Accounts and language (logged-in users are sent on from the login page)
login                              GET       ok       redirect redirect redirect redirect ok
                                   POST,PUT  bad      redirect redirect redirect redirect bad
# logout: a real log-out for the logged-in, which ends on the login page
logout                             POST      login    login    login    login    login    login
set_language                       *         redirect redirect redirect redirect redirect redirect
# --- Logging, the list, one interaction (agent A's)
interactions:home                  GET       login    ok       ok       ok       ok       login
                                   POST,PUT  login    bad      bad      bad      bad      login
interactions:new                   GET       login    ok       ok       ok       ok       login
                                   POST,PUT  login    bad      bad      bad      bad      login
interactions:list                  GET       login    ok       ok       ok       ok       login
interactions:export                GET       login    403      403      ok       ok       login
interactions:export-xlsx           GET       login    403      403      ok       ok       login
interactions:detail                GET       login    ok       ok       ok       ok       login
interactions:edit                  GET       login    ok       403      ok       ok       login
                                   POST,PUT  login    bad      403      bad      bad      login
interactions:skill-review          GET       login    403      403      ok       ok       login
                                   POST,PUT  login    403      403      bad      bad      login
interactions:praise                POST      login    redirect 403      redirect redirect login
# --- Customers (customer C)
interactions:customer-list         GET       login    ok       ok       ok       ok       login
interactions:customer-new          GET       login    ok       ok       ok       ok       login
                                   POST,PUT  login    bad      bad      bad      bad      login
interactions:customer-search       GET       login    ok       ok       ok       ok       login
interactions:customer-detail       GET       login    ok       ok       ok       ok       login
interactions:customer-archetype    POST      login    403      403      bad      bad      login
interactions:customer-edit         GET       login    ok       ok       ok       ok       login
                                   POST,PUT  login    bad      bad      bad      bad      login
interactions:customer-reveal-phone POST      login    ok       ok       ok       ok       login
interactions:customer-export-data  POST      login    403      403      ok       ok       login
interactions:customer-erase        GET       login    403      403      403      ok       login
                                   POST,PUT  login    403      403      403      bad      login
# --- Helpers of the log form
interactions:phrase-check          POST      login    ok       ok       ok       ok       login
interactions:suggestions           GET       login    ok       ok       ok       ok       login
interactions:agent-search          GET       login    ok       ok       ok       ok       login
# --- Templates (the team template T: deactivated, never deleted) and the phrase guide
interactions:template-list         GET       login    ok       ok       ok       ok       login
interactions:template-new          GET       login    ok       ok       ok       ok       login
                                   POST,PUT  login    bad      bad      bad      bad      login
interactions:template-detail       GET       login    ok       ok       ok       ok       login
interactions:template-edit         GET       login    403      403      403      ok       login
                                   POST,PUT  login    403      403      403      bad      login
interactions:template-active       POST      login    403      403      403      redirect login
interactions:template-delete       GET,POST  login    403      403      403      403      login
interactions:phrase-rule-list      GET       login    ok       ok       ok       ok       login
interactions:phrase-rule-new       GET       login    403      403      403      ok       login
                                   POST,PUT  login    403      403      403      bad      login
interactions:phrase-rule-detail    GET       login    ok       ok       ok       ok       login
interactions:phrase-rule-edit      GET       login    403      403      403      ok       login
                                   POST,PUT  login    403      403      403      bad      login
interactions:phrase-rule-active    POST      login    403      403      403      redirect login
# --- Wellbeing (agent A's nudge N)
interactions:reflection            GET       login    ok       ok       ok       ok       login
                                   POST,PUT  login    bad      bad      bad      bad      login
interactions:me                    GET       login    ok       ok       ok       ok       login
interactions:break                 GET       login    ok       ok       ok       ok       login
interactions:nudge-answer          POST      login    redirect 404      404      404      login
interactions:team-care             GET       login    403      403      ok       ok       login
# --- Dashboard, import, access log
interactions:start                 GET       login    redirect redirect redirect redirect login
interactions:dashboard             GET       login    403      403      ok       ok       login
interactions:dashboard-export-csv  GET       login    403      403      ok       ok       login
interactions:dashboard-export-xlsx GET       login    403      403      ok       ok       login
interactions:import                GET       login    403      403      ok       ok       login
                                   POST,PUT  login    403      403      bad      bad      login
interactions:import-sample         GET       login    403      403      ok       ok       login
interactions:access-log            GET       login    403      403      ok       ok       login
interactions:access-log-export     GET       login    403      403      ok       ok       login
# --- REST API (the token column: agent A's token; the docs page is a browser page)
api:token                          POST      bad      bad      bad      bad      bad      bad
api:stats-summary                  GET       401      403      403      ok       ok       403
api:customer-list                  GET       401      ok       ok       ok       ok       ok
                                   POST      401      bad      bad      bad      bad      bad
api:customer-detail                GET,PATCH 401      ok       ok       ok       ok       ok
api:interaction-list               GET       401      ok       ok       ok       ok       ok
                                   POST      401      bad      bad      bad      bad      bad
api:interaction-detail             GET       401      ok       ok       ok       ok       ok
                                   PATCH     401      ok       403      ok       ok       ok
api:emotion-list                   GET       401      ok       ok       ok       ok       ok
api:channel-list                   GET       401      ok       ok       ok       ok       ok
api:template-list                  GET       401      ok       ok       ok       ok       ok
api:template-suggest               GET       401      ok       ok       ok       ok       ok
api:schema                         GET       401      ok       ok       ok       ok       ok
api:docs                           GET       login    ok       ok       ok       ok       ok
"""


def parse(table: str) -> dict[str, dict[str, dict[str, str]]]:
    """TABLE -> {url name: {method: {actor: outcome}}}."""
    matrix: dict[str, dict[str, dict[str, str]]] = {}
    name = ""
    for line in table.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split()
        if not line[0].isspace():
            name, cells = cells[0], cells[1:]
        methods = METHODS if cells[0] == "*" else cells[0].split(",")
        outcomes = row(" ".join(cells[1:]))
        for method in methods:
            assert method in METHODS and method not in matrix.get(name, {}), (name, method)
            matrix.setdefault(name, {})[method] = outcomes
    return matrix


MATRIX = parse(TABLE)

# Methods a view does not accept answer 405 (or a refusal, see the module docstring),
# except where the view answers before it looks at the method:
NOT_ACCEPTED = {
    # LoginView(redirect_authenticated_user=True) sends logged-in users on first.
    "login": row("405 redirect redirect redirect redirect 405"),
}

# Bodies and query strings where an empty request would not reach the permission check
# that matters (the rest get an empty body).
BODIES = {
    "interactions:praise": lambda w: {"action": "clear"},
    "interactions:nudge-answer": lambda w: {"answer": "dismiss"},
    "interactions:customer-reveal-phone": lambda w: {"customer": w["customer"].pk},
    "interactions:phrase-check": lambda w: {"text": "unfortunately"},
    "interactions:template-active": lambda w: {"active": "0"},
    "interactions:phrase-rule-active": lambda w: {"active": "0"},
}
QUERIES = {
    "api:template-suggest": lambda w: {"emotion": "anger", "customer": w["customer"].pk},
    "interactions:suggestions": lambda w: {"emotion_start": emotion("anger").pk},
    "interactions:customer-search": lambda w: {"q": "김"},
    "interactions:agent-search": lambda w: {"q": "agent"},
}


def url_kwargs(name: str, world) -> dict:
    """The real objects behind the ids of each URL."""
    ids = {
        "interactions:detail": world["interaction"],
        "interactions:edit": world["interaction"],
        "interactions:skill-review": world["interaction"],
        "interactions:praise": world["interaction"],
        "interactions:customer-detail": world["customer"],
        "interactions:customer-archetype": world["customer"],
        "interactions:customer-edit": world["customer"],
        "interactions:customer-export-data": world["customer"],
        "interactions:customer-erase": world["customer"],
        "interactions:template-detail": world["team_template"],
        "interactions:template-edit": world["team_template"],
        "interactions:template-active": world["team_template"],
        "interactions:template-delete": world["team_template"],
        "interactions:phrase-rule-detail": world["rule"],
        "interactions:phrase-rule-edit": world["rule"],
        "interactions:phrase-rule-active": world["rule"],
        "interactions:nudge-answer": world["nudge"],
        "api:customer-detail": world["customer"],
        "api:interaction-detail": world["interaction"],
    }
    if name in ids:
        return {"pk": ids[name].pk}
    if name.startswith("interactions:dashboard-export"):
        return {"panel": "trend"}
    return {}


world = proof_support.world_fixture()


def call(client: Client, method: str, url: str, *, api: bool, body=None, query=None):
    """One request with the body a page or the API takes; rolled back."""
    kwargs = {}
    if method == "GET":
        kwargs["data"] = query or {}
    else:
        if query:
            url = f"{url}?{urlencode(query)}"
        if api and method != "DELETE":
            kwargs = {"data": json.dumps(body or {}), "content_type": "application/json"}
        elif method == "POST":
            kwargs["data"] = body or {}
    return proof_support.rolled_back(client, method, url, **kwargs)


def outcome(response) -> str:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith(("/accounts/login/", "/admin/login/")):
            return "login"
        return "redirect"
    if code == 400:
        return "bad"
    if code == 200 and response.context is not None:
        form = response.context.get("form")
        if form is not None and form.is_bound and form.errors:
            return "bad"
    if 200 <= code < 300:
        return "ok"
    return str(code)


# --- Walking the URL configuration ------------------------------------------------------


def walk(patterns, namespace=""):
    """(name, pattern) of every URL pattern, recursively, names with their namespace."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            yield (f"{namespace}:{name}" if namespace else name), pattern


def project_urls() -> dict:
    """Every URL pattern except the Django admin's (sampled by ADMIN_MODELS)."""
    return {
        name: pattern
        for name, pattern in walk(get_resolver().url_patterns)
        if not name.startswith("admin:")
    }


def accepted_methods(pattern) -> set[str] | None:
    """The methods the view behind a pattern serves, or None for a function view."""
    callback = pattern.callback
    actions = getattr(callback, "actions", None)  # a DRF viewset route
    if actions is not None:
        # (DRF adds "head" to the actions on the first GET: only METHODS count here.)
        served = callback.cls.http_method_names
        return {m.upper() for m in actions if m in served and m.upper() in METHODS}
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:
        return None
    return {
        method
        for method in METHODS
        if method.lower() in view_class.http_method_names and hasattr(view_class, method.lower())
    }


def test_every_url_is_in_the_matrix():
    urls = set(project_urls())
    assert not urls - set(MATRIX), "URLs without a row in MATRIX: decide who may use them"
    assert not set(MATRIX) - urls, "MATRIX rows for URLs that no longer exist"


def test_the_matrix_lists_each_method_the_view_accepts():
    for name, pattern in project_urls().items():
        methods = accepted_methods(pattern)
        if methods is None:  # a function view (set_language): the row lists every method
            assert set(MATRIX[name]) == set(METHODS), name
        else:
            assert set(MATRIX[name]) == methods, f"{name}: the view accepts {sorted(methods)}"


# --- The matrix ---------------------------------------------------------------------------


def run_row(name: str, world) -> list[str]:
    """Every actor x every method on one URL; the mismatches, described."""
    url = reverse(name, kwargs=url_kwargs(name, world))
    api = name.startswith("api:")
    body = BODIES.get(name, lambda w: None)(world)
    query = QUERIES.get(name, lambda w: None)(world)
    expected_by_method = MATRIX[name]
    main = next(iter(expected_by_method.values()))
    problems = []
    for method in METHODS:
        for actor in ACTORS:
            response = call(world["clients"][actor], method, url, api=api, body=body, query=query)
            got = outcome(response)
            if method in expected_by_method:
                allowed = {expected_by_method[method][actor]}
            elif name in NOT_ACCEPTED:
                allowed = {NOT_ACCEPTED[name][actor]}
            else:
                allowed = {"405"} | ({main[actor]} & DENIALS)
            if got not in allowed:
                problems.append(f"{method} {url} as {actor}: {got}, expected {sorted(allowed)}")
    return problems


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(world, name):
    problems = run_row(name, world)
    assert not problems, "\n".join(problems)


# --- The Django admin, by a sample --------------------------------------------------------

# Every registered model -> what the admin gets on its add page (some records are
# written only by the application: nobody adds them by hand).
ADMIN_MODELS = {
    "auth.Group": "ok",
    "auth.User": "ok",
    "auditlog.LogEntry": "403",
    "authtoken.TokenProxy": "ok",
    "axes.AccessAttempt": "403",
    "axes.AccessLog": "403",
    "axes.AccessFailureLog": "403",
    "interactions.Emotion": "ok",
    "interactions.Channel": "ok",
    "interactions.Touchpoint": "ok",
    "interactions.ResponseTemplate": "ok",
    "interactions.PhraseRule": "ok",
    "interactions.Customer": "ok",
    "interactions.Interaction": "ok",
    "interactions.Reflection": "403",
    "interactions.BreakNudge": "403",
    "interactions.AccessLog": "403",
}
# Everyone but the admin is sent to the admin's login page.
ADMIN_ROW = row("login login login login ok login")


def test_every_registered_admin_model_is_sampled():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS)


def test_admin_pages_by_sample(world):
    problems = []
    checks = [(reverse("admin:index"), ADMIN_ROW)]
    for model in admin.site._registry:
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        checks.append((reverse(f"{prefix}_changelist"), ADMIN_ROW))
        add = ADMIN_ROW | {"admin": ADMIN_MODELS[opts.label]}
        checks.append((reverse(f"{prefix}_add"), add))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            checks.append((reverse(f"{prefix}_change", args=[obj.pk]), ADMIN_ROW))
    for url, expected in checks:
        for actor in ACTORS:
            got = outcome(call(world["clients"][actor], "GET", url, api=False))
            if got != expected[actor]:
                problems.append(f"GET {url} as {actor}: {got}, expected {expected[actor]}")
    assert not problems, "\n".join(problems)


# --- IDOR probes ------------------------------------------------------------------------


def test_idor_agent_b_cannot_change_agent_a_interaction(world):
    interaction, client = world["interaction"], world["clients"]["agent_b"]
    edit = reverse("interactions:edit", args=[interaction.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"summary": "hijack"}).status_code == 403
    api = reverse("api:interaction-detail", args=[interaction.pk])
    patch = client.patch(api, json.dumps({"summary": "hijack"}), content_type="application/json")
    assert patch.status_code == 403
    praise = reverse("interactions:praise", args=[interaction.pk])
    assert client.post(praise, {"action": "mark", "note": "hijack"}).status_code == 403
    interaction.refresh_from_db()
    assert interaction.summary != "hijack" and interaction.praised_at is None


def test_idor_agent_a_token_cannot_change_agent_b_interaction(world):
    other, client = world["other_interaction"], world["clients"]["token"]
    api = reverse("api:interaction-detail", args=[other.pk])
    patch = client.patch(api, json.dumps({"summary": "hijack"}), content_type="application/json")
    assert patch.status_code == 403
    other.refresh_from_db()
    assert other.summary != "hijack"


@pytest.mark.parametrize("actor", ["agent_b", "lead", "admin"])
def test_idor_personal_templates_are_their_owners_alone(world, actor):
    """Another person's personal template: 403 on every page (admins included: it is
    private); it is not in their API list."""
    template, client = world["personal_template"], world["clients"][actor]
    pk = template.pk
    for name in ("template-detail", "template-edit", "template-delete"):
        assert client.get(reverse(f"interactions:{name}", args=[pk])).status_code == 403, name
    for name, data in (
        ("template-edit", {"title": "hijack", "text": "x", "language": "en"}),
        ("template-active", {"active": "0"}),
        ("template-delete", {}),
    ):
        assert client.post(reverse(f"interactions:{name}", args=[pk]), data).status_code == 403
    listed = client.get(reverse("api:template-list"), {"page_size": 200}).json()["results"]
    assert pk not in {item["id"] for item in listed}
    template.refresh_from_db()
    assert template.title == "A's own" and template.is_active
    # The owner reaches every one of them.
    owner = world["clients"]["agent_a"]
    assert owner.get(reverse("interactions:template-edit", args=[pk])).status_code == 200


def test_idor_another_agents_nudge_is_not_found(world):
    url = reverse("interactions:nudge-answer", args=[world["nudge"].pk])
    response = world["clients"]["agent_b"].post(url, {"answer": "take"})
    assert response.status_code == 404
    world["nudge"].refresh_from_db()
    assert world["nudge"].status == models.BreakNudge.Status.OFFERED


# --- Ids no row can have ------------------------------------------------------------------

BAD_IDS = ["-1", "0", str(2**63), "abc", "1.5", "%00"]


def urls_with_ids():
    return sorted(
        name
        for name, pattern in project_urls().items()
        if "pk" in str(pattern.pattern) or "<panel>" in str(pattern.pattern)
    )


@pytest.mark.parametrize("name", urls_with_ids())
def test_ids_no_row_can_have_are_404(world, name):
    """-1, 0, 2^63 and junk in every URL with an id: 404 for the roles allowed to use it
    (the URL pattern or the view refuses it; never a 5xx)."""
    template = reverse(name, kwargs={"pk": 999999} if "panel" not in name else {"panel": "x"})
    template = template.replace("999999", "{}").replace("/x.", "/{}.")
    api = name.startswith("api:")
    problems = []
    for bad in BAD_IDS:
        url = template.format(bad)
        for method, expected in MATRIX[name].items():
            # Those the matrix lets through; the others are refused before any lookup.
            allowed = [actor for actor in ACTORS if expected[actor] not in DENIALS]
            for actor in allowed:
                got = call(world["clients"][actor], method, url, api=api).status_code
                if got != 404:
                    problems.append(f"{method} {url} as {actor}: {got}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("bad", BAD_IDS)
def test_admin_change_pages_with_impossible_ids_never_fail(world, bad):
    """The Django admin answers an id no row has with a redirect to its index (its own
    rule), never a 5xx."""
    client = world["clients"]["admin"]
    for model in (models.Interaction, models.Customer, models.ResponseTemplate):
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=["999999"])
        response = call(client, "GET", url.replace("999999", bad), api=False)
        assert response.status_code in (302, 404), (url, bad, response.status_code)
        if response.status_code == 302:
            assert response["Location"] == reverse("admin:index")
