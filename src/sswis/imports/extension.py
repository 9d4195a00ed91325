"""What a template file needs beyond the generic loading of ``loading.FileLoad``: the hooks it calls.

The generic loading reads the cells, resolves the codes, checks the schema's rules and upserts the rows by
their key, comparing the columns the file has. A file whose rows carry more than that (a post's code
resolves to its organisation, location and cadre as well; a register names its body; a registration's
status history is written from its dates; licences may not overlap) says so in a :class:`FileExtension`
of its own. Every hook works on a chunk of rows at once, so that it too makes no query per row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.text import slugify

if TYPE_CHECKING:
    from sswis.imports.loading import FileLoad, Row


def name_key(name: str) -> str:
    """What two ways of writing one name have in common: ``Social  service council`` is ``Social Service
    Council`` (a related row named in a cell: a register's body, a programme's institution)."""
    return " ".join(name.split()).casefold()


def _words_within(text: str, length: int) -> str:
    """``text`` (words joined by hyphens) cut to at most ``length`` characters after a whole word when it
    can be (a single word longer than that is cut)."""
    if len(text) <= length:
        return text
    cut = text[: length + 1]
    return cut[: cut.rfind("-")] if "-" in cut else text[:length]


def code_from_name(*, name: str, taken: set[str], length: int, default: str) -> str:
    """The code of a new row called ``name``: its words in capitals joined by hyphens
    (``SOCIAL-SERVICE-COUNCIL``), at most ``length`` characters (whole words), then ``-2``, ``-3``... while
    the code is in ``taken``; ``default`` for a name without a letter or digit. The same name and codes
    give the same code."""
    base = slugify(name, allow_unicode=True).upper().strip("-") or default
    code, number = _words_within(base, length), 1
    while code in taken:
        number += 1
        suffix = f"-{number}"
        code = _words_within(base, length - len(suffix)) + suffix
    return code


class FileExtension:
    """The hooks of one file, called by ``FileLoad`` in this order for each chunk; each does nothing here.

    One instance serves one file of one import, so it may remember what earlier chunks did. Hooks add
    problems with ``load.run.problem`` and mark a refused row ``row.ok = False``.
    """

    derived: tuple[str, ...] = ()
    """Model attributes :meth:`check` sets on every row (``row.fields``) that no column fills as it is
    written: compared with the stored row like the columns, so that a change of them is an update."""

    also_creates: tuple[str, ...] = ()
    """The kinds of rows (``report.ALSO_CREATED``) the hooks create besides the file's own, counted in
    ``ImportReport.also_created``: forgotten again when the file is undone."""

    resolved_extra: tuple[str, ...] = ()
    """What a key of this file resolves to after the primary key (model lookups, e.g.
    ``organisation__code``), for the files that refer to it; :meth:`resolved` gives the same for a row
    just loaded."""

    def check(self, load: FileLoad, rows: list[Row]) -> None:
        """Rules of the file, once the references of ``rows`` are resolved and their fields copied."""

    def prepare(self, load: FileLoad, rows: list[Row]) -> None:
        """Just before ``rows`` (all valid) are upserted: set what writing them needs (e.g. create the
        rows they point to)."""

    def differs(self, load: FileLoad, stored: dict[int, Row]) -> set[int]:
        """Of the rows already stored (primary key -> the row of the file), those whose data kept outside
        their own table differs from the row's (e.g. a many-to-many field): they are updated."""
        return set()

    def updating(self, load: FileLoad, updates: dict[int, dict[str, Any]]) -> None:
        """Before the stored rows are updated (primary key -> changed attributes): add to the changes."""

    def written(
        self,
        load: FileLoad,
        rows: list[tuple[Row, int]],
        created: set[int],
        updates: dict[int, dict[str, Any]],
    ) -> None:
        """After the chunk is written: every row with its primary key; which were created; the changes of
        those updated (a stored row in neither was unchanged). Write what the rows carry beyond their table."""

    def resolved(self, row: Row, pk: int) -> tuple[Any, ...]:
        """What this file's key resolves to (``pk`` then :attr:`resolved_extra`) for a row just loaded."""
        return (pk,)
