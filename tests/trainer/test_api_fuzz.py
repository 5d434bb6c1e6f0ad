"""The JSON API fuzzed with hypothesis: arbitrary JSON bodies, wrong types for every field,
huge strings, any Unicode (escaped NULs and half surrogate pairs too), deep nesting, raw bytes,
random ids, paths, methods and Authorization headers. Whatever comes in, no answer is a 5xx and
every error is the API's JSON error. (The test app propagates exceptions, so a crash fails the
example too.)

Examples are bounded and derandomized, so the file runs the same examples every time, in well
under a minute on two cores.
"""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grading.model import CUSTOMER_RISKS, KINDS, PRODUCT_RISKS
from trainer.services import library
from trainer.services.attempts import start_attempt
from trainer.services.users import issue_token

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None, print_blob=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.large_base_example])
SCENARIOS = sorted(library.scenarios())
TRACKS = sorted(library.tracks())
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]

# ---- strategies -----------------------------------------------------------------------------

texts = st.text(max_size=40)                                       # any Unicode but surrogates
huge = st.builds(lambda c, n: c * n, st.characters(codec="utf-8"), st.integers(2001, 70_000))
numbers = (st.integers(min_value=-2**70, max_value=2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0, -1, 2**31, 2**63, 10**30]))
scalars = st.none() | st.booleans() | numbers | texts
any_json = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(texts, inner, max_size=4), max_leaves=12)


def field(good):
    """A field's value: a good one, the wrong type, or something huge."""
    return st.one_of(good, any_json, huge)


def with_extra(fields: dict):
    """An object with any subset of the fields, and sometimes a field nobody expects."""
    known = st.fixed_dictionaries({}, optional=fields)
    return st.one_of(known, st.builds(lambda d, k, v: {**d, k: v}, known, texts, any_json))


start_bodies = with_extra({"scenario_id": field(st.sampled_from(SCENARIOS)),
                           "mode": field(st.sampled_from(["practice", "exam"])),
                           "seed": field(st.integers(-2**40, 2**40)),
                           "track_id": field(st.sampled_from(TRACKS))})
reply_bodies = with_extra({"reply": field(st.text(min_size=1, max_size=120))})
contexts = with_extra({"kind": field(st.sampled_from(KINDS)),
                       "customer_risk": field(st.sampled_from(CUSTOMER_RISKS)),
                       "product_risk": field(st.sampled_from(PRODUCT_RISKS)),
                       "customer_line": field(texts), "model_answer": field(texts),
                       "customer_age": field(st.integers(0, 120)),
                       "expected_moves": field(st.lists(texts, max_size=3)),
                       "forbidden": field(st.lists(st.fixed_dictionaries(
                           {"pattern": texts, "message": texts},
                           optional={"category": any_json, "dimension": any_json}), max_size=2))})
# ...and records that are right but for one context field, so the grader itself is reached
CONTEXT_FIELDS = ["kind", "customer_risk", "product_risk", "customer_line", "model_answer", "customer_age",
                  "expected_moves", "forbidden"]
valid_contexts = st.fixed_dictionaries({"kind": st.sampled_from(KINDS)}, optional={
    "customer_risk": st.sampled_from(CUSTOMER_RISKS), "product_risk": st.sampled_from(PRODUCT_RISKS),
    "customer_line": texts, "customer_age": st.integers(0, 120), "expected_moves": st.lists(texts, max_size=2)})
wrong_values = st.one_of(st.integers(), st.booleans(), st.lists(scalars, min_size=1, max_size=3),
                         st.dictionaries(texts, scalars, min_size=1, max_size=2), any_json)
one_wrong = st.builds(lambda ctx, key, value: {**ctx, key: value}, valid_contexts,
                      st.sampled_from(CONTEXT_FIELDS), wrong_values)
focused = st.fixed_dictionaries({"reply": texts, "context": one_wrong},
                                optional={"id": any_json, "customer": st.one_of(texts, wrong_values)})
records = st.one_of(
    focused,
    with_extra({"id": any_json, "reply": field(st.text(max_size=120)), "customer": field(texts),
                "context": st.one_of(contexts, any_json)}))
