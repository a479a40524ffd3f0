"""The bundled demo store: a Tokopedia marketplace (PRDECT-ID) and a grocery (The Complete Journey)."""
