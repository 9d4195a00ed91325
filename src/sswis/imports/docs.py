"""Keeping ``docs/mapping-template.md`` in step with the schema and the messages.

The generated parts of the page sit between marker comments (``<!-- schema:begin -->`` ...
``<!-- schema:end -->`` and the same for ``messages``). After changing ``schema.py`` or
``messages.py``, refresh them with::

    DJANGO_SETTINGS_MODULE=sswis.settings.base python -c \\
        "import django; django.setup(); from pathlib import Path; from sswis.imports.docs import docs_refresh; docs_refresh(path=Path('docs/mapping-template.md'))"

A test fails while the page and the code disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

from sswis.imports.messages import messages_markdown
from sswis.imports.schema import schema_markdown

SECTIONS = {"schema": schema_markdown, "messages": messages_markdown}


def docs_render(*, text: str) -> str:
    """``text`` with every marked section replaced by its freshly generated content.

    Raises ``ValueError`` when a section's markers are missing.
    """
    for name, render in SECTIONS.items():
        pattern = re.compile(rf"(<!-- {name}:begin -->\n)(.*?)(<!-- {name}:end -->)", re.DOTALL)
        match = pattern.search(text)
        if match is None:
            raise ValueError(f"The markers of the {name} section are missing.")
        text = text[: match.start(2)] + render() + text[match.end(2) :]
    return text


def docs_refresh(*, path: Path) -> bool:
    """Rewrite the generated sections of the page at ``path``; return whether anything changed."""
    text = path.read_text(encoding="utf-8")
    fresh = docs_render(text=text)
    if fresh != text:
        path.write_text(fresh, encoding="utf-8")
    return fresh != text