grade_bodies = st.one_of(focused, focused, records, st.fixed_dictionaries({"items": st.one_of(
    st.lists(st.one_of(records, any_json), max_size=4), any_json)}))

# JSON text the encoder would never write: escapes of NUL and of half a surrogate pair,
# deep nesting, numbers past what Python converts, truncations, and plain garbage.
escapes = st.sampled_from([r"\u0000", r"\ud800", r"\udfff", r"\ud83d\ude00", r"\ud800\u0041", r"\\", r"\"",
                           r"\x41", r"\u12", "\x00", "\n"])
raw_bodies = st.one_of(
    st.binary(max_size=200),
    st.builds(lambda key, esc: ('{"%s": "a%sb"}' % (key, esc)).encode(),
              st.sampled_from(["reply", "scenario_id", "mode", "track_id", "id", "x"]), escapes),
    st.builds(lambda n, arrays: ("[" * n + "]" * n if arrays else '{"a":' * n + "1" + "}" * n).encode(),
              st.integers(1, 60_000), st.booleans()),
    st.builds(lambda n: b'{"seed": 1' + b"0" * n + b"}", st.integers(1, 10_000)),
    st.builds(lambda body, cut: json.dumps(body).encode()[:cut], start_bodies, st.integers(0, 40)),
    st.sampled_from([b"", b" ", b"null", b"[]", b"NaN", b"-Infinity", b'"x"', b"{}", b"{,}", b"\xef\xbb\xbf{}",
                     "{}".encode("utf-16"), b'{"reply": 1e999}', b'{"a": 1, "a": 2}']))
content_types = st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded",
                                 "multipart/form-data; boundary=x", "application/json; charset=latin-1", ""])
ids = st.one_of(st.integers(-2**80, 2**80).map(str), st.text(max_size=12).map(lambda s: quote(s, safe="")),
                st.sampled_from(["0", "1", "2", "2147483647", "2147483648", "1;DROP TABLE user", "' OR 1=1 --",
                                 "..", "%2e%2e", "1.0", "+1", "1e3", "%00", "٣"]))


# ---- fixtures and checks --------------------------------------------------------------------

@pytest.fixture
def fuzz(app, client, make_user, make_cohort):
    """Tokens for a trainee with an attempt, another trainee, a coach and an admin; rate limits
    out of the way (a 429 is not a crash, but would stop examples reaching the code)."""
    app.config.update(RATELIMIT_API="1000000 per minute", RATELIMIT_API_PER_IP="1000000 per minute")
    carol = make_user("carol", role="coach")
    amy = make_user("amy", cohort=make_cohort("A班", coach=carol))
    bob, root = make_user("bob"), make_user("root", role="admin")
    attempt = start_attempt(amy, "transfer_not_arrived", "practice", seed=7)
    tokens = {name: issue_token(user) for name, user in
              {"amy": amy, "bob": bob, "carol": carol, "root": root}.items()}
    return {"client": client, "tokens": tokens, "attempt": attempt.id, "amy": amy}


def send(fuzz, method, path, body: bytes | None = None, who="amy", content_type="application/json", headers=None):
    headers = dict(headers if headers is not None else {"Authorization": f"Bearer {fuzz['tokens'][who]}"})
    response = fuzz["client"].open("/api/v1" + path, method=method, data=body, headers=headers,
                                   content_type=content_type or None)
    check(response, method, path)
    return response


def check(response, method, path) -> None:
    """No 5xx, and every API answer is JSON (errors in the API's format). The router's own
    redirects (/attempts//1 -> /attempts/1) point back into the API on this host."""
    status = response.status_code
    assert status < 500, f"{method} {path} -> {status}: {response.get_data(as_text=True)[:300]}"
    if status in (301, 308):
        assert response.headers["Location"].startswith(("/api/v1/", "http://localhost/api/v1/"))
        return
    assert response.is_json, f"{method} {path} -> {status} is not JSON"
    body = response.get_json()
    if status >= 400:
        assert body["status"] == status and body["error"], body    # /grade adds the record's id and line
    response.close()


