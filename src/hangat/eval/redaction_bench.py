"""Redaction recall per kind on a generated English and Indonesian set, beside a naive baseline.

Each sentence carries one personal datum — an e-mail, a phone number (Indonesian in every common
form, and other countries' with their "+"), a payment card (grouped or not), a NIK or an NPWP —
written by ``faker`` (``en_US`` and ``id_ID``) or built to the identifier's structure, inside an
everyday shop sentence in its language. A datum counts as caught when none of its digits-and-letters
survive in the masked text. Sentences with no personal data but with prices, order codes, dates,
sizes and model numbers measure false alarms. The baseline is the first thing people write: any
``word@word`` and any run of 8 or more digits (with spaces or dashes) is masked.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import phonenumbers
from faker import Faker
from stdnum.id import nik, npwp

from hangat.eval.machine import describe
from hangat.privacy.redaction import KINDS, redact

TEMPLATES = {
    "en": [
        "Hi, you can reach me at {v} if the parcel is late.",
        "My details: {v}. Please send the invoice there.",
        "Please update my account, the new one is {v}",
        "{v} — that's mine, call or write after 5pm",
        "is it ok if I give {v} for the delivery?",
    ],
    "id": [
        "Kak, kalau paketnya telat hubungi saya di {v} ya",
        "Data saya: {v}. Tolong kirim fakturnya ke situ.",
        "tolong ganti datanya jadi {v} makasih",
        "{v} itu punya saya kak, chat aja",
        "boleh pakai {v} buat pengirimannya?",
    ],
}
LABELS = {
    "email": {"en": "email", "id": "email"},
    "phone": {"en": "phone", "id": "no HP"},
    "card": {"en": "card number", "id": "nomor kartu"},
    "nik": {"en": "ID number (NIK)", "id": "NIK"},
    "npwp": {"en": "tax number (NPWP)", "id": "NPWP"},
}
NEGATIVES = {
    "en": [
        "Do you have the iPhone 13 128GB for under $799.99?",
        "My order INV-20261120-001 arrived on 12/05/2026, thanks!",
        "I need 24 packs of 500 ml water, size 42 shoes and a 2000 mAh battery",
        "The Samsung Galaxy A54 5G SM-A546E costs 5,999,000 rupiah?",
        "tracking number JX1234567890123 says delivered at 14:35",
    ],
    "id": [
        "Harga Rp1.250.000 buat 2 pcs masih berlaku kak?",
        "pesanan INV-20261120-001 udah sampe tgl 12/05/2026",
        "mau 24 dus air 600 ml sama sepatu ukuran 42, budget 1,5 jt",
        "resi JX1234567890123 katanya udah diterima jam 14.35",
        "beli kopi 3 x 165 gr total 37.500 ribu ya",
    ],
}


def generate(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` sentences with one datum each (kinds and languages in turn), then the negatives."""
    rng = random.Random(seed)
    fakers = {"en": Faker("en_US"), "id": Faker("id_ID")}
    for f in fakers.values():
        f.seed_instance(seed)
    makers: dict[str, Callable[[str], str]] = {
        "email": lambda lang: _email(fakers[lang], rng),
        "phone": lambda lang: _phone(fakers[lang], rng, lang),
        "card": lambda lang: _card(fakers[lang], rng),
        "nik": lambda lang: _nik(rng),
        "npwp": lambda lang: _npwp(rng),
    }
    rows = []
    for i in range(n):
        kind, lang = KINDS[i % len(KINDS)], ("en", "id")[(i // len(KINDS)) % 2]
        value = makers[kind](lang)
        template = rng.choice(TEMPLATES[lang])
        if rng.random() < 0.5:
            value = f"{LABELS[kind][lang]} {value}"
        rows.append({"kind": kind, "language": lang, "value": value, "text": template.format(v=value)})
    for lang, texts in NEGATIVES.items():
        rows.extend({"kind": "none", "language": lang, "value": "", "text": t} for t in texts)
    for i in range(n // 5):  # as many sentences without personal data as of each kind with it
        lang = ("en", "id")[i % 2]
        rows.append({"kind": "none", "language": lang, "value": "", "text": _negative(rng, lang)})
    return rows


def _negative(rng: random.Random, lang: str) -> str:
    """A shop sentence full of numbers that identify no one: prices, codes, dates, sizes, times."""
    price = rng.randint(5, 9_999) * 500
    idr = f"Rp{price:,}".replace(",", ".")
    date = f"{rng.randint(2024, 2027)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    pieces = [
        idr,
        f"${rng.randint(1, 999)}.{rng.randint(0, 99):02d}",
        f"{rng.randint(1, 9)},{rng.randint(1, 9)} jt",
        f"INV-{date}-{rng.randint(1, 999):03d}",
        f"order #{rng.randint(100_000, 99_999_999)}",
        f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(2024, 2027)}",
        f"{date[:4]}-{date[4:6]}-{date[6:]}",
        f"{rng.randint(1, 99)} pcs",
        f"size {rng.randint(35, 46)}",
        f"{rng.randint(100, 20_000)} mAh",
        f"{rng.randint(1, 23):02d}:{rng.randint(0, 59):02d}",
        f"SM-A{rng.randint(100, 999)}E",
        f"{rng.randint(1, 5)} x {rng.randint(50, 999)} gr",
        f"{rng.randint(1, 50)} kg",
        f"JX{rng.randint(10**12, 10**13 - 1)}",
        f"{rng.randint(1, 4)} TB SSD",
    ]
    chosen = rng.sample(pieces, 3)
    if lang == "id":
        return f"kak, {chosen[0]} itu buat {chosen[1]} ya? cek juga {chosen[2]}"
    return f"Is {chosen[0]} right for {chosen[1]}? Also check {chosen[2]}."


def _email(f: Faker, rng: random.Random) -> str:
    email = rng.choice([f.email, f.free_email, f.company_email, f.ascii_safe_email])()
    return email.upper() if rng.random() < 0.05 else email


def _phone(f: Faker, rng: random.Random, lang: str) -> str:
    if lang == "id":
        local = (
            "8"
            + rng.choice("12135789")
            + "".join(rng.choice("0123456789") for _ in range(rng.choice([8, 9, 10])))
        )
        styles = [
            lambda: "0" + local,
            lambda: "+62" + local,
            lambda: "+62 " + " ".join(re.findall(r".{1,4}", local)),
            lambda: "0" + local[:3] + "-" + local[3:7] + "-" + local[7:],
            lambda: "62" + local,
            lambda: "0" + local[:3] + " " + local[3:7] + " " + local[7:],
            lambda: "0" + local[:3] + "." + local[3:7] + "." + local[7:],
            lambda: "+62-" + local[:3] + "-" + local[3:7] + "-" + local[7:],
            lambda: "(+62) " + local,
            lambda: f.phone_number(),
        ]
        return rng.choice(styles)()
    region = rng.choice(["US", "GB", "AU", "SG", "MY", "DE"])
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    assert example is not None
    national = str(example.national_number)
    national = national[:-4] + "".join(rng.choice("0123456789") for _ in range(4))
    number = phonenumbers.parse(f"+{example.country_code}{national}")
    style = rng.choice([phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.E164])
    return phonenumbers.format_number(number, style)


def _card(f: Faker, rng: random.Random) -> str:
    digits = f.credit_card_number(card_type=rng.choice(["visa", "mastercard", "amex", "jcb", "discover"]))
    sep = rng.choice([" ", "-"])
    if rng.random() < 0.5 and len(digits) == 16:
        return sep.join(re.findall(r"\d{4}", digits))
    if rng.random() < 0.5 and len(digits) == 15:  # American Express: 4-6-5
        return sep.join((digits[:4], digits[4:10], digits[10:]))
    return digits


def _nik(rng: random.Random) -> str:
    while True:
        day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)
        value = (f"{rng.choice([11, 12, 31, 32, 33, 34, 35, 36, 51, 61, 64, 71, 73, 94])}"
                 f"{rng.randint(1, 79):02d}{rng.randint(1, 40):02d}{day:02d}{rng.randint(1, 12):02d}"
                 f"{rng.randint(0, 99):02d}{rng.randint(1, 9999):04d}")  # fmt: skip
        if nik.is_valid(value):
            return " ".join(re.findall(r"\d{4}", value)) if rng.random() < 0.2 else value


