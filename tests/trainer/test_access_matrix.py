"""Access control as a matrix: every URL rule of the app (read from its URL map, so a new route
cannot slip through) × every kind of visitor, with the URL filled from trainee A's real objects.

ACCESS below is the one table of who may use what. A route missing from it fails the suite: when
you add a route, add its endpoint to ACCESS (and a body to BODIES if it takes one).

Also here: every state-changing page route refuses a request without a valid CSRF token (400),
the API refuses a session cookie without a bearer token (401), and trainee A gets nothing out of
any route when it names trainee B's attempt.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest

from conftest import PASSWORD, Auth
from trainer import create_app
from trainer.extensions import db
from trainer.models import Assignment, Attempt, Cohort, GradeOverride, Turn, User
from trainer.services.attempts import start_attempt, submit_reply
from trainer.services.users import issue_token

HELLO = "您好，真的很抱歉让您着急了，这件事由我来跟进，我马上帮您查。"
SCENARIO = "transfer_not_arrived"
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}

# ---- who is who ---------------------------------------------------------------------------
# trainee_a (amy) is in cohort A, coached by `coach` (carol); trainee_b (bob) is in cohort B,
# coached by `other_coach` (dave); `admin` (root) runs everything. URLs name A's objects.
ROLES = ("anonymous", "trainee_a", "trainee_b", "coach", "other_coach", "admin")
USERNAMES = {"trainee_a": "amy", "trainee_b": "bob", "coach": "carol", "other_coach": "dave", "admin": "root"}

EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}
COACHES = frozenset({"coach", "other_coach", "admin"})      # role_required("coach"): admins pass
A_COACH = frozenset({"coach", "admin"})                      # who runs cohort A / coaches A
A_READERS = A_COACH | {"trainee_a"}                          # who may read A's attempt
A_OWNER = frozenset({"trainee_a"})                           # who may play A's attempt
ADMIN = frozenset({"admin"})

# endpoint -> the roles that may get a 2xx/3xx from it (for every method of the endpoint).
# Everyone else must get 401/403/404 (or, logged out, a redirect to the login page) and change
# nothing. API endpoints are called with the role's bearer token (anonymous: none).
ACCESS = {
    "static": EVERYONE,
    "auth.login": EVERYONE,
    "auth.logout": LOGGED_IN,
    "auth.index": EVERYONE,
    "auth.change_password": LOGGED_IN,
    "trainee.language": EVERYONE,
    "trainee.catalogue": LOGGED_IN,
    "trainee.history": LOGGED_IN,
    "trainee.start": LOGGED_IN,
    "trainee.attempt": A_READERS,
    "trainee.reply": A_OWNER,
    "trainee.retry": A_OWNER,
    "trainee.answer_invite": LOGGED_IN,   # only one's own invitations: any other id is "no longer open"
    "coach.dashboard": COACHES,
    "coach.cohorts": COACHES,
    "coach.agreement": COACHES,
    "coach.cohort": A_COACH,
    "coach.add_trainee": A_COACH,
    "coach.add_trainees": A_COACH,
    "coach.remove_trainee": A_COACH,
    "coach.add_assignment": A_COACH,
    "coach.export": A_COACH,
    "coach.export_xlsx": A_COACH,
    "coach.trainee": A_COACH,
    "coach.attempt": A_COACH,
    "coach.override": A_COACH,
    "coach.confirm": A_COACH,
    "api.grade": LOGGED_IN,
    "api.scenarios": LOGGED_IN,
    "api.start": LOGGED_IN,
    "api.show": A_READERS,
    "api.reply": A_OWNER,
    "health.healthz": EVERYONE,
    "admin.audit_log": ADMIN,
    "admin.users": ADMIN,
    "admin.set_role": ADMIN,
    "admin.unlock_user": ADMIN,
    "admin.revoke_tokens": ADMIN,
    "admin.delete_data": ADMIN,
    "admin.create_account": ADMIN,
    "admin.reset_user_password": ADMIN,
    "admin.deactivate_user": ADMIN,
    "admin.reactivate_user": ADMIN,
}

# Bodies that succeed for a role that is allowed (so "allowed" is really tested, and a denial is
# never just a validation error), from the objects the URL names. Form bodies get a CSRF token
# (in CSRF_FIELDS' field when the form has a prefix); API bodies are sent as JSON.
BODIES = {
    "auth.login": lambda o: {"username": "amy", "password": PASSWORD},
    "trainee.start": lambda o: {"scenario_id": SCENARIO, "mode": "practice"},
    "trainee.reply": lambda o: {"reply": HELLO},
    "coach.cohorts": lambda o: {"name": "新的一期"},
    "coach.add_trainee": lambda o: {"username": "eve"},
    "coach.add_trainees": lambda o: {"usernames": "eve\nnobody"},
    "coach.add_assignment": lambda o: {"work": f"scenario:{SCENARIO}", "mode": "practice",
                                       "due": (date.today() + timedelta(days=7)).isoformat()},
    "coach.override": lambda o: {f"t{o['turn'].id}-{d}": "60" for d in
                                 ("etiquette", "structure", "empathy", "compliance")}
                                | {f"t{o['turn'].id}-comment": "语气可以更温和"},
    "admin.set_role": lambda o: {"role": "coach"},
    "admin.delete_data": lambda o: {"confirm": o["trainee"].username},
    "admin.create_account": lambda o: {"username": "newcomer", "role": "trainee", "password": "a-first-password-1"},
    "admin.reset_user_password": lambda o: {"password": "a-temporary-password-1"},
    "auth.change_password": lambda o: {"current": PASSWORD, "new": "a-new-password-1", "confirm": "a-new-password-1"},
    "api.grade": lambda o: {"reply": HELLO, "context": {"kind": "complaint"}},
    "api.start": lambda o: {"scenario_id": SCENARIO},
    "api.reply": lambda o: {"reply": HELLO},
}
CSRF_FIELDS = {"coach.override": lambda o: f"t{o['turn'].id}-csrf_token"}
# Endpoints that act on an attempt that has ended (a coach grades only those): their URL names
# A's ended attempt instead of the one in progress.
ENDED = {"coach.override"}
SPLIT = "没问题，您每天取4万9，分几天取就不会触发上报。"   # ends aml_split_withdrawal (seed 32) at once

# URL parameters, filled from trainee A's objects (or B's, for the "A asks for B's" tests).
PARAMS = {
    "attempt_id": lambda objs: objs["attempt"].id,
    "turn_id": lambda objs: objs["turn"].id,
    "cohort_id": lambda objs: objs["cohort"].id,
    "user_id": lambda objs: objs["trainee"].id,
    "lang": lambda objs: "en",
    "filename": lambda objs: "app.css",
}


# ---- the URL map, read once at collection time ----------------------------------------------

def _url_map_rules() -> list:
    """(endpoint, method, rule) for every rule and method of a freshly built app."""
    app = create_app({"TESTING": True, "SECRET_KEY": "collect", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SCHEMA_CHECK": False})
    return sorted({(rule.endpoint, method, rule.rule) for rule in app.url_map.iter_rules()
                   for method in rule.methods - {"HEAD", "OPTIONS"}})


RULES = _url_map_rules()


def is_api(endpoint: str) -> bool:
    return endpoint.split(".")[0] == "api"


def params(rules: list) -> list:
    """pytest params named endpoint:METHOD (the rule too when an endpoint has several)."""
    counts = {}
    for endpoint, method, _ in rules:
        counts[endpoint, method] = counts.get((endpoint, method), 0) + 1
    return [pytest.param(e, m, r, id=f"{e}:{m}" + (f":{r}" if counts[e, m] > 1 else "")) for e, m, r in rules]


PAGE_WRITES = [r for r in RULES if r[1] in STATE_CHANGING and not is_api(r[0])]
API_RULES = [r for r in RULES if is_api(r[0])]
OBJECT_RULES = [r for r in RULES if "<" in r[2] and set(re.findall(r"<(?:[^:>]+:)?([^>]+)>", r[2]))
                & {"attempt_id", "turn_id"}]


# ---- fixtures and helpers -------------------------------------------------------------------

class Objects(dict):
    """A trainee's objects, to fill URL parameters and bodies. The trainee's practice attempt,
    with one graded turn, is made on first use (most rules need none: the matrix runs faster)."""

    def __missing__(self, key):
        if key not in ("attempt", "turn"):
            raise KeyError(key)
        attempt = start_attempt(self["trainee"], SCENARIO, "practice", seed=7)
        self["attempt"], self["turn"] = attempt, submit_reply(attempt, HELLO).turn
        return self[key]

    def ended(self) -> "Objects":
        """The same objects, with an attempt of the trainee's that has ended in place of the one in progress."""
        if "ended" not in self:
            attempt = start_attempt(self["trainee"], "aml_split_withdrawal", "practice", seed=32)
            self["ended"] = (attempt, submit_reply(attempt, SPLIT).turn)
            assert attempt.status == "finished"
        out = Objects(self)
        out["attempt"], out["turn"] = self["ended"]
        return out


