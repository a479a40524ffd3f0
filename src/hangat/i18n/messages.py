"""The message catalogs (English and Indonesian) and locale-aware number and price formatting.

Kept as plain dictionaries: a test checks that both languages have exactly the same keys and
placeholders, which is all gettext would add for two languages.
"""

from __future__ import annotations

from decimal import Decimal

from hangat.i18n.channel_messages import CHANNEL
from hangat.i18n.console_messages import CONSOLE
from hangat.i18n.dialogue_messages import DIALOGUE
from hangat.i18n.memory_messages import MEMORY

LANGUAGES = ("en", "id")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "reply.results": "Here are {n} products that match “{query}”.",
        "reply.result_one": "Here is one product that matches “{query}”.",
        "reply.no_results": "I found nothing for “{query}”. Try other words, or browse the categories.",
        "reply.greeting": (
            "Hi! I'm hangat, this store's AI assistant. Tell me what you're looking for — "
            "for example “running shoes” or “coffee”."
        ),
        "reply.not_yet": (
            "I can't help with that here yet. I can search this store's products for you; for anything "
            "else, please contact the store directly."
        ),
        "reason.matched": "Matches “{terms}”",
        "reason.matched_translated": "Matches “{terms}” (for “{query}”)",
        "reason.similar": "Close in meaning to “{query}”",
        "reason.sold": "{sold} sold",
        "reason.rating": "rated {rating}★",
        "error.empty_message": "The message is empty.",
        "error.too_long": "The message is too long ({n} characters; the limit is {limit}).",
        "store.title": "{store}",
        "store.tagline": "A warm shopping assistant, in English and Bahasa Indonesia.",
        "store.search_label": "Search products",
        "store.search_placeholder": "Search, e.g. sepatu, coffee",
        "store.search_button": "Search",
        "store.all_products": "All products",
        "store.categories": "Categories",
        "store.departments": "Departments",
        "store.results_for": "{n} results for “{query}”",
        "store.read_as": "Showing results for “{text}”.",
        "store.no_results": "No products match “{query}”.",
        "store.popular": "Popular products",
        "store.filters_applied": "Filters from your words:",
        "filter.price_min": "from {value}",
        "filter.price_max": "up to {value}",
        "filter.min_rating": "rating {value}+",
        "filter.in_stock": "in stock",
        "filter.brand": "brand {value}",
        "filter.category": "category {value}",
        "store.language": "Language",
        "store.shopper": "Signed-in shopper",
        "store.guest": "Guest (not signed in)",
        "store.sign_in": "Sign in",
        "store.shopper_hint": "Household id, e.g. cj-h1 (empty: guest)",
        "store.signed_in_as": "Signed in as {name}",
        "store.unknown_shopper": "No shopper has the id “{id}”.",
        "store.rating": "Rating {rating} of 5",
        "store.sold": "{sold} sold",
        "store.price_unknown": "Price not listed",
        "store.skip": "Skip to products",
        "store.attribution": "Demo data: PRDECT-ID (Tokopedia, CC BY 4.0) and The Complete Journey (84.51°).",
        "chat.title": "Chat with the shopping assistant",
        "chat.ai_label": "AI assistant",
        "chat.open": "Open chat",
        "chat.close": "Close chat",
        "chat.input_label": "Your message",
        "chat.placeholder": "Ask about products…",
        "chat.send": "Send",
        "chat.you": "You",
        "chat.typing": "The assistant is typing…",
        "chat.error": "The message could not be sent. Check your connection and try again.",
        "chat.welcome": "Hi! Tell me what you're looking for.",
        "chat.person_button": "Talk to a person",
        "chat.person_request": "I'd like to talk to a person from the store, please.",
        "chat.staff_label": "{name} from the store",
        "chat.staff_joined": "{name} from the store has joined. The assistant is quiet while {name} is here.",
        "chat.staff_left": "{name} has handed the conversation back to the AI assistant.",
        "chat.reconnecting": "Connection lost — reconnecting…",
        "chat.plain": "Plain language",
        "chat.text_size": "Text size",
        "chat.smaller": "Smaller text",
        "chat.larger": "Larger text",
        "chat.language": "Language",
        "chat.launcher": "Chat with us",
        "chat.offline": "You are offline. Your message will be sent when the connection is back.",
        "widget.bad_key": "This site's widget key is not known to the shopping assistant.",
        "widget.demo_title": "A page that embeds the hangat widget",
        "widget.demo_intro": (
            "This page is not part of the store: it shows the chat widget as any site would embed "
            "it, with one script tag and the store's public key."
        ),
        "widget.demo_code": "The tag on this page:",
        "department.Marketplace": "Marketplace",
        "department.Grocery": "Grocery",
        "reviews.none": "No reviews yet.",
        "reviews.count": "{n} reviews",
        "reviews.count_one": "{n} review",
        "reviews.summary": "{count}, {rating}★ on average.",
        "reviews.summary_unrated": "{count}, without star ratings.",
        "reviews.praised": "Most praised: {aspects}.",
        "reviews.complaints": "Complaints: {aspects}.",
        "reviews.aspect_first": "{aspect} ({n} reviewers)",
        "reviews.aspect_first_one": "{aspect} ({n} reviewer)",
        "reviews.aspect_more": "{aspect} ({n})",
        "reviews.list_separator": ", ",
    },
    "id": {
        "reply.results": "Ini {n} produk yang cocok dengan “{query}”.",
        "reply.result_one": "Ini satu produk yang cocok dengan “{query}”.",
        "reply.no_results": (
            "Saya tidak menemukan produk untuk “{query}”. Coba kata lain, atau lihat kategori."
        ),
        "reply.greeting": (
            "Halo! Saya hangat, asisten AI toko ini. Ceritakan apa yang Anda cari — "
            "misalnya “sepatu lari” atau “kopi”."
        ),
        "reply.not_yet": (
            "Untuk itu saya belum bisa membantu di sini. Saya bisa mencarikan produk toko ini; untuk hal "
            "lain, silakan hubungi toko langsung."
        ),
        "reason.matched": "Cocok dengan “{terms}”",
        "reason.matched_translated": "Cocok dengan “{terms}” (untuk “{query}”)",
        "reason.similar": "Maknanya dekat dengan “{query}”",
        "reason.sold": "terjual {sold}",
        "reason.rating": "rating {rating}★",
        "error.empty_message": "Pesannya kosong.",
        "error.too_long": "Pesannya terlalu panjang ({n} karakter; batasnya {limit}).",
        "store.title": "{store}",
        "store.tagline": "Asisten belanja yang hangat, dalam bahasa Indonesia dan Inggris.",
        "store.search_label": "Cari produk",
        "store.search_placeholder": "Cari, mis. sepatu, coffee",
        "store.search_button": "Cari",
        "store.all_products": "Semua produk",
        "store.categories": "Kategori",
        "store.departments": "Departemen",
        "store.results_for": "{n} hasil untuk “{query}”",
        "store.read_as": "Menampilkan hasil untuk “{text}”.",
        "store.no_results": "Tidak ada produk yang cocok dengan “{query}”.",
        "store.popular": "Produk populer",
        "store.filters_applied": "Filter dari kata-kata Anda:",
        "filter.price_min": "mulai {value}",
        "filter.price_max": "maks. {value}",
        "filter.min_rating": "rating {value}+",
        "filter.in_stock": "stok tersedia",
        "filter.brand": "merek {value}",
        "filter.category": "kategori {value}",
        "store.language": "Bahasa",
        "store.shopper": "Pembeli yang masuk",
        "store.guest": "Tamu (belum masuk)",
        "store.sign_in": "Masuk",
        "store.shopper_hint": "Id rumah tangga, mis. cj-h1 (kosong: tamu)",
        "store.signed_in_as": "Masuk sebagai {name}",
        "store.unknown_shopper": "Tidak ada pembeli dengan id “{id}”.",
        "store.rating": "Rating {rating} dari 5",
        "store.sold": "terjual {sold}",
        "store.price_unknown": "Harga tidak dicantumkan",
        "store.skip": "Langsung ke produk",
        "store.attribution": "Data demo: PRDECT-ID (Tokopedia, CC BY 4.0) dan The Complete Journey (84.51°).",
        "chat.title": "Ngobrol dengan asisten belanja",
        "chat.ai_label": "Asisten AI",
        "chat.open": "Buka obrolan",
        "chat.close": "Tutup obrolan",
        "chat.input_label": "Pesan Anda",
        "chat.placeholder": "Tanya tentang produk…",
        "chat.send": "Kirim",
        "chat.you": "Anda",
        "chat.typing": "Asisten sedang mengetik…",
        "chat.error": "Pesan tidak terkirim. Periksa koneksi Anda lalu coba lagi.",
        "chat.welcome": "Halo! Ceritakan apa yang Anda cari.",
        "chat.person_button": "Bicara dengan orang",
        "chat.person_request": "Saya ingin bicara dengan orang dari toko.",
        "chat.staff_label": "{name} dari toko",
        "chat.staff_joined": "{name} dari toko sudah bergabung. Asisten diam selama {name} di sini.",
        "chat.staff_left": "{name} sudah mengembalikan percakapan ke asisten AI.",
        "chat.reconnecting": "Koneksi terputus — menyambung ulang…",
        "chat.plain": "Bahasa sederhana",
        "chat.text_size": "Ukuran teks",
        "chat.smaller": "Teks lebih kecil",
        "chat.larger": "Teks lebih besar",
        "chat.language": "Bahasa",
        "chat.launcher": "Tanya kami",
        "chat.offline": "Anda sedang offline. Pesan Anda akan dikirim saat koneksi kembali.",
        "widget.bad_key": "Kunci widget situs ini tidak dikenal oleh asisten belanja.",
        "widget.demo_title": "Halaman yang memasang widget hangat",
        "widget.demo_intro": (
            "Halaman ini bukan bagian dari toko: halaman ini menampilkan widget obrolan seperti yang "
            "dipasang situs mana pun, dengan satu tag script dan kunci publik toko."
        ),
        "widget.demo_code": "Tag di halaman ini:",
        "department.Marketplace": "Marketplace",
        "department.Grocery": "Bahan makanan",
        "reviews.none": "Belum ada ulasan.",
        "reviews.count": "{n} ulasan",
        "reviews.count_one": "{n} ulasan",
        "reviews.summary": "{count}, rata-rata {rating}★.",
        "reviews.summary_unrated": "{count}, tanpa rating bintang.",
        "reviews.praised": "Paling dipuji: {aspects}.",
        "reviews.complaints": "Keluhan: {aspects}.",
        "reviews.aspect_first": "{aspect} ({n} pengulas)",
        "reviews.aspect_first_one": "{aspect} ({n} pengulas)",
        "reviews.aspect_more": "{aspect} ({n})",
        "reviews.list_separator": ", ",
    },
}
for _catalog in (
    DIALOGUE,
    CONSOLE,
    CHANNEL,
    MEMORY,
):  # the conversation's, console's, text channel's: own modules
    for _lang, _more in _catalog.items():
        MESSAGES[_lang].update(_more)


