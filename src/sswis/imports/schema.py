"""The workforce mapping template: THE single definition of its files and columns (the registry's files of
version 1, and of version 2 the regulation files (registers, registrations, licences), the training files
(programmes, completions) and the support files (supervision, supervision sessions, caseloads)).

Everything else is driven by this data: the readers (which columns exist), the validation (kind,
required, allowed values, limits, references), the loader (which model field a column fills), the error
messages (labels) and the documentation (:func:`schema_markdown` renders the column tables of
``docs/mapping-template.md``). A later generator of blank workbooks and XLSForms reads it too, so it
stays plain data: no behaviour hangs off these classes.

Adding an optional column is one change here: a :class:`Column` with its ``field`` (the model attribute
it fills) in the right :class:`TemplateFile`. Cross-row rules (single root, loops, total >= children,
...) are code in ``sswis.imports.loading``; their plain-language statement for the docs is ``rules``.

The contract (``contracts/mapping-template.md``) changes only by adding optional columns, so neither a
column's name nor its meaning ever changes here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sswis.registry.dates import EARLIEST_DATE, EARLIEST_YEAR, LATEST_DATE, LATEST_YEAR

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # text, or text translated when shown


class Kind(StrEnum):
    """How a cell is read. Every cell arrives as trimmed text; an empty cell means "not known"."""

    TEXT = "text"  # free text
    CODE = "code"  # an identifier kept exactly as written (leading zeros kept)
    DATE = "date"  # YYYY-MM-DD (or a date cell of a workbook)
    BOOLEAN = "boolean"  # yes/no, true/false, 1/0, any case
    INTEGER = "integer"  # whole number
    DECIMAL = "decimal"  # number with a dot for decimals
    ENUMERATION = "enumeration"  # one of ``choices``, lower-case
    EMAIL = "email"  # an email address
    CODE_LIST = "code list"  # codes separated by CODE_SEPARATOR, each kept exactly as written


CODE_SEPARATOR = ";"
"""What separates the codes of a :attr:`Kind.CODE_LIST` cell (``SW;PSW``): never part of a code."""


BOOLEAN_TRUE = ("yes", "true", "1")
BOOLEAN_FALSE = ("no", "false", "0")


@dataclass(frozen=True)
class Column:
    """One column of a template file.

    ``default`` is written as a cell would be: it is the value an empty cell (or, for a new row, an
    absent column) stands for; ``""`` means the field's own "unknown" (empty text, or no date/number).
    ``references`` names the template file whose key this column holds (a code that must resolve in
    that file or in the registry); a file whose key has several columns (a registration: its register's
    code and its number) is referred to by columns named like those key columns, each with
    ``references`` and the same ``field``. ``field`` is the model attribute filled (``""``: same as
    ``name``); a :attr:`Kind.CODE_LIST` column with ``references`` fills a many-to-many field.
    """

    name: str
    kind: Kind
    meaning: StrOrPromise
    example: str
    required: bool = False
    requirement: StrOrPromise = (
        ""  # plain words replacing "yes"/"no" in the docs, e.g. "yes, except for the root"
    )
    label: StrOrPromise = ""  # how messages call it; "" = the name in words ("birth_date" -> "Birth date")
    default: str = ""
    choices: tuple[str, ...] = ()
    references: str = ""
    field: str = ""
    max_length: int | None = None
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    minimum_exclusive: bool = False  # minimum itself is not allowed (FTE: more than 0)
    decimal_places: int | None = None
    pattern: str = ""  # a regular expression the whole value must match
    pattern_meaning: StrOrPromise = ""  # the pattern in plain words, for messages

    @property
    def title(self) -> str:
        """The column's name in messages, in the active language (the texts here are translated when shown)."""
        return str(self.label) if self.label else self.name.replace("_", " ").capitalize()

    @property
    def target(self) -> str:
        """The model attribute this column fills."""
        return self.field or self.name


@dataclass(frozen=True)
class TemplateFile:
    """One file of the template (a sheet of a workbook): its columns, key and the model it fills."""

    name: str  # "workers": the sheet name; the CSV file is ``workers.csv``
    model: str  # "app_label.ModelName"
    entity: StrOrPromise  # one row is a ..., e.g. "worker"
    entities: (
        StrOrPromise  # several rows are ..., e.g. "workers" (a language's own plural, never entity + "s")
    )
    key: tuple[str, ...]  # columns identifying a row: upsert by these
    key_label: StrOrPromise  # how a reference to this file's key is called in messages, e.g. "Worker ID"
    meaning: StrOrPromise
    columns: tuple[Column, ...]
    rules: tuple[StrOrPromise, ...] = ()  # cross-column and cross-row rules, in plain words (docs)
    # Its codes are reference data, not personal data: the blank template offers every code the registry
    # holds as a drop-down list in the columns that reference this file, to every user allowed to import.
    reference_data: bool = False
    # Its rows are the regulation of the profession (registers, registrations, licences): only a user who
    # may change regulation (``regulation_policy.require_regulation_change``) imports it; anyone else's is refused.
    regulation: bool = False
    # Its rows are the training of the workforce (programmes, completions): a national data manager imports
    # it, a training institution's focal point only the rows of their own institution (``policy.ImportLimits``);
    # anyone else's is refused.
    training: bool = False
    # Its rows are the support of the workforce (supervision, sessions, caseloads): a national data manager
    # imports it, a subnational officer or an organisation focal point only the rows of workers they see (both
    # workers of a supervision or a session); anyone else's is refused.
    support: bool = False

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


