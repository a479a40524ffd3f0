"""`hangat train understand` end to end on a miniature copy of the public data's formats."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from hangat.cli import app
from hangat.understand.understander import Understander

SHOP = [
    ("halo kak", ["greeting"], "neutral"),
    ("hello there", ["greeting"], "neutral"),
    ("selamat pagi min", ["greeting"], "neutral"),
    ("hi, good morning", ["greeting"], "neutral"),
    ("mau cari sepatu lari hitam", ["search"], "neutral"),
    ("do you sell oat milk", ["search"], "neutral"),
    ("ada kopi bubuk 165g?", ["search"], "neutral"),
    ("looking for a red dress", ["search"], "neutral"),
    ("paket saya belum sampai, kesel banget", ["order_status"], "frustration"),
    ("where is my order??", ["order_status"], "frustration"),
    ("kapan pesanan saya sampai", ["order_status"], "anxiety"),
    ("my parcel is late again", ["order_status"], "frustration"),
    ("makasih banyak ya kak", ["smalltalk"], "gratitude"),
    ("thanks a lot!", ["smalltalk"], "gratitude"),
    ("terima kasih atas bantuannya", ["smalltalk"], "gratitude"),
    ("thank you so much", ["smalltalk"], "gratitude"),
]


def write_data(root: Path) -> Path:
    data = root / "data"
    (data / "emotion/goemotions/original").mkdir(parents=True)
    (data / "emotion/indonlu-emot").mkdir(parents=True)
    (data / "catalog/prdect-id").mkdir(parents=True)
    (data / "intents/clinc150").mkdir(parents=True)
    # GoEmotions ids: 2 anger, 15 gratitude, 17 joy, 27 neutral
    ge = [
        "I am so angry at this\t2\ta",
        "thank you kindly\t15\tb",
        "what a lovely day\t17\tc",
        "ok then\t27\td",
    ]
    (data / "emotion/goemotions/original/train.tsv").write_text("\n".join(ge * 5) + "\n", encoding="utf-8")
    emot = ["anger,kesal banget sama pelayanannya", "happy,senang sekali hari ini", "sadness,sedih rasanya",
            "fear,takut banget"]  # fmt: skip
    (data / "emotion/indonlu-emot/train_preprocess.csv").write_text(
        "\n".join(["label,tweet", *emot * 5]) + "\n", encoding="utf-8"
    )
    (data / "catalog/prdect-id/PRDECT-ID_Dataset.csv").write_text(
        "Customer Review,Emotion\nbarang bagus sekali,Happy\nkecewa barang rusak,Anger\n", encoding="utf-8"
    )
    clinc = {
        "train": [["what is the weather today", "weather"], ["set an alarm", "alarm"], ["hello", "greeting"],
                  ["tell me a joke", "tell_joke"]] * 3,
        "oos_train": [["how tall is everest", "oos"]] * 3,
        "val": [], "oos_val": [],
    }  # fmt: skip
    (data / "intents/clinc150/data_full_train_val.json").write_text(json.dumps(clinc), encoding="utf-8")
    (data / "intents/clinc150/domains.json").write_text(
        json.dumps({"utility": ["weather", "alarm"], "small_talk": ["greeting", "tell_joke"]}),
        encoding="utf-8",
    )
    shop = root / "shop.jsonl"
    rows = []
    for text, intents, emotion in SHOP * 3:
        slots = {"product": text.split()[2]} if intents == ["search"] and len(text.split()) > 2 else {}
        rows.append(json.dumps({"text": text, "intents": intents, "slots": slots, "emotion": emotion,
                                "stakes": [], "group": "en", "now": "2026-03-04"}))  # fmt: skip
    shop.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return data


def test_train_writes_models_the_understander_loads(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HANGAT_DATA_DIR", str(tmp_path / "hangat-data"))
    data = write_data(tmp_path)
    out = tmp_path / "models"
    result = CliRunner().invoke(
        app,
        [
            "train",
            "understand",
            "--data",
            str(data),
            "--shopping",
            str(tmp_path / "shop.jsonl"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["heads"]) == {"emotion", "emotion_id", "intents", "stakes", "tagger"}
    assert sum(manifest["bytes"].values()) < 30_000_000
    u = Understander(models=out).understand("my parcel is late again", date(2026, 3, 4))
    assert u.top_intent == "order_status", u.intents
    assert u.intents[0].confidence > 0.3


def test_a_bad_shopping_file_is_a_clear_error(tmp_path: Path) -> None:
    data = write_data(tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"text": "hi", "intents": ["greeting"]}\n{"text": "x", "intents": ["dance"]}\n', encoding="utf-8"
    )
    result = CliRunner().invoke(
        app,
        ["train", "understand", "--data", str(data), "--shopping", str(bad), "--out", str(tmp_path / "m")],
    )
    assert result.exit_code == 1
    assert "bad.jsonl:2" in result.output and "dance" in result.output
