"""The SQL store: SQLite (default) and PostgreSQL through SQLAlchemy 2, migrated by Alembic."""