_CODE = 64

LOCATIONS = TemplateFile(
    name="locations",
    model="geo.Location",
    entity=_("location"),
    entities=_("locations"),
    key=("code",),
    key_label=_("Location code"),
    meaning=_("The location tree: the country (the single root), its regions, districts, wards..."),
    columns=(
        Column(
            "code",
            Kind.CODE,
            _("unique code of the location"),
            "D11",
            required=True,
            max_length=_CODE,
            label=_("Code"),
        ),
        Column(
            "name",
            Kind.TEXT,
            _("name of the location"),
            "Alpha district",
            required=True,
            max_length=200,
            label=_("Name"),
        ),
        Column(
            "parent_code",
            Kind.CODE,
            _("code of the parent location (empty only for the country itself)"),
            "R1",
            requirement=_("yes, except for the single root"),
            references="locations",
            field="parent",
            max_length=_CODE,
            label=_("Parent code"),
        ),
        Column(
            "type",
            Kind.TEXT,
            _("label of the level"),
            "district",
            field="level",
            max_length=50,
            label=_("Type"),
        ),
        Column(
            "setting",
            Kind.ENUMERATION,
            _("urban, rural or mixed"),
            "rural",
            choices=("urban", "rural", "mixed"),
            label=_("Setting"),
        ),
    ),
    rules=(
        _(
            "Exactly one location has no parent_code: the country, the root of the tree. If the registry "
            "already has a root, a location without parent_code must be that same root."
        ),
        _("Following parent codes upwards must reach the root: a location may not be its own ancestor."),
        _("A parent may come after its children in the file."),
    ),
    reference_data=True,
)

POPULATION = TemplateFile(
    name="population",
    model="geo.PopulationEstimate",
    entity=_("population estimate"),
    entities=_("population estimates"),
    key=("location_code", "year"),
    key_label=_("Population estimate"),
    meaning=_(
        "The population of a location in a year; the children (aged 0-17) divide every per-100,000 figure."
    ),
    columns=(
        Column(
            "location_code",
            Kind.CODE,
            _("code of the location"),
            "D11",
            required=True,
            references="locations",
            field="location",
            max_length=_CODE,
            label=_("Location code"),
        ),
        Column(
            "year",
            Kind.INTEGER,
            _("year, four digits"),
            "2024",
            required=True,
            minimum=EARLIEST_YEAR,
            maximum=LATEST_YEAR,
            label=_("Year"),
        ),
        Column(
            "children",
            Kind.INTEGER,
            _("population aged 0-17"),
            "48200",
            required=True,
            minimum=0,
            maximum=2_147_483_647,
            label=_("Children"),
        ),
        Column(
            "total",
            Kind.INTEGER,
            _("whole population, not less than children"),
            "101000",
            minimum=0,
            maximum=9_223_372_036_854_775_807,
            label=_("Total"),
        ),
    ),
    rules=(
        _("Each (location_code, year) appears at most once."),
        _("total, when given, is not less than children."),
        _(  # xgettext:no-python-format
            "Warning: a location's own figure for a year should be within 1% of the sum of its "
            "sub-locations' figures, when all of them are known."
        ),
    ),
)

ORGANIZATIONS = TemplateFile(
    name="organizations",
    model="registry.Organisation",
    entity=_("organisation"),
    entities=_("organisations"),
    key=("code",),
    key_label=_("Organisation code"),
    meaning=_("Employers and hosts of workers: ministries, departments, NGOs, community groups..."),
    columns=(
        Column(
            "code",
            Kind.CODE,
            _("unique code of the organisation"),
            "MSW",
            required=True,
            max_length=_CODE,
            label=_("Code"),
        ),
        Column(
            "name",
            Kind.TEXT,
            _("name of the organisation"),
            "Ministry of Social Welfare",
            required=True,
            max_length=255,
            label=_("Name"),
        ),
        Column(
            "type",
            Kind.ENUMERATION,
            _("kind of organisation; it is governmental exactly when the type is government"),
            "government",
            required=True,
            choices=(
                "government",
                "ngo",
                "faith_based",
                "community_based",
                "private",
                "academic",
                "un_or_donor",
                "other",
            ),
            label=_("Type"),
        ),
        Column(
            "sector",
            Kind.ENUMERATION,
            _("sector it works in"),
            "social_welfare",
            choices=(
                "social_welfare",
                "justice",
                "health",
                "education",
                "social_protection",
                "disaster_risk_reduction",
                "other",
            ),
            label=_("Sector"),
        ),
        Column(
            "location_code",
            Kind.CODE,
            _("code of the location where it is based"),
            "KD",
            required=True,
            references="locations",
            field="location",
            max_length=_CODE,
            label=_("Location code"),
        ),
        Column(
            "parent_code",
            Kind.CODE,
            _("code of the parent organisation (e.g. the ministry of a department)"),
            "MSW",
            references="organizations",
            field="parent",
            max_length=_CODE,
            label=_("Parent code"),
        ),
    ),
    rules=(
        _("A parent may come after its children in the file."),
        _("Following parent codes upwards may not come back to the same organisation."),
    ),
    reference_data=True,
)