def _npwp(rng: random.Random) -> str:
    while True:
        digits = "0" + "".join(rng.choice("0123456789") for _ in range(14))
        if npwp.is_valid(digits):
            if rng.random() < 0.6:
                d = digits
                return f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"
            return digits


_NAIVE = re.compile(r"\S+@\S+|\+?\d[\d \-]{6,}\d")


def naive(text: str) -> str:
    """The baseline: any ``word@word`` and any run of 8+ digits (with spaces or dashes) masked."""
    return _NAIVE.sub("[masked]", text)


def _caught(value: str, masked: str) -> bool:
    """Whether no part of ``value`` that identifies anyone survives: its digits (for numbers) or
    its local part (for e-mails)."""
    if "@" in value:
        core = value.split()[-1].split("@")[0]
        return core not in masked
    digits = re.sub(r"\D", "", value)
    return digits not in re.sub(r"\D", "", masked)


def run(n: int = 2000, seed: int = 7) -> dict[str, Any]:
    rows = generate(n, seed)
    systems: dict[str, Callable[[str], str]] = {"hangat": lambda t: redact(t).text, "naive": naive}
    out: dict[str, Any] = {"n": n, "seed": seed, "systems": {}, "machine": describe()}
    misses: dict[str, list[str]] = defaultdict(list)
    for name, fn in systems.items():
        hit: Counter[str] = Counter()
        total: Counter[str] = Counter()
        false_alarms, negatives = 0, 0
        for r in rows:
            masked = fn(r["text"])
            if r["kind"] == "none":
                negatives += 1
                false_alarms += masked != r["text"]
                continue
            key = f"{r['kind']}"
            total[key] += 1
            ok = _caught(r["value"], masked)
            hit[key] += ok
            if not ok and name == "hangat" and len(misses[key]) < 3:
                misses[key].append(r["text"])
        out["systems"][name] = {
            "recall": {k: round(hit[k] / total[k], 4) for k in KINDS},
            "false_alarm_rate": round(false_alarms / negatives, 3) if negatives else None,
            "negatives": negatives,
        }
    out["per_kind"] = {k: sum(1 for r in rows if r["kind"] == k) for k in KINDS}
    out["misses"] = dict(misses)
    return out


