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


def test_a_combiner_loaded_after_another_is_read_with_its_own_weights():
    """Retraining loads a new combiner in the same process: its scores must use its weights, not
    those of a combiner freed before it (whose id() the new one may be given)."""
    from grading.learned import LinearModel, model
    shipped = model("combiner")
    if shipped is None:
        return
    cat = CATS[0]
    rows = shipped.matrix.tolist()
    once = {n: row for n, row in zip(shipped.names, rows)}
    twice = {n: [2 * w for w in row] for n, row in zip(shipped.names, rows)}
    head = (shipped.name, shipped.link, shipped.classes, shipped.bias)
    first = LinearModel(*head, once, {})
    before = V._weights(first, cat).tolist()
    del first       # freed: CPython hands its address, and so its id(), to the next model made
    second = LinearModel(*head, twice, {})
    assert V._weights(second, cat).tolist() == [2 * w for w in before]


def test_a_model_outside_the_shared_space_reads_every_feature_of_the_reply_just_encoded():
    """Training fits the level model's line on a model not (yet) in the shared feature space:
    right after a reply was encoded, it must still find the features only it knows (they had
    all been read as unknown, so the line depended on which models were installed)."""
    from grading.features import pair_features, text_features
    from grading.learned import LinearModel, encode_reply, pair_space

    text = "好的，我帮您查一下转账进度，今天下班前给您回电话。"
    space = pair_space()
    unseen = next(f for f in text_features(text) if f not in space.index)
    own = LinearModel("t", "regression", ["x"], [0.0], {unseen: [1.0], "w:转账": [2.0]}, {})
    encoded = encode_reply(text, "complaint", "legitimate")
    assert own.predict(pair_features(text, "complaint", "legitimate"))["x"] == 3.0
    assert own.predict(encoded)["x"] == 3.0
    assert [f for f, _ in own.cues(encoded, "x")] == ["w:转账", unseen]
