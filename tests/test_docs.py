"""The user documentation stays complete: every setting, CLI command, CLI option and ingest field is
documented, and every relative link in the markdown files points at a file (and heading) that exists.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import typer

from hangat.cli import app
from hangat.ingest.schema import FIELDS
from hangat.settings import ENV_PREFIX, field_names

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SETTINGS_MD = DOCS / "settings.md"
CLI_MD = DOCS / "cli.md"
INGEST_MD = DOCS / "ingest.md"

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
INLINE_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s.*)?$", re.MULTILINE)
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")  # http:, https:, mailto:, ...


def read(path: Path) -> str:
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    return path.read_text(encoding="utf-8")


def without_code(text: str) -> str:
    """The markdown with fenced code blocks and inline code removed (links there are not links)."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def heading_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(line index, level, title) of every ATX heading outside fenced code blocks."""
    fence = ""
    for i, line in enumerate(text.splitlines()):
        marker = re.match(r"^\s{0,3}(```|~~~)", line)
        if marker and (not fence or marker.group(1) == fence):
            fence = "" if fence else marker.group(1)
            continue
        m = None if fence else re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if m:
            yield i, len(m.group(1)), m.group(2)


def headings(text: str) -> list[tuple[int, str]]:
    """(level, title) of every heading."""
    return [(level, title) for _, level, title in heading_lines(text)]


def section(text: str, title: str, level: int = 2) -> str:
    """The text under the heading ``title`` of ``level``, up to the next heading of that level or
    higher; empty when there is no such heading."""
    found = list(heading_lines(text))
    starts = [i for i, lvl, t in found if lvl == level and t == title]
    if not starts:
        return ""
    ends = [i for i, lvl, _ in found if i > starts[0] and lvl <= level]
    lines = text.splitlines()
    return "\n".join(lines[starts[0] : ends[0] if ends else len(lines)])


def table_rows(text: str) -> list[list[str]]:
    """The cells of every markdown table row in ``text``."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("|") and not re.fullmatch(r"\|[\s:|\-]+\|?", line):
            rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip("|"))])
    return rows


def slug(title: str) -> str:
    """The anchor GitHub gives a heading."""
    title = re.sub(r"[`*]|<[^>]+>", "", title).strip().lower()
    return re.sub(r"[^\w\- ]", "", title).replace(" ", "-")


# -- settings ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", field_names())
def test_every_setting_has_a_row_in_settings_md(name: str) -> None:
    variable = ENV_PREFIX + name.upper()
    rows = [r for r in table_rows(read(SETTINGS_MD)) if r and r[0] == f"`{name}`"]
    assert rows, f"docs/settings.md: no table row for setting `{name}`"
    assert any(f"`{variable}`" in cell for row in rows for cell in row), (
        f"docs/settings.md: the row for `{name}` does not name `{variable}`"
    )
    assert all(len(row) >= 5 and all(row) for row in rows), (
        f"docs/settings.md: the row for `{name}` has empty cells"
    )


def test_settings_md_documents_precedence_and_a_sample_file() -> None:
    text = read(SETTINGS_MD)
    for needed in ("HANGAT_CONFIG", "--config", "```toml", "data_dir", "log_dir"):
        assert needed in text, f"docs/settings.md does not mention {needed}"
    sample = re.search(r"```toml\n(.*?)```", text, re.DOTALL)
    assert sample is not None
    keys = set(tomllib.loads(sample.group(1)))
    assert keys <= set(field_names()), f"the sample TOML has unknown keys {keys - set(field_names())}"


# -- command line ------------------------------------------------------------------------------------


# Typer may ship its own copy of click, so commands are recognised by shape, not by click's classes.
def commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    """(path, command) for every command and subcommand below ``group`` (a click-style group)."""
    for name, command in sorted(getattr(group, "commands", {}).items()):
        yield " ".join((*path, name)), command
        yield from commands(command, (*path, name))


COMMANDS = dict(commands(typer.main.get_command(app)))


def option_names(command: Any) -> list[str]:
    return [
        name
        for param in command.params
        if param.param_type_name == "option"
        for name in (*param.opts, *param.secondary_opts)
    ]


def test_the_cli_has_the_expected_shape() -> None:
    # Guards the walk itself: if it found nothing, every test below would pass vacuously.
    assert {"migrate", "ingest", "demo", "serve", "chat", "eval", "eval ingest"} <= set(COMMANDS)
    assert "--database-url" in option_names(COMMANDS["ingest"])


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_has_a_section_in_cli_md(path: str) -> None:
    assert section(read(CLI_MD), f"hangat {path}"), f"docs/cli.md has no heading '## hangat {path}'"


@pytest.mark.parametrize(
    ("path", "option"),
    [(path, option) for path, command in sorted(COMMANDS.items()) for option in option_names(command)],
)
def test_every_option_is_documented_in_its_command_section(path: str, option: str) -> None:
    body = section(read(CLI_MD), f"hangat {path}")
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", body), (
        f"docs/cli.md: the section '## hangat {path}' does not mention {option}"
    )


def test_cli_md_documents_no_command_that_does_not_exist() -> None:
    documented = [
        title.removeprefix("hangat ")
        for level, title in headings(read(CLI_MD))
        if level == 2 and title.startswith("hangat ")
    ]
    stale = sorted(set(documented) - set(COMMANDS))
    assert not stale, f"docs/cli.md documents commands that do not exist: {stale}"


def test_cli_md_mentions_python_dash_m() -> None:
    assert "python -m hangat" in read(CLI_MD)


# -- ingest ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "field"), [(k, f) for k, fields in FIELDS.items() for f in fields])
def test_every_ingest_field_has_a_row_in_ingest_md(kind: str, field: str) -> None:
    text = read(INGEST_MD)
    titles = [title for level, title in headings(text) if level == 3 and title.startswith(f"`{kind}`")]
    assert titles, f"docs/ingest.md has no '### `{kind}`…' section"
    rows = table_rows(section(text, titles[0], level=3))
    assert any(row[0] == f"`{field}`" for row in rows), (
        f"docs/ingest.md: the `{kind}` table has no row for `{field}`"
    )


# -- links -------------------------------------------------------------------------------------------


def markdown_files() -> list[Path]:
    return [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]


def links(text: str) -> list[str]:
    plain = without_code(text)
    return INLINE_LINK.findall(plain) + REFERENCE_LINK.findall(plain)


@pytest.mark.parametrize("doc", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_to_existing_files(doc: Path) -> None:
    broken = []
    for target in links(read(doc)):
        if EXTERNAL.match(target) or target.startswith("//"):
            continue
        path_part, _, anchor = target.partition("#")
        dest = (doc.parent / unquote(path_part)).resolve() if path_part else doc
        if not dest.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and dest.suffix == ".md" and anchor not in {slug(t) for _, t in headings(read(dest))}:
            broken.append(f"{target} (no heading #{anchor} in {dest.name})")
    assert not broken, f"{doc.relative_to(ROOT)}: broken links: {broken}"


def test_link_check_sees_links() -> None:
    # Guards the link pattern itself: the docs link to each other.
    assert "cli.md" in {t.partition("#")[0] for t in links(read(SETTINGS_MD))}
    assert links("[a](b.md) `[c](d.md)` ![e](f.png)\n[g]: h.md\n```\n[i](j.md)\n```") == [
        "b.md",
        "f.png",
        "h.md",
    ]