def markdown(result: dict[str, Any], command: str) -> str:
    rows = "\n".join(
        f"| {name} | " + " | ".join(f"{s['recall'][k]:.4f}" for k in KINDS) + f" | {s['false_alarm_rate']} |"
        for name, s in result["systems"].items()
    )
    return (
        "## Redaction\n\n"
        f"Command: `{command}`\n\n"
        f"Data: generated by `hangat.eval.redaction_bench` with faker (en_US, id_ID), seed {result['seed']}: "
        f"{result['n']} sentences in English and Indonesian, one personal datum each "
        f"({', '.join(f'{k} {v}' for k, v in result['per_kind'].items())}), plus "
        f"{result['systems']['hangat']['negatives']} sentences with prices, order codes, dates and "
        "sizes but no personal data. Recall: the datum's digits (or an e-mail's local part) no longer "
        "appear; false alarms: a sentence with no personal data changed. `naive` masks any "
        "`word@word` and any run of 8+ digits, in the same run.\n\n"
        f"Machine: {result['machine']}\n\n"
        "| system | " + " | ".join(KINDS) + " | false alarms |\n"
        "|---|" + "---:|" * (len(KINDS) + 1) + "\n" + rows + "\n\n"
        "Target (privacy issue): at least 0.99 for e-mail, phone, card and NIK.\n"
    )