@pytest.fixture
def world(make_user, make_cohort):
    """Two cohorts with a coach and a trainee each, an admin, and a trainee in no cohort."""
    carol, dave = make_user("carol", role="coach"), make_user("dave", role="coach")
    cohort_a, cohort_b = make_cohort("A班", coach=carol), make_cohort("B班", coach=dave)
    amy, bob = make_user("amy", cohort=cohort_a), make_user("bob", cohort=cohort_b)
    make_user("root", role="admin")
    make_user("eve")
    return {"a": Objects(cohort=cohort_a, trainee=amy), "b": Objects(cohort=cohort_b, trainee=bob)}


def fill(rule: str, objs: dict) -> str:
    """The rule's URL with every <converter:name> replaced by the value for `name`."""
    def value(match):
        name = match.group(1)
        if name not in PARAMS:
            pytest.fail(f"rule {rule} has a URL parameter <{name}> that {__name__}.PARAMS cannot fill: "
                        "add how to get a real value for it")
        return str(PARAMS[name](objs))
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", value, rule)


def fingerprint() -> tuple:
    """What a refused request must leave untouched: attempts, turns, cohorts and who is in them,
    assignments, grade overrides, roles."""
    db.session.expire_all()
    return (
        sorted((a.id, a.user_id, a.status, a.state_json) for a in Attempt.query),
        sorted((t.id, t.attempt_id, t.reply, t.superseded, t.report_json is None) for t in Turn.query),
        sorted((c.id, c.name, c.coach_id) for c in Cohort.query),
        sorted((u.id, u.username, u.role, tuple(sorted(u.cohort_ids)), u.display_name, u.password_hash,
                u.must_change_password, u.deactivated_at) for u in User.query),
        Assignment.query.count(), GradeOverride.query.count(),
    )


