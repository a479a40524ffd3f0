"""``hangat eval reviews`` on tiny FewSum-shaped files, through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hangat.cli import app
from hangat.eval.reviews_bench import COLUMNS, first_sentences, hangat_text, load

runner = CliRunner()

REVIEWS = [
    "Great shorts. They fit well and the material is soft.",
    "The liner is too tight. Otherwise they look good.",
    "Nice style for the price. I would buy again.",
    "Cheaply made. The stitching came apart after a week.",
    "Fit is true to size. Pockets are deep and useful.",
    "The mesh liner is tight, I had to cut it out.",
    "Good quality and a fair price. Shipping was fast.",
    "They look sharp and dry quickly.",
]
SUMMARY = "These shorts fit well and look good for the price, but the liner is tight."


def fewsum_file(path: Path, products: int = 2) -> Path:
    rows = ["\t".join(COLUMNS)]
    for p in range(products):
        rows.append("\t".join(["cloth", f"G{p}", *REVIEWS, SUMMARY, SUMMARY, SUMMARY, *["4.0"] * 8]))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_load_reads_products_reviews_and_references(tmp_path: Path) -> None:
    products = load(fewsum_file(tmp_path / "f.csv"))
    assert [p.group_id for p in products] == ["G0", "G1"]
    assert len(products[0].reviews) == 8 and products[0].references == (SUMMARY,) * 3
    assert products[0].reviews[3].text == REVIEWS[3] and products[0].reviews[3].rating == 4


def test_both_systems_are_extractive_and_cut_to_the_budget(tmp_path: Path) -> None:
    reviews = load(fewsum_file(tmp_path / "f.csv"))[0].reviews
    assert first_sentences(reviews).startswith("Great shorts. The liner is too tight. Nice style")
    ours = hangat_text(reviews)
    assert 0 < len(ours.split()) <= 50
    sentences = [s for r in REVIEWS for s in r.replace(". ", ".\n").splitlines()]
    assert any(ours.startswith(s) for s in sentences)


def test_eval_reviews_json_and_report(tmp_path: Path) -> None:
    report = tmp_path / "bench.md"
    result = runner.invoke(
        app,
        [
            "eval",
            "reviews",
            "--file",
            str(fewsum_file(tmp_path / "f.csv")),
            "--json",
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["products"] == 2
    assert set(out["systems"]) == {"hangat", "first_sentences"}
    for scores in out["systems"].values():
        assert set(scores) >= {"rouge1", "rouge2", "rougeL"}
        assert 0 < scores["rougeL"] <= scores["rouge1"] <= 1
    text = report.read_text(encoding="utf-8")
    assert "### Review synthesis" in text and "hangat eval reviews --file" in text and "| hangat |" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("cat,group_id,rev1\ncloth,G0,nice\n", "missing columns"),
        (
            "\t".join(COLUMNS)
            + "\n"
            + "\t".join(["cloth", "G0", *REVIEWS, "s", "s", "s", *["x"] * 8])
            + "\n",
            "is not a number",
        ),
        ("\t".join(COLUMNS) + "\ncloth\tG0\tonly three\n", "tab-separated fields"),
        ("\t".join(COLUMNS) + "\n", "no products"),
    ],
)
def test_a_malformed_file_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["eval", "reviews", "--file", str(path)])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "reviews", "--file", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1 and "no such file" in result.output
