"""The reference part of ``docs/indicators.md``, rendered from ``definitions.py`` so the two never drift.

The document keeps the rendered text between two markers; a test fails when it differs from what the
definitions give. To refresh it after changing a definition::

    python -m sswis.indicators.docs docs/indicators.md
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

START = "<!-- generated from sswis/indicators/definitions.py: start -->"
END = "<!-- generated from sswis/indicators/definitions.py: end -->"


def definitions_markdown() -> str:
    """Markdown describing every indicator and every dimension, in definition order."""
    # Imported here so that ``python -m sswis.indicators.docs`` can set Django up first.
    from sswis.indicators.definitions import DIMENSIONS, INDICATORS

    lines: list[str] = []
    for indicator in INDICATORS.values():
        splits = ", ".join(f"`{d}`" for d in indicator.dimensions) if indicator.dimensions else "never split"
        lines += [
            f"### `{indicator.id}` — {indicator.title}",
            "",
            str(indicator.description),
            "",
            f"- **Numerator:** {indicator.numerator}",
            f"- **Denominator:** {indicator.denominator}",
            f"- **Unit of the value:** {indicator.unit}",
            f"- **Empty (null) when:** {indicator.null_when or 'never (0 when nobody is counted)'}",
            f"- **Reference period:** {indicator.reference_period}",
            f"- **Can be split by:** {splits}",
            "",
        ]
    lines += [
        "### Dimensions (`--by`)",
        "",
        "| dimension | what it is | taken from | groups |",
        "|---|---|---|---|",
    ]
    for dimension in DIMENSIONS.values():
        groups = (
            "; ".join(
                f"`{group.code}`" + (f" ({group.description})" if group.description else "")
                for group in dimension.groups
            )
            or "one group per cadre code"
        )
        lines.append(f"| `{dimension.id}` | {dimension.description} | {dimension.source} | {groups} |")
    return "\n".join(lines) + "\n"


def document_refreshed(text: str) -> str:
    """``text`` with the part between the markers replaced by the current rendering."""
    head, found, rest = text.partition(START)
    _, found_end, tail = rest.partition(END)
    if not found or not found_end:
        raise ValueError(f"The document lacks the markers {START!r} and {END!r}.")
    return f"{head}{START}\n{definitions_markdown()}{END}{tail}"


def main(argv: list[str] | None = None) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sswis.settings.base")
    django.setup()
    arguments = sys.argv[1:] if argv is None else argv
    path = Path(arguments[0] if arguments else "docs/indicators.md")
    path.write_text(document_refreshed(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