CADRES = TemplateFile(
    name="cadres",
    model="registry.Cadre",
    entity=_("cadre"),
    entities=_("cadres"),
    key=("code",),
    key_label=_("Cadre code"),
    meaning=_("The country's own job titles, each in one category."),
    columns=(
        Column(
            "code",
            Kind.CODE,
            _("unique code of the cadre"),
            "PSW",
            required=True,
            max_length=_CODE,
            label=_("Code"),
        ),
        Column(
            "name",
            Kind.TEXT,
            _("the country's own title"),
            "Para-social worker",
            required=True,
            max_length=200,
            label=_("Name"),
        ),
        Column(
            "category",
            Kind.ENUMERATION,
            _("category of the cadre"),
            "para_professional",
            required=True,
            choices=("professional", "para_professional", "volunteer", "allied"),
            label=_("Category"),
        ),
        Column(
            "isco08",
            Kind.CODE,
            _("ISCO-08 unit group"),
            "3412",
            label=_("ISCO-08 code"),
            max_length=4,
            pattern=r"[0-9]{1,4}",
            pattern_meaning=_("an ISCO-08 code of up to four digits, e.g. 2635"),
        ),
    ),
    reference_data=True,
)

POSTS = TemplateFile(
    name="posts",
    model="registry.Post",
    entity=_("post"),
    entities=_("posts"),
    key=("code",),
    key_label=_("Post code"),
    meaning=_("The establishment: approved positions, filled or vacant."),
    columns=(
        Column(
            "code",
            Kind.CODE,
            _("unique code of the post"),
            "P-00017",
            required=True,
            max_length=_CODE,
            label=_("Code"),
        ),
        Column(
            "organization_code",
            Kind.CODE,
            _("code of the organisation the post belongs to"),
            "MSW",
            required=True,
            references="organizations",
            field="organisation",
            max_length=_CODE,
            label=_("Organization code"),
        ),
        Column(
            "location_code",
            Kind.CODE,
            _("code of the location of the post"),
            "D11",
            required=True,
            references="locations",
            field="location",
            max_length=_CODE,
            label=_("Location code"),
        ),
        Column(
            "cadre_code",
            Kind.CODE,
            _("code of the cadre of the post"),
            "SW",
            required=True,
            references="cadres",
            field="cadre",
            max_length=_CODE,
            label=_("Cadre code"),
        ),
        Column("grade", Kind.TEXT, _("salary grade or scale label"), "G7", max_length=50, label=_("Grade")),
        Column(
            "funded", Kind.BOOLEAN, _("whether the post is funded"), "yes", default="yes", label=_("Funded")
        ),
        Column(
            "established_on",
            Kind.DATE,
            _("date the post was created (empty = always existed)"),
            "2018-07-01",
            label=_("Established on"),
        ),
        Column(
            "abolished_on",
            Kind.DATE,
            _("date the post ceased (empty = still exists)"),
            "2024-06-30",
            label=_("Abolished on"),
        ),
    ),
    rules=(_("abolished_on, when given with established_on, is after established_on."),),
)

WORKERS = TemplateFile(
    name="workers",
    model="registry.Worker",
    entity=_("worker"),
    entities=_("workers"),
    key=("worker_id",),
    key_label=_("Worker ID"),
    meaning=_("The people of the workforce (personal data)."),
    columns=(
        Column(
            "worker_id",
            Kind.CODE,
            _("unique registry identifier of the person"),
            "W000123",
            required=True,
            label=_("Worker ID"),
            max_length=_CODE,
        ),
        Column(
            "given_name",
            Kind.TEXT,
            _("given name(s)"),
            "Amina",
            required=True,
            max_length=150,
            label=_("Given name"),
        ),
        Column(
            "family_name",
            Kind.TEXT,
            _("family name"),
            "Okello",
            required=True,
            max_length=150,
            label=_("Family name"),
        ),
        Column(
            "sex",
            Kind.ENUMERATION,
            _("sex (empty = unknown)"),
            "female",
            default="unknown",
            choices=("female", "male", "other", "unknown"),
            label=_("Sex"),
        ),
        Column("birth_date", Kind.DATE, _("date of birth"), "1988-04-12", label=_("Birth date")),
        Column(
            "disability",
            Kind.ENUMERATION,
            _("whether the person has a disability (empty = unknown)"),
            "no",
            default="unknown",
            choices=("yes", "no", "unknown"),
            label=_("Disability"),
        ),
        Column(
            "education_level",
            Kind.ENUMERATION,
            _("highest level of education completed (empty = unknown)"),
            "diploma",
            default="unknown",
            choices=(
                "none",
                "primary",
                "secondary",
                "certificate",
                "diploma",
                "bachelor",
                "master",
                "doctorate",
                "unknown",
            ),
            label=_("Education level"),
        ),
        Column(
            "education_field",
            Kind.TEXT,
            _("field of that education, free text"),
            "social work",
            max_length=200,
            label=_("Education field"),
        ),
        Column(
            "national_id",
            Kind.CODE,
            _("national identity number"),
            "19880412-0042",
            label=_("National ID"),
            max_length=_CODE,
        ),
        Column("phone", Kind.TEXT, _("phone number"), "+255 712 345 678", max_length=40, label=_("Phone")),
        Column(
            "email",
            Kind.EMAIL,
            _("email address"),
            "amina.okello@example.org",
            max_length=254,
            label=_("Email"),
        ),
    ),
    rules=(_("Warning: a worker should have at least one assignment, in the template or in the registry."),),
)

