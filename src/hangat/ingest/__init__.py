"""Catalog, review and order ingest from CSV, JSONL and Parquet files."""