def t(lang: str, key: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (English if the language is unknown), filled with ``values``."""
    catalog = MESSAGES.get(lang, MESSAGES["en"])
    return catalog[key].format(**values)


def voiced(lang: str, key: str, tone: str = "warm", plain: bool = False, **values: object) -> str:
    """``key`` in the store's tone and, for a shopper who asked for it, in plain language: the
    variant ``key#plain`` wins, then ``key#<tone>``, then ``key`` itself."""
    catalog = MESSAGES.get(lang, MESSAGES["en"])
    for variant in ((f"{key}#plain",) if plain else ()) + (f"{key}#{tone}", key):
        if variant in catalog:
            return catalog[variant].format(**values)
    raise KeyError(key)


def format_number(value: float | int | Decimal, lang: str, decimals: int = 0) -> str:
    """``12,300`` in English, ``12.300`` in Indonesian."""
    text = f"{value:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_price(amount: Decimal | None, currency: str, lang: str) -> str:
    """A price as shoppers write it: ``Rp53.500``, ``$3.49``, ``US$3,49``, ``₹999``."""
    if amount is None:
        return t(lang, "store.price_unknown")
    if currency == "IDR":
        return f"Rp{format_number(amount, 'id' if lang == 'id' else 'en')}"
    decimals = 0 if amount == amount.to_integral_value() and currency == "INR" else 2
    number = format_number(amount, lang, decimals)
    symbol = {"USD": "US$" if lang == "id" else "$", "INR": "₹", "EUR": "€"}.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency}"