ASSIGNMENTS = TemplateFile(
    name="assignments",
    model="registry.Assignment",
    entity=_("assignment"),
    entities=_("assignments"),
    key=("worker_id", "organization_code", "location_code", "cadre_code", "start_date"),
    key_label=_("Assignment"),
    meaning=(
        _(
            "A worker's role in an organisation, at a location, in a cadre, over a period. A worker may have "
            "several, including overlapping ones (a paid job and a volunteer role)."
        )
    ),
    columns=(
        Column(
            "worker_id",
            Kind.CODE,
            _("the worker"),
            "W000123",
            required=True,
            label=_("Worker ID"),
            references="workers",
            field="worker",
            max_length=_CODE,
        ),
        Column(
            "organization_code",
            Kind.CODE,
            _("the organisation"),
            "MSW",
            required=True,
            references="organizations",
            field="organisation",
            max_length=_CODE,
            label=_("Organization code"),
        ),
        Column(
            "location_code",
            Kind.CODE,
            _("where the worker works"),
            "D11",
            required=True,
            references="locations",
            field="location",
            max_length=_CODE,
            label=_("Location code"),
        ),
        Column(
            "cadre_code",
            Kind.CODE,
            _("the cadre"),
            "SW",
            required=True,
            references="cadres",
            field="cadre",
            max_length=_CODE,
            label=_("Cadre code"),
        ),
        Column(
            "post_code",
            Kind.CODE,
            _("the post it fills; its organisation, location and cadre must be the post's"),
            "P-00017",
            references="posts",
            field="post",
            max_length=_CODE,
            label=_("Post code"),
        ),
        Column(
            "start_date",
            Kind.DATE,
            _("first day in this role"),
            "2021-02-01",
            required=True,
            label=_("Start date"),
        ),
        Column(
            "end_date",
            Kind.DATE,
            _("last day in this role (empty = still in this role)"),
            "2023-12-31",
            label=_("End date"),
        ),
        Column("paid", Kind.BOOLEAN, _("whether the role is paid"), "yes", required=True, label=_("Paid")),
        Column(
            "fte",
            Kind.DECIMAL,
            _("full-time equivalent, more than 0 and at most 1"),
            "0.5",
            label=_("FTE"),
            default="1",
            minimum=Decimal("0"),
            minimum_exclusive=True,
            maximum=Decimal("1"),
            decimal_places=3,
        ),
        Column(
            "child_protection",
            Kind.BOOLEAN,
            _("has responsibility for child protection or child welfare services"),
            "yes",
            label=_("Child protection"),
            default="yes",
        ),
        Column(
            "exit_reason",
            Kind.ENUMERATION,
            _("why the role ended; only with end_date"),
            "resigned",
            choices=("resigned", "retired", "died", "dismissed", "transferred", "contract_ended", "other"),
            label=_("Exit reason"),
        ),
    ),
    rules=(
        _(
            "An assignment is identified by (worker_id, organization_code, location_code, cadre_code, start_date): "
            "each appears at most once; importing the same row again changes nothing, a row with the same "
            "identity and other values updates that assignment."
        ),
        _("end_date, when given, is not before start_date."),
        _("exit_reason only with end_date."),
        _("With post_code, the assignment's organisation, location and cadre are exactly the post's."),
        _("Warning: a post should not be filled by two assignments active on the same day."),
    ),
)

_REGULATION_CODE = 50  # codes and numbers of the regulation's models

REGISTERS = TemplateFile(
    name="registers",
    model="regulation.Register",
    entity=_("register"),
    entities=_("registers"),
    key=("code",),
    key_label=_("Register code"),
    meaning=_(
        'A register kept by a regulatory body (council), e.g. "Social workers", "Social auxiliary workers".'
    ),
    columns=(
        Column(
            "code",
            Kind.CODE,
            _("unique code of the register"),
            "SW-REG",
            required=True,
            max_length=_REGULATION_CODE,
            label=_("Code"),
        ),
        Column(
            "name",
            Kind.TEXT,
            _("name of the register"),
            "Social workers",
            required=True,
            max_length=200,
            label=_("Name"),
        ),
        Column(
            "body",
            Kind.TEXT,
            _("name of the regulatory body that keeps it; created when sswis has no body of that name"),
            "Social Service Professions Council",
            required=True,
            max_length=200,
            label=_("Body"),
        ),
        Column(
            "cadre_codes",
            Kind.CODE_LIST,
            _("cadres whose workers may register on it (empty = any cadre)"),
            "SW;PSW",
            references="cadres",
            field="cadres",
            max_length=_CODE,
            label=_("Cadre codes"),
        ),
    ),
    rules=(
        _(
            "body is the name of the regulatory body: the body of that name in sswis (capitals and spaces "
            "do not matter), else a new body whose code is made from the name (e.g. "
            "SOCIAL-SERVICE-PROFESSIONS-COUNCIL)."
        ),
        _(
            "The register's cadres become exactly those of cadre_codes; a file without the column leaves them "
            "as they are."
        ),
        _(
            "The register's other rules (licence validity, CPD points, fees) are not in the template: a new "
            "register gets the defaults, which a registrar then sets; an import leaves them as they are."
        ),
        _("Only a user who may change registers and registrations may import this file."),
    ),
    reference_data=True,
    regulation=True,
)

