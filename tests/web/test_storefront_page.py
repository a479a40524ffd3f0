"""The storefront page as HTML (the browser suite drives it in chromium)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_storefront_in_both_languages(client: TestClient) -> None:
    en = client.get("/", params={"lang": "en"}).text
    assert '<html lang="en">' in en and ">Search<" in en and "Grocery" in en
    idn = client.get("/", headers={"accept-language": "id-ID,id;q=0.9"}).text
    assert '<html lang="id">' in idn and ">Cari<" in idn and "Bahan makanan" in idn


def test_storefront_search_and_category(client: TestClient) -> None:
    page = client.get("/", params={"q": "coffee", "lang": "en"}).text
    assert "Ground Coffee, 39 oz" in page and "Sepatu" not in page
    sport = client.get("/", params={"category": "Marketplace > Sport"}).text
    assert "Sepatu Lari Pria Ringan" in sport and "Kotak Sepatu" not in sport


def test_storefront_escapes_the_query(client: TestClient) -> None:
    page = client.get("/", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


def test_storefront_shows_the_filters_it_understood(client: TestClient) -> None:
    page = client.get("/", params={"q": "sepatu di bawah 300 ribu rating 4+", "lang": "id"}).text
    assert "Filter dari kata-kata Anda:" in page
    assert "maks. Rp300.000" in page and "rating 4,0+" in page
    en = client.get("/", params={"q": "coffee under $10", "lang": "en"}).text
    assert "up to $10.00" in en and "Ground Coffee, 39 oz" in en


def test_storefront_says_how_it_read_a_misspelt_search(client: TestClient) -> None:
    page = client.get("/", params={"q": "spatu", "lang": "id"}).text
    assert "Menampilkan hasil untuk “sepatu”." in page and "Sepatu Lari Pria Ringan" in page
    en = client.get("/", params={"q": "cofee", "lang": "en"}).text
    assert "Showing results for “coffee”." in en and "Ground Coffee, 39 oz" in en
