"""Every rule proves itself on its own examples (proselint's habit): fail examples trip it,
pass examples do not. A rule without examples fails the build."""
from pathlib import Path

import pytest

from grading import Context, grade
from grading.loader import PACKS, load_packs

RULES = load_packs()


def _fires(rule, reply, ctx):
    report = grade(reply, ctx)
    hits = [f for f in report.findings if f.rule == rule.id]
    if getattr(rule, "move", None):
        return not hits          # a move rule "fails" a reply when the move is missing
    return bool(hits)


def _cases():
    for rule in RULES:
        ctx = Context.from_dict(rule.examples.get("context") or {})
        for reply in rule.examples.get("fail", []):
            yield pytest.param(rule, reply, ctx, True, id=f"{rule.id}-fail-{reply[:12]}")
        for reply in rule.examples.get("pass", []):
            yield pytest.param(rule, reply, ctx, False, id=f"{rule.id}-pass-{reply[:12]}")


@pytest.mark.parametrize("rule,reply,ctx,should_fire", list(_cases()))
def test_rule_example(rule, reply, ctx, should_fire):
    assert _fires(rule, reply, ctx) == should_fire, (
        f"{rule.id}: {'fail' if should_fire else 'pass'} example judged wrongly: {reply}")


def test_every_rule_has_examples():
    files = sorted(PACKS.glob("*/*.yml"))
    assert len(files) == len(RULES) > 50
    for rule in RULES:
        assert rule.examples.get("fail") and rule.examples.get("pass"), f"{rule.id} has no examples"


def test_compliance_rules_cite_their_source():
    for rule in RULES:
        if rule.dimension == "compliance" and not getattr(rule, "move", None):
            assert rule.source, f"{rule.id} cites no regulation"


def test_rule_ids_come_from_paths():
    ids = {r.id for r in RULES}
    assert "compliance.NoGuarantee" in ids and "etiquette.Sarcasm" in ids
    assert all(Path(PACKS, *r.id.split(".", 1)).with_suffix(".yml").exists() for r in RULES)