REGISTRATIONS = TemplateFile(
    name="registrations",
    model="regulation.Registration",
    entity=_("registration"),
    entities=_("registrations"),
    key=("register_code", "registration_number"),
    key_label=_("Registration"),
    meaning=_("A worker's registration on a register, with its status."),
    columns=(
        Column(
            "worker_id",
            Kind.CODE,
            _("the registered worker"),
            "W000123",
            required=True,
            references="workers",
            field="worker",
            max_length=_CODE,
            label=_("Worker ID"),
        ),
        Column(
            "register_code",
            Kind.CODE,
            _("the register"),
            "SW-REG",
            required=True,
            references="registers",
            field="register",
            max_length=_REGULATION_CODE,
            label=_("Register code"),
        ),
        Column(
            "registration_number",
            Kind.CODE,
            _("the registration number, unique within the register"),
            "SW-0042",
            required=True,
            field="number",
            max_length=_REGULATION_CODE,
            label=_("Registration number"),
        ),
        Column(
            "registered_on",
            Kind.DATE,
            _("date first registered"),
            "2019-03-01",
            required=True,
            label=_("Registered on"),
        ),
        Column(
            "status",
            Kind.ENUMERATION,
            _("the registration's status now"),
            "suspended",
            default="registered",
            choices=("registered", "suspended", "lapsed", "removed"),
            label=_("Status"),
        ),
        Column(
            "status_since",
            Kind.DATE,
            _("date of the current status (empty for registered: since registered_on)"),
            "2024-05-01",
            requirement=_("yes, unless the status is registered"),
            label=_("Status since"),
        ),
    ),
    rules=(
        _(
            "A registration is identified by (register_code, registration_number): each appears at most once; "
            "a row with the same identity and other values updates that registration."
        ),
        _("status_since is required unless the status is registered, and is not before registered_on."),
        _(
            "A registration whose status is not registered was registered from registered_on until the day "
            "before status_since. A registered one with a status_since after registered_on was registered "
            "again from that day (e.g. restored)."
        ),
        _(
            "The status history (what the status was on every past day) is written from these dates. A row "
            "that changes registered_on, the status or status_since replaces the registration's status "
            "history, except its application, by what the row says."
        ),
        _("A file without the status column lists registrations that are registered."),
        _("Only a user who may change registers and registrations may import this file."),
    ),
    regulation=True,
)

LICENCES = TemplateFile(
    name="licences",
    model="regulation.Licence",
    entity=_("licence"),
    entities=_("licences"),
    key=("register_code", "registration_number", "valid_from"),
    key_label=_("Licence"),
    meaning=_("A practising certificate (licence) issued under a registration, valid for a period."),
    columns=(
        Column(
            "register_code",
            Kind.CODE,
            _("the register of the registration"),
            "SW-REG",
            required=True,
            references="registrations",
            field="registration",
            max_length=_REGULATION_CODE,
            label=_("Register code"),
        ),
        Column(
            "registration_number",
            Kind.CODE,
            _("the registration number"),
            "SW-0042",
            required=True,
            references="registrations",
            field="registration",
            max_length=_REGULATION_CODE,
            label=_("Registration number"),
        ),
        Column(
            "licence_number",
            Kind.CODE,
            _("the number printed on the licence"),
            "L-2024-0042",
            field="number",
            max_length=_REGULATION_CODE,
            label=_("Licence number"),
        ),
        Column(
            "valid_from",
            Kind.DATE,
            _("first day of validity"),
            "2024-01-01",
            required=True,
            label=_("Valid from"),
        ),
        Column(
            "valid_until",
            Kind.DATE,
            _("last day of validity"),
            "2024-12-31",
            required=True,
            label=_("Valid until"),
        ),
    ),
    rules=(
        _(
            "A licence is identified by (register_code, registration_number, valid_from): each appears at "
            "most once; a row with the same identity and other values updates that licence."
        ),
        _("valid_until is not before valid_from; valid_from is not before the registration's registered_on."),
        _("The licences of one registration do not overlap (those of the template and of sswis together)."),
        _("Only a user who may change registers and registrations may import this file."),
    ),
    regulation=True,
)

_TRAINING_CODE = 50  # codes of the training's models

