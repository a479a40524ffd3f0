"""Column mapping: which column of the file feeds which field of hangat (``--map title=product_name``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hangat.errors import InputError

ATTRIBUTE_PREFIX = "attributes."


@dataclass(frozen=True)
class ColumnMapping:
    """``fields`` maps a hangat field to a source column; ``defaults`` gives constant values.

    A field that is not mapped reads the column of the same name, if the file has one.
    ``attributes.<name>=<column>`` puts a column into the product's attributes under ``<name>``.
    """

    fields: Mapping[str, str] = field(default_factory=dict)
    defaults: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, pairs: Sequence[str], defaults: Sequence[str], known: Sequence[str]) -> ColumnMapping:
        return cls(_pairs(pairs, known, "--map"), _pairs(defaults, known, "--default"))

    def source_columns(self, known: Sequence[str]) -> dict[str, str]:
        """Field → column for every field that can be read (mapped, or by its own name)."""
        chosen = {name: name for name in known}
        chosen.update(self.fields)
        return chosen

    def check_columns(self, columns: Sequence[str] | None, path: str) -> None:
        """Every explicitly mapped column must exist in a file that has a header."""
        if columns is None:
            return
        missing = [f"{col!r} (for {f})" for f, col in self.fields.items() if col not in columns]
        if missing:
            raise InputError(
                f"{path}: mapped column(s) not in the file: {', '.join(missing)}; "
                f"the file has: {', '.join(columns)}"
            )

    def apply(self, values: Mapping[str, Any], known: Sequence[str]) -> dict[str, Any]:
        """The row's values by hangat field name (attributes gathered under ``attributes.*``)."""
        return self.bind(known)(values)

    def bind(self, known: Sequence[str]) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
        """A fast row translator for one kind of file (the plan is worked out once)."""
        plan = [
            (name, column, self.defaults.get(name)) for name, column in self.source_columns(known).items()
        ]
        constants = {k: v for k, v in self.defaults.items() if k not in dict.fromkeys(n for n, _, _ in plan)}

        def translate(values: Mapping[str, Any]) -> dict[str, Any]:
            out = dict(constants)
            for name, column, fallback in plan:
                value = values.get(column)
                if value is None or (value.__class__ is str and not value.strip()):
                    value = fallback
                if value is not None:
                    out[name] = value
            return out

        return translate


def _pairs(pairs: Sequence[str], known: Sequence[str], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise InputError(f"{option} {pair!r}: expected FIELD=VALUE")
        if name not in known and not (
            name.startswith(ATTRIBUTE_PREFIX) and len(name) > len(ATTRIBUTE_PREFIX)
        ):
            raise InputError(
                f"{option} {pair!r}: unknown field {name!r}; fields are {', '.join(known)}"
                f" and {ATTRIBUTE_PREFIX}<name>"
            )
        out[name] = value
    return out
