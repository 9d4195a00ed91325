"""The demo country's DHIS2 mapping, so that ``sswis dhis2 export --year 2025`` works on first start.

Every location gets a DHIS2 uid (``Location.dhis2_uid``, through ``geo.services.location_update``, audited
with the demo's national data manager) and the mapping (scheme ``uid``) maps: the workforce count in all
and by sex and cadre category; the female share's parts; the vacancy rate's parts; the licensed,
certified and supervised workers; the child population. The uids are made from names
(:func:`demo_uid`), so they are the same on every run and on every machine; DHIS2 would have its own.
"""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

from sswis.dhis2.mapping import COLUMNS, dhis2_mapping_import
from sswis.dhis2.models import Dhis2Mapping
from sswis.geo.models import Location
from sswis.geo.services import location_update
from sswis.indicators.definitions import DIMENSIONS

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ALPHANUMERIC = _LETTERS + "0123456789"

SPLIT = ("sex", "category")
"""The disaggregations of the demo's workforce count (each adds one computation to an export)."""


def demo_uid(name: str) -> str:
    """A DHIS2-shaped uid (a letter and 10 letters or digits) made from ``name``: always the same."""
    digest = hashlib.sha256(f"sswis-demo:{name}".encode()).digest()
    return _LETTERS[digest[0] % len(_LETTERS)] + "".join(
        _ALPHANUMERIC[byte % len(_ALPHANUMERIC)] for byte in digest[1:11]
    )


def demo_mapping_csv(*, scheme: str = "uid") -> str:
    """The demo's mapping file. ``scheme`` ``uid``: uids from :func:`demo_uid`; ``code``: readable codes
    (``SSW_COUNT``...), the org units then being the locations' own codes (the benchmark's)."""

    def identifier(name: str) -> str:
        return demo_uid(name) if scheme == "uid" else f"SSW_{name.upper().replace('.', '_')}"[:50]

    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)

    def line(
        record: str,
        *,
        dhis2: str,
        indicator: str = "",
        part: str = "",
        dimension: str = "",
        group: str = "",
        combo: str = "",
        categories: str = "",
    ) -> None:
        writer.writerow([record, indicator, part, dimension, group, "", dhis2, combo, "", categories])

    line("data_set", dhis2=identifier("workforce_annual"))
    line("id_scheme", dhis2=scheme)
    line("value", dhis2=identifier("count"), indicator="workforce.count", part="numerator")
    for dimension in SPLIT:
        element = identifier(f"count_by_{dimension}")
        for group in DIMENSIONS[dimension].group_codes:
            line(
                "value",
                dhis2=element,
                indicator="workforce.count",
                part="numerator",
                dimension=dimension,
                group=group,
                combo=identifier(f"{dimension}_{group}"),
                categories=f"SSW_{dimension.upper()}={group.upper()}",
            )
    for indicator, parts in (
        ("workforce.female_share", ("numerator", "denominator")),
        ("posts.vacancy_rate", ("numerator", "denominator")),
        ("workforce.licensed_share", ("numerator",)),
        ("workforce.certified_share", ("numerator",)),
        ("support.supervised_share", ("numerator",)),
    ):
        for part in parts:
            line("value", dhis2=identifier(f"{indicator}.{part}"), indicator=indicator, part=part)
    line("child_population", dhis2=identifier("children"))
    return stream.getvalue()


def demo_dhis2_set(*, actor: Any) -> int:
    """Give every location without one a uid and import the demo mapping; return the locations given a
    uid. Running it again changes nothing."""
    given = 0
    for location in Location.objects.filter(dhis2_uid="").order_by("path"):
        location_update(actor=actor, location=location, dhis2_uid=demo_uid(f"location:{location.code}"))
        given += 1
    if not Dhis2Mapping.objects.exists():
        dhis2_mapping_import(actor=actor, content=demo_mapping_csv().encode(), file_name="demo-mapping.csv")
    return given