PROGRAMMES = TemplateFile(
    name="programmes",
    model="training.Programme",
    entity=_("programme"),
    entities=_("programmes"),
    key=("code",),
    key_label=_("Programme code"),
    meaning=_(
        "A training programme: a degree, diploma or certificate that prepares for the work, an in-service "
        "course or an online course."
    ),
    columns=(
        Column(
            "code",
            Kind.CODE,
            _("unique code of the programme"),
            "BSW-UDSM",
            required=True,
            max_length=_TRAINING_CODE,
            label=_("Code"),
        ),
        Column(
            "name",
            Kind.TEXT,
            _("name of the programme"),
            "Bachelor of Social Work",
            required=True,
            max_length=200,
            label=_("Name"),
        ),
        Column(
            "institution",
            Kind.TEXT,
            _("name of the training institution; created when sswis has no institution of that name"),
            "Institute of Social Work",
            max_length=200,
            label=_("Institution"),
        ),
        Column(
            "kind",
            Kind.ENUMERATION,
            _("kind of programme"),
            "pre_service_degree",
            required=True,
            choices=(
                "pre_service_degree",
                "pre_service_diploma",
                "pre_service_certificate",
                "in_service",
                "online_course",
            ),
            label=_("Kind"),
        ),
        Column(
            "government_recognised_from",
            Kind.DATE,
            _("date from which the government recognises it (empty = not recognised)"),
            "2015-07-01",
            label=_("Government recognised from"),
        ),
        Column(
            "certifies_child_victims",
            Kind.BOOLEAN,
            _("whether completing it certifies to work with child victims of violence"),
            "yes",
            default="no",
            label=_("Certifies for child victims"),
        ),
    ),
    rules=(
        _(
            "institution is the name of the training institution: the institution of that name in sswis "
            "(capitals and spaces do not matter), else a new institution of kind other whose code is made from "
            "the name (e.g. INSTITUTE-OF-SOCIAL-WORK); the report counts the institutions created and warns "
            "about each, in case the name was mistyped."
        ),
        _(
            "A programme certifies workers to work with child victims on a day when it is recognised by the "
            "government (government_recognised_from on or before that day) and certifies_child_victims is yes."
        ),
        _(
            "Only a national data manager, or a training institution's focal point for the programmes of their "
            "own institution, may import this file."
        ),
    ),
    reference_data=True,
    training=True,
)

COMPLETIONS = TemplateFile(
    name="completions",
    model="training.Completion",
    entity=_("completion"),
    entities=_("completions"),
    key=("worker_id", "programme_code", "completed_on"),
    key_label=_("Completion"),
    meaning=_("A worker completed a programme on a day."),
    columns=(
        Column(
            "worker_id",
            Kind.CODE,
            _("the worker who completed the programme"),
            "W000123",
            required=True,
            references="workers",
            field="worker",
            max_length=_CODE,
            label=_("Worker ID"),
        ),
        Column(
            "programme_code",
            Kind.CODE,
            _("the programme completed"),
            "BSW-UDSM",
            required=True,
            references="programmes",
            field="programme",
            max_length=_TRAINING_CODE,
            label=_("Programme code"),
        ),
        Column(
            "completed_on",
            Kind.DATE,
            _("the day the worker completed it"),
            "2019-11-30",
            required=True,
            label=_("Completed on"),
        ),
        Column(
            "certificate_number",
            Kind.CODE,
            _("the number of the certificate awarded"),
            "ISW-2019-0042",
            max_length=100,
            label=_("Certificate number"),
        ),
    ),
    rules=(
        _(
            "A completion is identified by (worker_id, programme_code, completed_on): each appears at most "
            "once; a row with the same identity and another certificate_number updates that completion."
        ),
        _("completed_on is not after today."),
        _(
            "Only a national data manager, or a training institution's focal point for the completions of their "
            "own institution's programmes, may import this file."
        ),
    ),
    training=True,
)

_SUPERVISION_KINDS = ("administrative", "educational", "supportive")

_SUPERVISION_PAIR = (  # the two workers of a relationship and of a session: the same columns
    Column(
        "supervisor_worker_id",
        Kind.CODE,
        _("the supervising worker"),
        "W000017",
        required=True,
        references="workers",
        field="supervisor",
        max_length=_CODE,
        label=_("Supervisor worker ID"),
    ),
    Column(
        "supervisee_worker_id",
        Kind.CODE,
        _("the supervised worker"),
        "W000123",
        required=True,
        references="workers",
        field="supervisee",
        max_length=_CODE,
        label=_("Supervisee worker ID"),
    ),
)


SUPERVISION = TemplateFile(
    name="supervision",
    model="support.SupervisionRelationship",
    entity=_("supervision relationship"),
    entities=_("supervision relationships"),
    key=("supervisor_worker_id", "supervisee_worker_id", "start_date"),
    key_label=_("Supervision relationship"),
    meaning=_("A worker (the supervisor) supervises another worker (the supervisee) over a period."),
    columns=(
        *_SUPERVISION_PAIR,
        Column(
            "start_date",
            Kind.DATE,
            _("first day of the supervision"),
            "2024-01-15",
            required=True,
            label=_("Start date"),
        ),
        Column(
            "end_date",
            Kind.DATE,
            _("last day of the supervision (empty = still running)"),
            "2025-06-30",
            label=_("End date"),
        ),
        Column(
            "kind",
            Kind.ENUMERATION,
            _("kind of supervision"),
            "educational",
            default="supportive",
            choices=_SUPERVISION_KINDS,
            label=_("Kind"),
        ),
        Column(
            "mode",
            Kind.ENUMERATION,
            _("how the supervision is given"),
            "group",
            default="individual",
            choices=("individual", "group", "peer"),
            label=_("Mode"),
        ),
        Column(
            "supervision_only_duty",
            Kind.BOOLEAN,
            _(
                "whether supervising is the supervisor's only duty; it sets their norm (by default 10 "
                "supervisees when it is, 6 otherwise)"
            ),
            "no",
            default="no",
            label=_("Supervision only duty"),
        ),
    ),
    rules=(
        _(
            "A supervision relationship is identified by (supervisor_worker_id, supervisee_worker_id, "
            "start_date): each appears at most once; a row with the same identity and other values updates "
            "that relationship."
        ),
        _("A worker cannot supervise themselves: supervisor_worker_id and supervisee_worker_id differ."),
        _("start_date is not after today; end_date, when given, is not before start_date."),
        _(
            "Only a national data manager, or a subnational officer or an organisation focal point for "
            "relationships whose two workers they see, may import this file."
        ),
    ),
    support=True,
)

