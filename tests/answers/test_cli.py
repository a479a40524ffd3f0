"""``hangat eval answers`` on tiny files of both shapes (lexical features, so no model is loaded)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hangat import cli

runner = CliRunner()
HEADER = "qid\tASIN\tqa_pair_id\tquestion\tcandidate\tlabel\tsource\tconfidence"
EVIDENCE_ROWS = [
    "1\tA1\t11\tdoes it need batteries?\tcolor:  { value:red }\t0\tattribute\thigh",
    "1\tA1\t12\tdoes it need batteries?\tbatteries_required:  { value:true }\t1\tattribute\thigh",
    "1\tA1\t13\tdoes it need batteries?\tmy kids love it.\t0\treview\tmid",
    "2\tA2\t21\tis the puzzle hard?\tthe puzzle has 1000 pieces.\t0\tbullet\thigh",
    "2\tA2\t22\tis the puzzle hard?\tthe puzzle was hard but fun for the whole family.\t1\treview\thigh",
    "3\tA3\t31\twhat colour is it?\tsize:  { value:large }\t0\tattribute\thigh",
]
SUBJQA = """item_id,question,review,review_id,human_ans_spans
B1,How is the sound?,"The sound is clear and the bass is deep. ANSWERNOTFOUND",r1,The sound is clear
B2,How is the battery?,"I bought it for my son. He likes the colour. ANSWERNOTFOUND",r2,ANSWERNOTFOUND
B3,How is the screen?,"Screen is bright and sharp, even outdoors. ANSWERNOTFOUND",r3,Screen is bright
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli.app, ["eval", "answers", *args, "--no-embeddings"])
    return result.exit_code, result.output


def test_evidence_task_scores_hangat_and_bm25(tmp_path: Path) -> None:
    file = write(tmp_path, "dev.csv", "\n".join([HEADER, *EVIDENCE_ROWS]) + "\n")
    code, output = run("--task", "evidence", "--file", str(file), "--json")
    assert code == 0, output
    result = json.loads(output.strip().splitlines()[-1])
    assert result["task"] == "evidence" and result["questions"] == 2  # question 3 has no positive
    assert set(result["systems"]) == {"hangat", "bm25"}
    assert result["systems"]["hangat"]["p@1"] == 1.0
    assert result["systems"]["bm25"]["by_source"]


def test_answerable_task_scores_hangat_and_always_answer(tmp_path: Path) -> None:
    file = write(tmp_path, "dev.csv", SUBJQA)
    report = tmp_path / "benchmarks.md"
    code, output = run("--task", "answerable", "--file", str(file), "--json", "--report", str(report))
    assert code == 0, output
    result = json.loads(output.strip().splitlines()[-1])
    assert result["questions"] == 3
    always = result["systems"]["always_answer"]
    assert always["accuracy"] == round(2 / 3, 4) and always["not_answerable_f1"] == 0.0
    assert set(result["systems"]["hangat"]) >= {"accuracy", "not_answerable_f1"}
    section = report.read_text(encoding="utf-8")
    assert "### Grounded answers: answerable" in section
    assert f"hangat eval answers --task answerable --file {file} --no-embeddings" in section
    assert "- Machine: " in section and "| always_answer |" in section


def test_a_malformed_file_is_a_clear_error(tmp_path: Path) -> None:
    file = write(tmp_path, "bad.csv", "qid\tquestion\tcandidate\n1\tq?\tc\n")
    code, output = run("--task", "evidence", "--file", str(file))
    assert code == 1
    assert "missing column(s) label, source" in output
    assert "Traceback" not in output


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    code, output = run("--task", "answerable", "--file", str(tmp_path / "nope.csv"))
    assert code == 1 and "no such file" in output and "Traceback" not in output
