"""Personal data masked in text, in logs and before an external language model — real log files,
a real HTTP server standing in for the model."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from hangat.adapters.llm.openai import OpenAICompatibleModel
from hangat.logs import configure_logging
from hangat.ports import ChatMessage
from hangat.privacy.redaction import redact
from hangat.settings import Settings

CANARIES = {
    "email": "ayu.lestari.canary@contoh.co.id",
    "phone": "0812-7788-9900",
    "nik": "3171015808900007",
    "npwp": "01.234.567.8-901.000",
    "card": "4111 1111 1111 1111",
}


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("email aku budi.santoso@contoh.co.id ya, WA 0812-3456-7890", {"email": 1, "phone": 1}),
        ("hubungi +62 812 3456 7890 atau +1 (212) 555-0100", {"phone": 2}),
        ("NIK saya 3171011708450001, NPWP 01.234.567.8-901.000", {"nik": 1, "npwp": 1}),
        ("kartu 4111 1111 1111 1111 exp 12/27", {"card": 1}),
        ("call me at +44 20 7946 0958!", {"phone": 1}),
        ("Amex 3782 822463 10005 please", {"card": 1}),
    ],
)
def test_each_kind_is_masked_in_both_languages(text: str, kinds: dict[str, int]) -> None:
    out = redact(text)
    assert dict(out.counts()) == kinds
    assert all(f"[{k}]" in out.text for k in kinds)
    assert not any(ch.isdigit() for part in out.text.split("[") for ch in part.split("]")[-1][:0])


@pytest.mark.parametrize(
    "text",
    [
        "harga Rp1.250.000 untuk 2 pcs, order INV-20261120-001, tgl 12/05/2026",
        "Do you have the iPhone 13 128GB for under $799.99?",
        "resi JX1234567890123 katanya udah diterima jam 14.35",
        "order #48213377 on 2026-11-20, 3 x 165 gr, size 42, 5000 mAh",
        "budget 1,5 jt ya kak, atau 37.500 ribu",
    ],
)
def test_prices_codes_dates_and_sizes_are_not_personal_data(text: str) -> None:
    assert redact(text).text == text


def test_overlaps_go_to_the_stronger_kind_and_odd_input_never_fails() -> None:
    assert redact("3171011708450001").text == "[nik]"  # a NIK, though it is also 16 digits
    for odd in ("", "🙂", "@@@", "+" * 500, "0" * 5000, "\x00"):
        assert isinstance(redact(odd).text, str)


def test_the_log_file_never_holds_personal_data(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, log_dir=tmp_path / "logs")
    root = logging.getLogger()
    before = (root.handlers[:], root.level)
    try:
        configure_logging(settings)
        log = logging.getLogger("hangat.test")
        log.warning("shopper wrote %s", " ".join(CANARIES.values()))
        try:
            raise ValueError(f"bad contact {CANARIES['email']} / {CANARIES['phone']}")
        except ValueError:
            log.exception("turn failed for NIK %s", CANARIES["nik"])
        for handler in root.handlers:
            handler.flush()
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers, level = before
        root.setLevel(level)
    written = (tmp_path / "logs" / "hangat.log").read_text(encoding="utf-8")
    assert "shopper wrote" in written and "ValueError" in written and "[email]" in written
    for kind, value in CANARIES.items():
        assert value not in written, kind
    assert "7788" not in written and "4111" not in written


class _Model(BaseHTTPRequestHandler):
    bodies: ClassVar[list[dict[str, object]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Model.bodies.append(body)
        answer = json.dumps({"choices": [{"message": {"role": "assistant", "content": "ok"}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def model_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Model)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_an_external_language_model_never_sees_personal_data(model_url: str) -> None:
    model = OpenAICompatibleModel(model_url, "local-model")
    said = f"Kirim ke {CANARIES['email']} atau WA {CANARIES['phone']}, NIK {CANARIES['nik']}"
    try:
        assert model.complete([ChatMessage("system", "Rephrase."), ChatMessage("user", said)], 5.0) == "ok"
    finally:
        model.close()
    sent = json.dumps(_Model.bodies[-1])
    assert "[email]" in sent and "[phone]" in sent and "[nik]" in sent
    for value in CANARIES.values():
        assert value not in sent