def log_in(auth, role: str) -> None:
    if role != "anonymous":
        response = auth.login(USERNAMES[role])
        assert response.status_code == 302, f"could not log in as {role}"


def page_request(client, auth, role, method, url, body, token_field="csrf_token"):
    """A page request as `role` (already logged in), with a valid CSRF token on state-changing methods."""
    data = dict(body or {})
    if method in STATE_CHANGING:
        data[token_field] = auth.csrf("/catalogue" if role != "anonymous" else "/login")
        assert data[token_field], "no CSRF token found on the page"
    return client.open(url, method=method, data=data if method != "GET" else None)


def api_request(client, role, method, url, body):
    headers = {}
    if role != "anonymous":
        headers["Authorization"] = f"Bearer {issue_token(User.query.filter_by(username=USERNAMES[role]).one())}"
    if method in STATE_CHANGING:
        return client.open(url, method=method, json=body if body is not None else {}, headers=headers)
    return client.open(url, method=method, headers=headers)


def request_as(client, auth, role, endpoint, method, rule, objs):
    """Call the rule as `role` (logged in already, for pages) with URL parameters and body from
    `objs`; the response is read and closed."""
    if endpoint in ENDED:
        objs = objs.ended()
    url = fill(rule, objs)
    body = BODIES[endpoint](objs) if endpoint in BODIES else None
    if is_api(endpoint):
        response = api_request(client, role, method, url, body)
    else:
        token_field = CSRF_FIELDS[endpoint](objs) if endpoint in CSRF_FIELDS else "csrf_token"
        response = page_request(client, auth, role, method, url, body, token_field)
    response.get_data()
    response.close()
    return url, response


def to_login(response) -> bool:
    """True when the response sends the browser to this site's login page."""
    target = urlsplit(response.headers.get("Location", ""))
    return 300 <= response.status_code < 400 and target.netloc in ("", "localhost") and target.path == "/login"


def assert_refused(response, role, what):
    status = response.status_code
    assert not 200 <= status < 300, f"{what}: got {status}, expected a refusal"
    if role == "anonymous" and 300 <= status < 400:
        assert to_login(response), f"{what}: redirected to {response.headers.get('Location')}, not to log in"
    else:
        assert status in (401, 403, 404), f"{what}: got {status}, expected 401, 403 or 404"


# ---- the table covers the URL map --------------------------------------------------------------

def test_every_route_is_in_the_access_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(ACCESS))
    assert not missing, (f"routes with no entry in ACCESS ({__file__}): {missing}. Say which roles may "
                         "use each one, so the access matrix tests it.")
    stale = sorted(set(ACCESS) - endpoints)
    assert not stale, f"ACCESS lists endpoints the app no longer has: {stale}"
    assert not set(BODIES) - set(ACCESS), "BODIES names an endpoint that is not in ACCESS"


def test_the_matrix_covers_every_rule_and_role():
    assert {e for e, _, _ in RULES} == set(ACCESS)
    assert {r for roles in ACCESS.values() for r in roles} <= set(ROLES)