SUPERVISION_SESSIONS = TemplateFile(
    name="supervision_sessions",
    model="support.SupervisionSession",
    entity=_("supervision session"),
    entities=_("supervision sessions"),
    key=("supervisor_worker_id", "supervisee_worker_id", "date"),
    key_label=_("Supervision session"),
    meaning=_("A supervision session a supervisor held with a supervisee on a day."),
    columns=(
        *_SUPERVISION_PAIR,
        Column("date", Kind.DATE, _("the day of the session"), "2025-03-12", required=True, label=_("Date")),
        Column(
            "duration_minutes",
            Kind.INTEGER,
            _("how long the session lasted, in minutes"),
            "60",
            minimum=1,
            maximum=1440,
            label=_("Duration (minutes)"),
        ),
        Column(
            "kind",
            Kind.ENUMERATION,
            _("kind of supervision"),
            "supportive",
            default="supportive",
            choices=_SUPERVISION_KINDS,
            label=_("Kind"),
        ),
    ),
    rules=(
        _(
            "A supervision session is identified by (supervisor_worker_id, supervisee_worker_id, date): each "
            "appears at most once; a row with the same identity and other values updates that session."
        ),
        _("supervisor_worker_id and supervisee_worker_id differ; date is not after today."),
        _(
            "Only a national data manager, or a subnational officer or an organisation focal point for "
            "sessions whose two workers they see, may import this file."
        ),
    ),
    support=True,
)

CASELOADS = TemplateFile(
    name="caseloads",
    model="support.Caseload",
    entity=_("caseload"),
    entities=_("caseloads"),
    key=("worker_id", "month", "kind"),
    key_label=_("Caseload"),
    meaning=_("A worker's number of open cases at the end of a month, of a kind."),
    columns=(
        Column(
            "worker_id",
            Kind.CODE,
            _("the worker"),
            "W000123",
            required=True,
            references="workers",
            field="worker",
            max_length=_CODE,
            label=_("Worker ID"),
        ),
        Column(
            "month",
            Kind.TEXT,
            _("the month at whose end the cases were open"),
            "2025-12",
            required=True,
            pattern=r"(19|20)[0-9]{2}-(0[1-9]|1[0-2])",
            pattern_meaning=_("a month written YYYY-MM, e.g. 2025-12"),
            label=_("Month"),
        ),
        Column(
            "open_cases",
            Kind.INTEGER,
            _("the number of open cases"),
            "18",
            required=True,
            minimum=0,
            maximum=100_000,
            label=_("Open cases"),
        ),
        Column(
            "kind",
            Kind.TEXT,
            _("kind of cases, when the country distinguishes kinds"),
            "foster_care",
            default="all",
            max_length=50,
            label=_("Kind"),
        ),
    ),
    rules=(
        _(
            "A caseload is identified by (worker_id, month, kind): each appears at most once; a row with the "
            "same identity and another open_cases replaces the stored caseload (also one synced from Primero "
            "or entered on a page), which is then recorded as imported with the template."
        ),
        _("month has begun (it is not after the month of the import)."),
        _("A file without the kind column lists caseloads of kind all."),
        _(
            "Only a national data manager, or a subnational officer or an organisation focal point for the "
            "workers they see, may import this file."
        ),
    ),
    support=True,
)

TEMPLATE: tuple[TemplateFile, ...] = (
    LOCATIONS,
    POPULATION,
    ORGANIZATIONS,
    CADRES,
    POSTS,
    WORKERS,
    ASSIGNMENTS,
    REGISTERS,
    REGISTRATIONS,
    LICENCES,
    PROGRAMMES,
    COMPLETIONS,
    SUPERVISION,
    SUPERVISION_SESSIONS,
    CASELOADS,
)
"""The files in loading order: every reference points to a file earlier in the list (or to itself)."""

TEMPLATE_VERSION = 1

INSTRUCTIONS_SHEET = "instructions"
"""The sheet (and CSV file) of the generated blank template that explains every column."""

LISTS_SHEET = "lists"
"""The hidden sheet of the generated blank workbook that holds the codes of its drop-down lists."""

AUXILIARY_SHEETS = (INSTRUCTIONS_SHEET, LISTS_SHEET)
"""Sheets and CSV files the generated template adds beside the template files: never imported, and the
readers skip them without a warning (any other unknown sheet is reported, as it is usually a mistake)."""


def template_file(*, name: str) -> TemplateFile:
    """The file called ``name`` (``"workers"`` or ``"workers.csv"``, any case). Raises ``KeyError``."""
    wanted = name.strip().lower().removesuffix(".csv")
    for spec in TEMPLATE:
        if spec.name == wanted:
            return spec
    raise KeyError(name)


