from __future__ import annotations

from hangat.search.text import analyze, stems, without_chat, words


def test_words_expand_informal_forms_and_split_units() -> None:
    assert words("Sepatu lari yg ringan utk anak, 250gr") == ["sepatu", "lari", "ringan", "anak", "250", "g"]
    assert words("HP Samsung bgt murah") == ["handphone", "samsung", "murah"]
    assert words("1,5 kg and 12 oz") == ["1,5", "kg", "12", "oz"]
    assert words("") == [] and words("🙂 <b>") == []  # one-letter words carry nothing


def test_stems_follow_the_language() -> None:
    assert stems(["lights", "running"], "en") == ["light", "run"]
    assert stems(["pembersih", "mainan"], "id") == ["bersih", "main"]
    assert stems(["lights", "mainan"], "mixed") == ["light", "lights", "mainan", "main"]


def test_analyze_drops_stop_words_of_both_languages() -> None:
    assert analyze("the lamp for my mother", "en") == ["lamp", "mother"]
    assert analyze("saya mau cari lampu untuk ibu", "id") == ["lampu", "ibu"]


def test_the_chat_around_a_request_is_not_searched_for() -> None:
    assert words("selai kacang ada ga kak?") == ["selai", "kacang"]
    assert words("jual hoodie polos gak min?") == ["hoodie", "polos"]
    assert without_chat("Apakah tersedia sambal kemasan botol?") == "sambal kemasan botol"
    assert without_chat("roti tawar gandum ada ga kak? buat keluarga") == "roti tawar gandum buat keluarga"
    assert without_chat("ada ga kak?") == "ada ga kak?"  # nothing but chat: kept as it was
    assert without_chat("Kakao bubuk") == "Kakao bubuk"  # whole words only