# ---- the matrix -----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint, method, rule", params(RULES))
def test_access_matrix(client, auth, world, endpoint, method, rule, role):
    if endpoint not in ACCESS:
        pytest.fail(f"{endpoint} ({method} {rule}) is not in ACCESS: classify it")
    log_in(auth, role)
    fill(rule, world["a"].ended() if endpoint in ENDED else world["a"])   # makes A's attempt now if the URL names it
    before = fingerprint()
    url, response = request_as(client, auth, role, endpoint, method, rule, world["a"])
    what = f"{role} {method} {url}"
    if role in ACCESS[endpoint]:
        assert response.status_code < 400, f"{what}: allowed, but got {response.status_code}"
        if role != "anonymous" and endpoint != "auth.logout":
            assert not to_login(response), f"{what}: allowed, but sent to log in"
    else:
        assert_refused(response, role, what)
        assert fingerprint() == before, f"{what} was refused but changed stored data"


@pytest.mark.parametrize("role", ["trainee_a", "coach"])
@pytest.mark.parametrize("endpoint, method, rule", params(OBJECT_RULES))
def test_nobody_reaches_trainee_bs_attempt_without_a_right_to_it(client, auth, world, endpoint, method, rule, role):
    """trainee A (and A's coach, who does not coach B) name B's attempt and turn: pages and API
    alike answer as if it did not exist, and nothing of B's changes."""
    log_in(auth, role)
    objs = world["b"]
    objs["attempt"], objs["cohort"] = objs["attempt"], world["a"]["cohort"]
    if endpoint in ENDED:
        objs = objs.ended()             # made before the fingerprint: only the request must change nothing
    before = fingerprint()
    url, response = request_as(client, auth, role, endpoint, method, rule, objs)
    assert_refused(response, role, f"{role} {method} {url} (B's attempt)")
    if role in ACCESS[endpoint]:    # allowed on A's: B's must look exactly like a missing one
        assert response.status_code == 404, f"{role} {method} {url}: {response.status_code}, not 404"
    assert HELLO not in response.get_data(as_text=True)
    assert fingerprint() == before


def test_object_rules_include_the_attempt_page_and_api():
    endpoints = {e for e, _, _ in OBJECT_RULES}
    assert {"trainee.attempt", "trainee.reply", "trainee.retry", "api.show", "api.reply",
            "coach.attempt", "coach.override"} <= endpoints


# ---- CSRF on every state-changing page route -----------------------------------------------------

def _user_for(endpoint: str) -> str:
    """A role that may use the endpoint (so the only thing wrong is the CSRF token)."""
    allowed = ACCESS.get(endpoint, EVERYONE)
    return next(r for r in ("anonymous", "trainee_a", "coach", "admin", "trainee_b", "other_coach") if r in allowed)


@pytest.mark.parametrize("token", ["missing", "bogus", "another session's"])
@pytest.mark.parametrize("endpoint, method, rule", params(PAGE_WRITES))
def test_state_changing_routes_refuse_a_request_without_a_valid_csrf_token(app, client, auth, world, endpoint,
                                                                           method, rule, token):
    role = _user_for(endpoint)
    log_in(auth, role)
    objs = world["a"]
    fill(rule, objs)
    data = dict(BODIES[endpoint](objs) if endpoint in BODIES else {})
    field = CSRF_FIELDS[endpoint](objs) if endpoint in CSRF_FIELDS else "csrf_token"
    if token == "bogus":
        data[field] = "IjAxMjM0NTY3ODlhYmNkZWYi.Zz0000.forged-signature"
    elif token == "another session's":
        other = app.test_client()
        Auth(other).login("bob")
        data[field] = Auth(other).csrf("/catalogue")
        assert data[field]
    before = fingerprint()
    response = client.open(fill(rule, world["a"]), method=method, data=data)
    assert response.status_code == 400, f"{role} {method} {rule} with a {token} CSRF token: {response.status_code}"
    assert "安全令牌" in response.get_data(as_text=True)     # "...missing its security token..."
    assert fingerprint() == before


def test_every_page_write_is_csrf_tested():
    assert {e for e, _, _ in PAGE_WRITES} >= {"auth.login", "auth.logout", "trainee.start", "trainee.reply",
                                               "trainee.retry", "coach.cohorts", "coach.add_trainee",
                                               "coach.remove_trainee", "coach.add_assignment", "coach.override"}


# ---- the API takes bearer tokens only ---------------------------------------------------------

@pytest.mark.parametrize("role", ["trainee_a", "admin"])
@pytest.mark.parametrize("endpoint, method, rule", params(API_RULES))
def test_the_api_refuses_a_session_cookie_without_a_bearer_token(client, auth, world, endpoint, method, rule, role):
    log_in(auth, role)
    assert client.get("/catalogue").status_code == 200      # the cookie works for pages
    fill(rule, world["a"])
    before = fingerprint()
    body = BODIES[endpoint](world["a"]) if endpoint in BODIES else None
    url = fill(rule, world["a"])
    response = client.open(url, method=method, json=body if method in STATE_CHANGING else None)
    assert response.status_code == 401, f"{role} {method} {url} by cookie: {response.status_code}"
    assert response.is_json and "missing bearer token" in response.get_json()["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert fingerprint() == before