TECHNICAL_MAXIMUM = 2**31 - 1
"""Maxima from this size up are storage limits, not rules: the docs and messages do not quote them."""


def column_maximum_is_technical(*, column: Column) -> bool:
    return column.maximum is not None and column.maximum >= TECHNICAL_MAXIMUM


def column_range_words(*, column: Column) -> str:
    """The column's limits in words: "at least 1000 and at most 9999", "more than 0 and at most 1"."""
    high = None if column_maximum_is_technical(column=column) else column.maximum
    if column.minimum is not None and high is not None:
        if column.minimum_exclusive:
            return gettext("more than %(minimum)s and at most %(maximum)s") % {
                "minimum": column.minimum,
                "maximum": high,
            }
        return gettext("at least %(minimum)s and at most %(maximum)s") % {
            "minimum": column.minimum,
            "maximum": high,
        }
    if column.minimum is not None:
        if column.minimum_exclusive:
            return gettext("more than %(minimum)s") % {"minimum": column.minimum}
        return gettext("at least %(minimum)s") % {"minimum": column.minimum}
    return gettext("at most %(maximum)s") % {"maximum": high} if high is not None else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def column_requirement(*, column: Column) -> str:
    """ "yes", "no" or the column's own wording ("yes, except for the single root"), in the active language."""
    if column.requirement:
        return str(column.requirement)
    return gettext("yes") if column.required else gettext("no")


def column_description(*, column: Column) -> str:
    """The column's kind, allowed values, limits and default, in plain words (docs and templates), in the
    active language. Values a cell holds (choices, ``yes``/``no``, defaults) stay as the template spells them."""
    parts: list[str] = []
    if column.kind == Kind.ENUMERATION:
        parts.append(
            gettext("one of %(choices)s") % {"choices": ", ".join(f"`{choice}`" for choice in column.choices)}
        )
    elif column.kind == Kind.DATE:
        parts.append(
            gettext("date `YYYY-MM-DD`, from %(first)s to %(last)s")
            % {"first": EARLIEST_DATE.isoformat(), "last": LATEST_DATE.isoformat()}
        )
    elif column.kind == Kind.BOOLEAN:
        parts.append("`yes` / `no`")
    elif column.kind == Kind.INTEGER:
        parts.append(gettext("whole number"))
    elif column.kind == Kind.DECIMAL:
        if column.decimal_places:
            parts.append(gettext("number, at most %(places)s decimals") % {"places": column.decimal_places})
        else:
            parts.append(gettext("number"))
    elif column.kind == Kind.CODE:
        parts.append(gettext("code (text)"))
    elif column.kind == Kind.EMAIL:
        parts.append(gettext("email"))
    elif column.kind == Kind.CODE_LIST:
        parts.append(
            gettext("codes (text) separated by %(separator)s") % {"separator": f"`{CODE_SEPARATOR}`"}
        )
    else:
        parts.append(gettext("text"))
    if column.pattern_meaning:
        parts.append(str(column.pattern_meaning))
    if column.kind in (Kind.INTEGER, Kind.DECIMAL) and (
        column.minimum is not None or column.maximum is not None
    ):
        parts.append(column_range_words(column=column))
    if column.max_length and column.kind in (Kind.TEXT, Kind.CODE, Kind.EMAIL) and not column.pattern:
        parts.append(gettext("up to %(length)s characters") % {"length": column.max_length})
    if column.max_length and column.kind == Kind.CODE_LIST:
        parts.append(gettext("each up to %(length)s characters") % {"length": column.max_length})
    if column.references:
        target = template_file(name=column.references)
        others = [name for name in target.key if name != column.name]
        if len(target.key) > 1:
            parts.append(
                gettext("with %(columns)s, a %(entity)s of %(file)s or of the registry")
                % {
                    "columns": ", ".join(others),
                    "entity": str(target.entity),
                    "file": f"{column.references}.csv",
                }
            )
        elif column.kind == Kind.CODE_LIST:
            parts.append(
                gettext("codes of %(file)s or of the registry") % {"file": f"{column.references}.csv"}
            )
        else:
            parts.append(
                gettext("a code of %(file)s or of the registry") % {"file": f"{column.references}.csv"}
            )
    if column.default:
        parts.append(gettext("empty = %(default)s") % {"default": f"`{column.default}`"})
    return "; ".join(parts)


def file_markdown(*, spec: TemplateFile) -> str:
    """The Markdown table of one file's columns (the docs contain it verbatim; a test checks it)."""
    lines = [
        "| column | required | what it holds | values | example |",
        "|---|---|---|---|---|",
    ]
    for column in spec.columns:
        lines.append(
            f"| `{column.name}` | {_cell(column_requirement(column=column))} | {_cell(str(column.meaning))} | "
            f"{_cell(column_description(column=column))} | `{_cell(column.example)}` |"
        )
    return "\n".join(lines)


def schema_markdown() -> str:
    """Every file's section: heading, meaning, column table and rules, in loading order."""
    sections = []
    for spec in TEMPLATE:
        section = [f"### {spec.filename}", "", str(spec.meaning), "", file_markdown(spec=spec)]
        if spec.rules:
            section.append("")
            section.extend(f"- {rule}" for rule in spec.rules)
        sections.append("\n".join(section))
    return "\n\n".join(sections) + "\n"
