"""`rmtrainer corpus export`: turns coaches reviewed become corpus files the trainer can learn from,
with the coach's scores as labels and no names."""

from grading.training.corpus import load_file
from trainer.commands.corpus import export_command
from trainer.services.attempts import submit_reply
from trainer.services.cohorts import override_turn

REPLY = "{address}，分开取也一样要登记，这个忙我帮不了，您把用途说清楚，我马上给您办。"


def test_reviewed_turns_export_as_valid_corpus_with_coach_labels_and_no_names(app, make_user, make_cohort,
                                                                               make_attempt, tmp_path):
    carol = make_user("carol", role="coach")
    amy = make_user("amy", cohort=make_cohort("A", coach=carol))
    attempt = make_attempt(amy, "aml_split_withdrawal", seed=32)
    persona = attempt.state["persona"]
    submit_reply(attempt, REPLY.replace("{address}", persona["address"]))
    turn = attempt.turns[0]
    attempt.status = "finished"            # a coach grades an attempt once it has ended
    override_turn(turn, carol, {"etiquette": 85, "structure": 62, "empathy": 45, "compliance": 95}, "fine")
    make_attempt(amy, "aml_split_withdrawal", seed=33)          # not reviewed: not exported

    from trainer.services.corpus_export import export_situations, write_situations
    paths = write_situations(export_situations(), tmp_path)
    assert len(paths) == 1
    pairs = load_file(paths[0])                                   # the training loader accepts it
    assert [p.labels for p in pairs] == [{"etiquette": 4, "structure": 3, "empathy": 2, "compliance": 4}]
    text = paths[0].read_text(encoding="utf-8")
    assert persona["name"] not in text and persona["address"] not in text
    assert "分开取也一样要登记" in text


def test_the_export_command_says_what_it_wrote_and_how_to_retrain(app, runner, tmp_path, monkeypatch):
    monkeypatch.setattr("trainer.commands.corpus._app_context", lambda: app.app_context())
    result = runner.invoke(export_command, ["-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "wrote 0 reviewed turns" in result.output
    assert "rmtrainer model train --extra" in result.output
