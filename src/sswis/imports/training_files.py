"""The training files of the mapping template: what programmes and completions need beyond the generic
loading (``extension.FileExtension``; the files and columns are ``schema.PROGRAMMES`` and
``schema.COMPLETIONS``).

* ``programmes.csv``: ``institution`` names the training institution; the institution of that name
  (capitals and spaces do not matter) is used, else one is created, of kind ``other``, with a code made from
  the name (``extension.code_from_name``), in the import's transaction: the report counts it
  (``ImportReport.also_created``) and warns at the first row naming it, in case the name was mistyped. An
  empty cell leaves the programme without an institution; a file without the column leaves a stored
  programme's institution as it is. A programme code resolves to the programme and its institution
  (``resolved_extra``), so that a completion's programme is known to be of an institution.
* ``completions.csv``: ``completed_on`` is not after the day of the import; a new completion's source is
  ``template`` (a completion entered on a page or taken from a platform's list keeps its own).
* A training institution's focal point (``policy.ImportLimits.training_institution_id``) imports only
  their institution's rows: a programme must be of their institution as stored (no taking over another's)
  and as the row leaves it (its ``institution`` names their institution; a new one needs it); a completion
  must be of one of their institution's programmes. Anything else is an error of the row.

Everything is read and written in bulk, a few queries per chunk; every row written gets its history record
by the importing user (``writing.TableWriter``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils.translation import gettext

from sswis.database import lookup_batch_size
from sswis.imports.extension import FileExtension, code_from_name, name_key
from sswis.imports.messages import message
from sswis.imports.report import WARNING
from sswis.imports.writing import TableWriter
from sswis.training.models import CompletionSource, InstitutionKind, Programme, TrainingInstitution

if TYPE_CHECKING:
    from sswis.access.policy import ImportLimits
    from sswis.imports.loading import FileLoad, Row

_Item = TypeVar("_Item")

INSTITUTION_CODE_LENGTH = 50  # TrainingInstitution.code
DEFAULT_INSTITUTION_CODE = "INSTITUTION"
INSTITUTIONS_CREATED = "training_institutions"  # the kind counted in ``ImportReport.also_created``


def _batches(items: Sequence[_Item]) -> Iterator[Sequence[_Item]]:
    size = lookup_batch_size()
    for start in range(0, len(items), size):
        yield items[start : start + size]


def institution_code_new(*, name: str, taken: set[str]) -> str:
    """The code of a new training institution called ``name``: its words in capitals joined by hyphens
    (``INSTITUTE-OF-SOCIAL-WORK``), at most 50 characters, then ``-2``, ``-3``... while taken;
    ``INSTITUTION`` for a name without a letter or digit."""
    return code_from_name(
        name=name, taken=taken, length=INSTITUTION_CODE_LENGTH, default=DEFAULT_INSTITUTION_CODE
    )


def _institution_limit(limits: ImportLimits | None) -> int | None:
    """The institution a focal point's import is limited to; ``None``: no such limit."""
    return None if limits is None else limits.training_institution_id