def encode(body, ascii_only: bool) -> bytes:
    return json.dumps(body, ensure_ascii=ascii_only).encode("utf-8")


# ---- the fuzz tests -------------------------------------------------------------------------

@FUZZ
@given(body=grade_bodies, ascii_only=st.booleans())
def test_fuzz_grade(fuzz, body, ascii_only):
    send(fuzz, "POST", "/grade", encode(body, ascii_only))


@FUZZ
@given(context=valid_contexts, key=st.sampled_from(CONTEXT_FIELDS + ["customer"]), value=wrong_values,
       reply=texts)
def test_fuzz_grade_one_wrong_field(fuzz, context, key, value, reply):
    """A record right in every way but one field: the grader itself sees the wrong type."""
    record = {"reply": reply, "context": context}
    if key == "customer":
        record["customer"] = value
    else:
        context[key] = value
    send(fuzz, "POST", "/grade", encode(record, True))


@FUZZ
@given(body=start_bodies, who=st.sampled_from(["amy", "bob", "carol", "root"]), ascii_only=st.booleans())
def test_fuzz_start_an_attempt(fuzz, body, who, ascii_only):
    response = send(fuzz, "POST", "/attempts", encode(body, ascii_only), who=who)
    if response.status_code == 201:
        assert response.get_json()["attempt_id"] > 0


@FUZZ
@given(body=reply_bodies, who=st.sampled_from(["amy", "amy", "bob", "carol", "root"]), ascii_only=st.booleans())
def test_fuzz_reply_in_an_attempt(fuzz, body, who, ascii_only):
    """Replies of any shape to amy's attempt, by her and by others; when it ends, a new one."""
    response = send(fuzz, "POST", f"/attempts/{fuzz['attempt']}/turns", encode(body, ascii_only), who=who)
    send(fuzz, "GET", f"/attempts/{fuzz['attempt']}", who=who)
    if response.status_code == 409:
        fuzz["attempt"] = start_attempt(fuzz["amy"], "transfer_not_arrived", "practice", seed=7).id


@FUZZ
@given(path=st.sampled_from(["/grade", "/attempts", "/attempts/{id}/turns"]), body=raw_bodies,
       content_type=content_types)
def test_fuzz_raw_bodies(fuzz, path, body, content_type):
    send(fuzz, "POST", path.format(id=fuzz["attempt"]), body, content_type=content_type)


@FUZZ
@given(method=st.sampled_from(METHODS), template=st.sampled_from(
           ["/attempts/{}", "/attempts/{}/turns", "/attempts/{}/{}", "/{}", "/scenarios?track={}", "/{}/{}",
            "/grade/{}", "/attempts?{}={}", "/scenarios/{}"]),
       parts=st.lists(ids, min_size=2, max_size=2), who=st.sampled_from(["amy", "bob", "carol", "root"]),
       body=st.one_of(st.none(), start_bodies.map(lambda b: encode(b, True))))
def test_fuzz_paths_ids_and_methods(fuzz, method, template, parts, who, body):
    send(fuzz, method, template.format(*parts), body, who=who)


@FUZZ
@given(header=st.one_of(
           st.text(st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=80),
           st.builds(lambda scheme, token: f"{scheme} {token}",
                     st.sampled_from(["Bearer", "bearer", "BEARER", "Basic", "Token", ""]),
                     st.text(st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=300)),
           st.sampled_from(["Bearer", "Bearer  ", "Bearer\t", "Bearer " + "x" * 5000])),
       path=st.sampled_from(["/scenarios", "/grade", "/attempts", "/attempts/1"]))
def test_fuzz_authorization_headers(fuzz, header, path):
    """No header but a real token's authenticates: anything else is a 401 with a challenge,
    before any endpoint (a 200, 404 or 422 would mean the request got past authentication)."""
    method = "GET" if path in ("/scenarios", "/attempts/1") else "POST"
    response = send(fuzz, method, path, b"{}" if method == "POST" else None, headers={"Authorization": header})
    assert response.status_code == 401, (header[:80], response.status_code)
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="rmtrainer"')
