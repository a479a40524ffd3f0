"""The shape of the code: a pure core, and a public API pinned by ``__all__``."""

from __future__ import annotations

import ast
from pathlib import Path

import hangat

SRC = Path(hangat.__file__).parent
CORE = ["domain", "understand", "dialogue", "search", "recommend", "i18n", "answers", "reviews", "handoff"]
FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "alembic", "psycopg", "uvicorn", "httpx", "typer",
             "rich", "hangat.adapters", "hangat.web", "hangat.cli")  # fmt: skip


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_core_imports_no_web_database_or_terminal_library() -> None:
    offenders = []
    for package in CORE:
        for path in (SRC / package).rglob("*.py"):
            for name in imports_of(path):
                if name.startswith(FORBIDDEN):
                    offenders.append(f"{path.relative_to(SRC)} imports {name}")
    for module in ("ports.py", "errors.py", "settings.py"):
        offenders += [f"{module} imports {n}" for n in imports_of(SRC / module) if n.startswith(FORBIDDEN)]
    assert offenders == []


def test_web_routes_hold_no_sql() -> None:
    for path in (SRC / "web").rglob("*.py"):
        assert not any(n.startswith(("sqlalchemy", "hangat.adapters")) for n in imports_of(path)), path


def test_public_api() -> None:
    from hangat import assistant

    assert assistant.__all__ == ["Assistant", "SearchResult", "TurnResult", "build_assistant"]
    assert hangat.__version__
