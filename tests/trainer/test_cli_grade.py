"""`rmtrainer grade` as other systems use it: JSONL in, JSONL out, bad lines reported not fatal."""
import json

from click.testing import CliRunner

from trainer.cli import main

GOOD = {"id": "a1", "context": {"kind": "product_sale", "customer_risk": "C1", "product_risk": "R4"},
        "customer": "这个基金能保本吗？", "reply": "您放心，这款基金保本，跌不了。"}
CLEAN = {"id": "a2", "context": {"kind": "gift"}, "customer": "一点心意您收下。",
         "reply": "谢谢您的心意，按照规定我们不能收礼品，请您收回。"}


def run(lines, *args):
    return CliRunner().invoke(main, ["grade", "-", *args], input="\n".join(lines) + "\n")


def test_batch_output_follows_the_contract_in_input_order():
    result = run([json.dumps(GOOD, ensure_ascii=False), json.dumps(CLEAN, ensure_ascii=False)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a1", "a2"]
    first = out[0]
    assert set(first["scores"]) == {"etiquette", "structure", "empathy", "compliance"}
    assert first["total"] <= 30
    v = {x["category"] for x in first["violations"]}
    assert {"guarantee", "suitability"} <= v or "guarantee" in v
    guarantee = next(x for x in first["violations"] if x["category"] == "guarantee")
    assert guarantee["severity"] == "red_line"
    assert GOOD["reply"][guarantee["start"]:guarantee["end"]] == guarantee["evidence"]
    assert out[1]["violations"] == [] and out[1]["total"] > 60
    assert 1 <= len(out[1]["feedback"]) <= 3


def test_bad_lines_become_error_records_and_the_rest_is_graded(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps(CLEAN, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "k", "context": {"kind": "sales"}, "reply": "您好"}),
        json.dumps({"id": "m", "context": {"kind": "gift"}}),
        json.dumps(GOOD, ensure_ascii=False),
    ]), encoding="utf-8")
    dest = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["grade", str(src), "-o", str(dest)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in dest.read_text(encoding="utf-8").splitlines()]
    assert [o.get("id") for o in out] == ["a2", None, "k", "m", "a1"]
    assert out[1]["line"] == 2 and "invalid JSON" in out[1]["error"]
    assert out[2]["line"] == 3 and "unknown kind 'sales'" in out[2]["error"]
    assert out[3]["line"] == 4 and "missing reply" in out[3]["error"]
    assert "scores" in out[4]
    assert "line 2: invalid JSON" in result.stderr and "3 line(s) could not be graded" in result.stderr


def test_text_mode_prints_a_readable_report():
    result = CliRunner().invoke(main, ["grade", "--text", "阿姨您放心，这款基金保本的。", "--kind", "product_sale",
                                       "--customer-risk", "C2", "--product-risk", "R4"])
    assert result.exit_code == 0
    assert "总分 total" in result.output and "合规 compliance 0" in result.output
    assert "[保本]" in result.output and "红线" in result.output


def test_text_mode_rejects_an_unknown_kind():
    result = CliRunner().invoke(main, ["grade", "--text", "您好", "--kind", "sales"])
    assert result.exit_code == 2 and "unknown kind" in result.output


def test_the_conversation_so_far_is_read_and_bounded(tmp_path):
    """An earlier request still counts; a history that is not a list of short lines is refused."""
    import json
    from trainer.commands.grade import grade_record
    ok = grade_record({"id": "h", "reply": "行，说定了。", "customer": "那就这么说定了？",
                       "context": {"kind": "gift", "history": ["这两千块辛苦费你收着，审批快点给我办下来。"]}}, 1)
    assert "gift" in {v["category"] for v in ok["violations"]} and ok["reading"]["request"] == "offers_gift"
    bad = grade_record({"id": "b", "reply": "好的", "context": {"kind": "gift", "history": "not a list"}}, 2)
    assert "history" in bad["error"]
    wrong = grade_record({"id": "s", "reply": "王先生您好", "context": {"kind": "general", "customer_surname": "温"}}, 3)
    assert any(f["rule"] == "etiquette.WrongName" for f in wrong["findings"])


def test_grading_loads_no_web_or_database_stack():
    """`rmtrainer grade` starts in the grader's own time: Flask, SQLAlchemy and Alembic stay unloaded."""
    import subprocess
    import sys
    code = ("import sys; from trainer.cli import main; main.get_command(None, 'grade'); "
            "print(sorted({'flask', 'flask_login', 'sqlalchemy', 'alembic', 'scenarios'} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == {"corpus", "db", "grade", "model", "retention", "scenarios", "serve", "users"}


def test_explain_adds_the_grader_reading_and_changes_no_score():
    """--explain writes what was read (the stance model's strongest words among it); without it
    the record is the batch contract alone, with the same scores and findings."""
    gift = {"id": "g", "context": {"kind": "complaint"}, "customer": "小伙子，这个红包你收下，别客气",
            "reply": "好嘞，那我就收着了，谢谢您"}
    plain = json.loads(run([json.dumps(gift, ensure_ascii=False)]).stdout)
    told = json.loads(run([json.dumps(gift, ensure_ascii=False)], "--explain").stdout)
    assert told["reading"]["request"] == "offers_gift" and told["reading"]["stance"] == "complies"
    assert told["reading"]["stance_cues"] and all(":" in c for c in told["reading"]["stance_cues"])
    assert set(plain["reading"]) == {"request", "stance"}
    assert {k: v for k, v in told.items() if k != "reading"} == {k: v for k, v in plain.items() if k != "reading"}
