"""decide's one-loop combiner values (verdicts._value_rows) are _category_values' floats, bit for bit
(signed zeros too), so training and grading weigh the same features."""
import random

from grading import verdicts as V

CATS = list(V.CATEGORY_MESSAGES)


def test_value_rows_equal_category_values():
    rng = random.Random(3)
    moves_pool = ["refuse_gift", "risk_disclosure", "rule_reason", "thanks", "needs_check", "refuse_x"]
    for _ in range(3000):
        probs = {c: rng.choice([0.0, 1.0, 1e-5, 0.5, 1 - 1e-6, rng.random()]) for c in CATS}
        probs["any"] = rng.choice([0.0, 1.0, 0.5, rng.random()])
        rule_cats = set(rng.sample(CATS, rng.randint(0, 3)))
        moves = frozenset(rng.sample(moves_pool, rng.randint(0, 3)))
        asked = rng.choice([None] + CATS)
        stance = (rng.choice([0.0, -0.0, rng.uniform(-9, 9)]), rng.uniform(-9, 9))
        top = max(CATS, key=probs.get)
        flat = V._value_rows(CATS, rule_cats, probs, asked, stance, moves, top)
        shared = V._reply_values(probs, moves)
        rows = [V._category_values(c, c in rule_cats, V._logit(probs[c]), shared, asked, stance, moves, top)
                for c in CATS]
        assert repr(flat) == repr([v for row in rows for v in row])
