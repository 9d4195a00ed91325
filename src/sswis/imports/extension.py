"""What a template file needs beyond the generic loading of ``loading.FileLoad``: the hooks it calls.

The generic loading reads the cells, resolves the codes, checks the schema's rules and upserts the rows by
their key, comparing the columns the file has. A file whose rows carry more than that (a post's code
resolves to its organisation, location and cadre as well; a register names its body; a registration's
status history is written from its dates; licences may not overlap) says so in a :class:`FileExtension`
of its own. Every hook works on a chunk of rows at once, so that it too makes no query per row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sswis.imports.loading import FileLoad, Row


class FileExtension:
    """The hooks of one file, called by ``FileLoad`` in this order for each chunk; each does nothing here.

    One instance serves one file of one import, so it may remember what earlier chunks did. Hooks add
    problems with ``load.run.problem`` and mark a refused row ``row.ok = False``.
    """

    derived: tuple[str, ...] = ()
    """Model attributes :meth:`check` sets on every row (``row.fields``) that no column fills as it is
    written: compared with the stored row like the columns, so that a change of them is an update."""

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