class ProgrammesExtension(FileExtension):
    """A programme's institution found by its name or created; a focal point's programmes their own."""

    also_creates = (INSTITUTIONS_CREATED,)
    resolved_extra = ("institution_id",)  # a focal point's completions must be of their programmes

    def __init__(self) -> None:
        self.institutions: dict[str, list[tuple[int, str]]] | None = None  # name key -> (pk, code) of each
        self.names: dict[int, str] = {}  # pk -> name, of every institution, stored or just created
        self.codes: set[str] = set()  # every institution code, stored or just created
        self.stored: dict[
            str, int | None
        ] = {}  # code -> institution, of the chunk's programmes stored already

    def _institutions(self) -> dict[str, list[tuple[int, str]]]:
        if self.institutions is None:  # institutions are few: read once per import
            self.institutions = defaultdict(list)
            rows = TrainingInstitution.objects.order_by("code").values_list("pk", "code", "name")
            for pk, code, name in rows:
                self.institutions[name_key(name)].append((pk, code))
                self.names[pk] = name
                self.codes.add(code)
        return self.institutions

    def resolved(self, row: Row, pk: int) -> tuple[Any, ...]:
        fields = row.fields
        if "institution_id" in fields:
            return (pk, fields["institution_id"])
        return (pk, self.stored.get(row.values["code"]))  # the column is absent: as stored (None when new)

    def check(self, load: FileLoad, rows: list[Row]) -> None:
        institutions = self._institutions()
        given = "institution" in load.names
        limit = _institution_limit(load.run.limits)
        self.stored = {}
        if limit is not None or not given:
            codes = sorted({row.values["code"] for row in rows if row.values.get("code")})
            for batch in _batches(codes):
                self.stored.update(
                    Programme.objects.filter(code__in=batch).values_list("code", "institution_id")
                )
        for row in rows:
            name = row.values.get("institution")
            found: list[tuple[int, str]] = []
            if given and name is not None:  # None: an invalid cell, already reported
                found = institutions.get(name_key(name), []) if name else []
                if len(found) > 1:
                    codes_listed = ", ".join(code for _, code in found)
                    text = message("institution_ambiguous", count=len(found), value=name, codes=codes_listed)
                    load.run.problem(load.spec, row.number, "institution", name, text)
                    row.ok = False
                elif found:
                    row.fields["institution_id"] = found[0][0]
                elif not name:
                    row.fields["institution_id"] = None
                # else: a new institution, created when the row is written (``prepare``)
            if limit is not None and len(found) < 2:  # an ambiguous name is reported already
                self.check_limit(load, row, limit)

    def check_limit(self, load: FileLoad, row: Row, limit: int) -> None:
        """A focal point's programme: of their institution as stored, and as the row leaves it."""
        assert load.run.limits is not None
        where = load.run.limits.where
        code = row.values.get("code")
        if not code:
            return
        if code in self.stored and self.stored[code] != limit:
            text = message("programme_not_yours", code=code, where=where)
            load.run.problem(load.spec, row.number, "code", code, text)
            row.ok = False
            return
        if "institution" in load.names:
            name = row.values.get("institution")
            if name is None:
                return  # an invalid cell, already reported
            institution = row.fields.get("institution_id", 0 if name else None)  # 0: a new institution
        else:
            name, institution = "", self.stored.get(code)  # the column is absent: as stored (None when new)
        if institution == limit:
            return
        if institution is None:
            words = gettext("of no institution")
        else:
            words = gettext("of the institution '%(name)s'") % {
                "name": name or self.names.get(institution, "")
            }
        text = message(
            "programme_institution_not_yours",
            code=code,
            institution=words,
            where=where,
            name=self.names.get(limit, ""),
        )
        load.run.problem(load.spec, row.number, "institution", name, text)
        row.ok = False

    def prepare(self, load: FileLoad, rows: list[Row]) -> None:
        """Create the institutions named for the first time (once each, in the order of the rows), each with
        a warning at its first row."""
        if "institution" not in load.names:
            return
        institutions = self._institutions()
        new: dict[str, tuple[str, int]] = {}  # name key -> the name as first written, and its row
        for row in rows:
            if "institution_id" not in row.fields:
                new.setdefault(name_key(row.values["institution"]), (row.values["institution"], row.number))
        if new:
            entries = []
            for name, number in new.values():
                code = institution_code_new(name=name, taken=self.codes)
                self.codes.add(code)
                entries.append({"code": code, "name": name, "kind": InstitutionKind.OTHER.value})
                text = message("institution_created", value=name, code=code)
                load.run.problem(load.spec, number, "institution", name, text, WARNING)
            run = load.run
            writer = TableWriter(model=TrainingInstitution, actor=run.actor, now=run.now, writes=run.writes)
            pks = writer.create(rows=entries)
            for key, entry, pk in zip(new, entries, pks, strict=True):
                institutions[key].append((pk, entry["code"]))
                self.names[pk] = entry["name"]
            counted = run.report.also_created
            counted[INSTITUTIONS_CREATED] = counted.get(INSTITUTIONS_CREATED, 0) + len(entries)
        for row in rows:
            if "institution_id" not in row.fields:
                row.fields["institution_id"] = institutions[name_key(row.values["institution"])][0][0]


class CompletionsExtension(FileExtension):
    """A completion is not in the future, is taken from the template, and is of a focal point's programme."""

    def check(self, load: FileLoad, rows: list[Row]) -> None:
        run, spec = load.run, load.spec
        limit = _institution_limit(run.limits)
        for row in rows:
            completed = row.values.get("completed_on")
            if completed is not None and completed > run.today:
                text = message(
                    "completed_in_future", value=completed.isoformat(), today=run.today.isoformat()
                )
                run.problem(spec, row.number, "completed_on", completed.isoformat(), text)
                row.ok = False
            # A new completion only: the source is compared with no stored row (an update keeps its own).
            row.fields["source"] = CompletionSource.TEMPLATE.value
            programme = row.refs.get("programme_code")
            if limit is not None and programme is not None and programme[1] != limit:
                assert run.limits is not None
                code = row.values["programme_code"]
                text = message("completion_programme_not_yours", code=code, where=run.limits.where)
                run.problem(spec, row.number, "programme_code", code, text)
                row.ok = False


TRAINING_EXTENSIONS: dict[str, type[FileExtension]] = {
    "programmes": ProgrammesExtension,
    "completions": CompletionsExtension,
}
