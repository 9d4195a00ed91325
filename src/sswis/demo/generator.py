"""A synthetic but realistic country, written as a workforce mapping template.

The Republic of Kandara (root location code ``KD``) is fictional. :func:`country_generate` writes
it as a folder of the seven CSV files of the mapping template (contract version 1): the demo
country of the product is loaded from it through the real importer, and the benchmarks use it at
100,000 and 1,000,000 workers.

This module is pure Python (standard library only, no Django) so that it can run anywhere, and it
streams: workers and assignments are written as they are generated, and what is held in memory is
the location tree, the organisations and the establishment of posts (about 8% of the number of
workers), never the workers themselves.

Guarantees of every generated template (given ``workers >= 100`` for the edge cases):

- every row is valid against the contract: codes unique, every reference resolves, dates
  ``YYYY-MM-DD``, booleans ``yes``/``no``, enumerations lower-case as listed, ``end_date`` never
  before ``start_date``, ``exit_reason`` only with an ``end_date``, no date after 31 December of
  ``last_year``, assignment identities (worker_id, organization_code, location_code, cadre_code,
  start_date) unique;
- a post is filled by at most one assignment on any date, only by assignments whose organisation,
  location and cadre are exactly the post's, and only inside the post's established/abolished
  window; every government assignment in a professional cadre fills a post; unfunded posts are
  never filled;
- an assignment ending with ``exit_reason`` ``transferred`` is always followed, for the same
  worker, by one starting the next day in another district or organisation;
- workers' assignments are at district or ward level; volunteer assignments are unpaid;
- the country root has no population estimate of its own, exactly one district (without wards)
  lacks its estimate for one year, and no region containing it has its own estimate that year;
- the same arguments give byte-identical files.
"""

from __future__ import annotations

import csv
import json
import math
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from pathlib import Path
from typing import Final

__all__ = ["BOUNDARIES_FILE", "GeneratedTemplate", "country_generate"]

BOUNDARIES_FILE: Final = "boundaries.geojson"
# Kandara's extent in WGS 84 degrees (west, south, east, north): an inland country of southern Africa.
_EXTENT: Final = (28.0, -17.0, 35.0, -9.0)

# The mapping template's files, in loading order, with the contract's columns in its order.
_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "locations.csv": ("code", "name", "parent_code", "type", "setting"),
    "population.csv": ("location_code", "year", "children", "total"),
    "organizations.csv": ("code", "name", "type", "sector", "location_code", "parent_code"),
    "cadres.csv": ("code", "name", "category", "isco08"),
    "posts.csv": (
        "code",
        "organization_code",
        "location_code",
        "cadre_code",
        "grade",
        "funded",
        "established_on",
        "abolished_on",
    ),
    "workers.csv": (
        "worker_id",
        "given_name",
        "family_name",
        "sex",
        "birth_date",
        "disability",
        "education_level",
        "education_field",
        "national_id",
        "phone",
        "email",
    ),
    "assignments.csv": (
        "worker_id",
        "organization_code",
        "location_code",
        "cadre_code",
        "post_code",
        "start_date",
        "end_date",
        "paid",
        "fte",
        "child_protection",
        "exit_reason",
    ),
}

_ROOT_CODE: Final = "KD"
_ROOT_NAME: Final = "Republic of Kandara"
_CAPITAL_DISTRICT_INDEX: Final = 0

# Establishment size and shape.
_POSTS_PER_WORKER: Final = 0.08
_NATIONAL_POST_SHARE: Final = 0.06
_UNFUNDED_POST_SHARE: Final = 0.10
_ABOLISHED_POST_SHARE: Final = 0.04
_LATER_ESTABLISHED_POST_SHARE: Final = 0.08
# Probability that a funded, existing post is vacant on the reference date, per region: remote
# regions find it harder to recruit and keep staff.
_REGION_VACANCY_PROBABILITY: Final = (0.12, 0.20, 0.23, 0.28)
_TENURE_TRANSFER_PROBABILITY: Final = 0.15

# Regions: (name, [(district name, number of wards), ...]). Eleven districts per region; six
# districts are divided into wards. The first district of each region is its capital.
_REGIONS: Final[tuple[tuple[str, tuple[tuple[str, int], ...]], ...]] = (
    (
        "Amaru",
        (
            ("Kandara City", 5),
            ("Mbalasi", 0),
            ("Tenjera", 0),
            ("Lusoko", 0),
            ("Karibe West", 0),
            ("Nyamaso", 0),
            ("Selumbe", 3),
            ("Ovari", 0),
            ("Kitoroni", 0),
            ("Mafeleni", 0),
            ("Ruvanga", 0),
        ),
    ),
    (
        "Belesa",
        (
            ("Belesa Town", 4),
            ("Chomba", 0),
            ("Dilenga", 0),
            ("Ezirani", 0),
            ("Fumbala", 0),
            ("Gatoro", 0),
            ("Hanzeni", 0),
            ("Ilunde", 0),
            ("Jabaru", 0),
            ("Kwesimbi", 0),
            ("Lemara", 0),
        ),
    ),
    (
        "Chiraka",
        (
            ("Chiraka", 3),
            ("Mokutu", 0),
            ("Nsaleni", 0),
            ("Olambe", 0),
            ("Pemberi", 0),
            ("Qhaseni", 0),
            ("Rundani", 3),
            ("Sabeko", 0),
            ("Tulamba", 0),
            ("Uvinji", 0),
            ("Vangara", 0),
        ),
    ),
    (
        "Dumaro",
        (
            ("Dumaro Port", 4),
            ("Wenzela", 0),
            ("Xolani Flats", 0),
            ("Yambesi", 0),
            ("Zimoro", 0),
            ("Akwera", 0),
            ("Bonduki", 0),
            ("Chelema", 0),
            ("Dzoraba", 0),
            ("Enkoroi", 0),
            ("Fwambo", 0),
        ),
    ),
)
_CAPITAL_WARD_NAMES: Final = ("Central", "Old Market", "Riverside", "Hillview", "Airport")
_WARD_NAMES: Final = ("Central", "North", "South", "East", "West")

# Cadres: (code, name, category, isco08).
_CADRES: Final = (
    ("SWO", "Social welfare officer", "professional", "2635"),
    ("SW", "Social worker", "professional", "2635"),
    ("PO", "Probation officer", "professional", "2635"),
    ("CM", "Case manager", "professional", "2635"),
    ("PSW", "Para-social worker", "para_professional", "3412"),
    ("CCYCW", "Community child and youth care worker", "para_professional", "3412"),
    ("CPCV", "Child protection committee volunteer", "volunteer", ""),
    ("HW-CP", "Health worker with child protection role", "allied", "3253"),
    ("TCP", "Teacher, child protection focal point", "allied", "2341"),
)
_CADRE_CATEGORY: Final = {code: category for code, _, category, _ in _CADRES}
_POST_CADRES: Final = ("SWO", "SW", "PO", "CM")
_POST_CADRE_WEIGHTS: Final = (0.30, 0.35, 0.15, 0.20)
_POST_GRADES: Final = {
    "SWO": ("G8", "G9"),
    "SW": ("G6", "G7"),
    "PO": ("PO II", "PO I"),
    "CM": ("G5", "G6"),
}
# Cadres of workers who do not hold a government post, and their weights (percent).
_FREE_CADRES: Final = ("SW", "CM", "PSW", "CCYCW", "CPCV", "HW-CP", "TCP")
_FREE_CADRE_CUMULATIVE_WEIGHTS: Final = tuple(accumulate((3.0, 2.5, 20.0, 14.0, 43.0, 9.0, 8.5)))

_GOVERNMENT_ORGANIZATIONS: Final = (
    # (code, name, sector, parent_code)
    ("MSW", "Ministry of Gender, Children and Social Welfare", "social_welfare", ""),
    ("MSW-DCS", "Department of Children's Services", "social_welfare", "MSW"),
    ("MSW-DSW", "Department of Social Welfare", "social_welfare", "MSW"),
    ("MSW-NSPA", "National Social Protection Agency", "social_protection", "MSW"),
    ("MOJ", "Ministry of Justice and Constitutional Affairs", "justice", ""),
    ("MOJ-DPS", "Department of Probation and Aftercare Services", "justice", "MOJ"),
    ("MOH", "Ministry of Health", "health", ""),
    ("MOE", "Ministry of Education", "education", ""),
    ("ODM", "Office of Disaster Management", "disaster_risk_reduction", ""),
)
_NATIONAL_SOCIAL_WELFARE_EMPLOYER: Final = "MSW-DCS"
_PROBATION_EMPLOYER: Final = "MOJ-DPS"
_NGO_NAMES: Final = (
    "Hope for Children Kandara",
    "Child Rights Network",
    "Families First Kandara",
    "Bright Futures Trust",
    "SafeHands Child Protection",
    "Kandara Youth Empowerment Association",
    "Care and Protect Initiative",
    "Community Action for Orphans and Vulnerable Children",
    "Sunrise Family Support Services",
    "Women and Children Legal Aid Centre",
    "Street Children Outreach Kandara",
    "Disability Inclusion Network",
    "Positive Parenting Kandara",
    "Rural Child Welfare Alliance",
    "Second Chance Juvenile Justice Project",
)
_FAITH_BASED_NAMES: Final = (
    "Catholic Relief and Development, Kandara",
    "Anglican Diocese of Belesa Social Services",
    "Islamic Welfare Society of Kandara",
    "Adventist Community Services Kandara",
    "Pentecostal Assemblies Child Care Ministry",
    "Sisters of Mercy Children's Homes",
)
_COMMUNITY_BASED_PATTERNS: Final = (
    "{} Orphans Care Association",
    "{} Women's Self-Help Group",
    "{} Youth for Change",
    "{} Community Child Protection Network",
    "{} Home-Based Care Group",
)
_COMMUNITY_BASED_COUNT: Final = 20

_FEMALE_GIVEN_NAMES: Final = (
    "Amina", "Grace", "Esther", "Fatuma", "Mary", "Neema", "Chipo", "Thandiwe", "Aisha",
    "Joyce", "Rose", "Agnes", "Mercy", "Faith", "Halima", "Naledi", "Wanjiru", "Zainab",
    "Precious", "Ruth", "Blessing", "Lindiwe", "Mwajuma", "Ama", "Akosua", "Ngozi", "Chiamaka",
    "Sara", "Maria", "Ana", "Thérèse", "Beatriz", "Mariam", "Hawa", "Espérance", "Josephine",
    "Patience", "Gloria", "Lucy", "Nomvula", "Tariro", "Rutendo", "Achieng", "Nafula", "Asha",
)  # fmt: skip
_MALE_GIVEN_NAMES: Final = (
    "John", "Peter", "Joseph", "Moses", "Ibrahim", "Emmanuel", "Samuel", "Daniel", "Tendai",
    "Sipho", "Kofi", "Kwame", "Juma", "Baraka", "Musa", "Hassan", "Godfrey", "Patrick",
    "Charles", "David", "Francis", "Innocent", "Jean-Baptiste", "José", "Tiago", "Chinedu",
    "Obinna", "Thabo", "Lwazi", "Yusuf", "Omar", "Abdi", "Kelvin", "Brian", "Felix", "Simon",
    "Isaac", "Elias", "Tafadzwa", "Kudakwashe", "Otieno", "Wekesa", "Mandla", "Zawadi",
)  # fmt: skip
_FAMILY_NAMES: Final = (
    "Banda", "Phiri", "Mwale", "Otieno", "Odhiambo", "Mensah", "Boateng", "Okafor", "Nwosu",
    "Dlamini", "Nkosi", "Moyo", "Ncube", "Mutasa", "Kamau", "Njoroge", "Mushi", "Massawe",
    "Hassan", "Abdullahi", "Diallo", "Traoré", "Keita", "Ndlovu", "Sithole", "Ochieng",
    "Kariuki", "Mugisha", "Niyonzima", "Uwimana", "Habimana", "Tembo", "Zulu", "Chanda",
    "Mulenga", "Bwalya", "Lungu", "Santos", "Fernandes", "da Silva", "Ng'ang'a", "Wafula",
    "Chikwanha", "Mokoena", "Adeyemi", "Ouédraogo", "Kimaro", "Mwangi", "Achieng", "Sesay",
)  # fmt: skip

# Education by cadre category: (levels, cumulative weights) and fields.
_EDUCATION_LEVELS: Final[dict[str, tuple[tuple[str, ...], tuple[float, ...]]]] = {
    "professional": (
        ("diploma", "bachelor", "master", "doctorate", "unknown", ""),
        tuple(accumulate((20.0, 58.0, 15.0, 0.5, 3.5, 3.0))),
    ),
    "para_professional": (
        ("primary", "secondary", "certificate", "diploma", "bachelor", "unknown", ""),
        tuple(accumulate((5.0, 42.0, 33.0, 10.0, 2.0, 4.0, 4.0))),
    ),
    "volunteer": (
        ("none", "primary", "secondary", "certificate", "unknown", ""),
        tuple(accumulate((9.0, 34.0, 38.0, 5.0, 6.0, 8.0))),
    ),
    "allied": (
        ("certificate", "diploma", "bachelor", "master", "unknown", ""),
        tuple(accumulate((25.0, 45.0, 22.0, 3.0, 2.0, 3.0))),
    ),
}
_EDUCATION_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "SWO": ("social work", "social work", "social work", "sociology", "social administration"),
    "SW": ("social work", "social work", "social work", "psychology", "sociology"),
    "PO": ("social work", "law", "criminology", "social work", "sociology"),
    "CM": ("social work", "psychology", "community development", "social work", ""),
    "PSW": ("social work", "community development", "child care", "", ""),
    "CCYCW": ("child and youth care", "child and youth care", "community development", "", ""),
    "CPCV": ("", "", "", "", "community development"),
    "HW-CP": ("nursing", "nursing", "clinical medicine", "midwifery", "public health"),
    "TCP": ("education", "education", "education", "guidance and counselling", ""),
}

# Assignment life: (probability the role began before first_year, mean duration in years).
_ROLE_TIMING: Final[dict[str, tuple[float, float]]] = {
    "professional": (0.55, 9.0),
    "para_professional": (0.45, 8.0),
    "volunteer": (0.50, 7.0),
    "allied": (0.60, 12.0),
}
_PAID_EXIT_REASONS: Final = ("resigned", "contract_ended", "retired", "dismissed", "died", "other")
_PAID_EXIT_CUMULATIVE_WEIGHTS: Final = tuple(accumulate((36.0, 24.0, 17.0, 5.0, 4.0, 14.0)))
_VOLUNTEER_EXIT_REASONS: Final = ("resigned", "other", "died", "dismissed", "retired")
_VOLUNTEER_EXIT_CUMULATIVE_WEIGHTS: Final = tuple(accumulate((55.0, 32.0, 5.0, 2.0, 6.0)))
_CONTINUING_EXIT_REASONS: Final = frozenset({"resigned", "contract_ended", "other", "dismissed"})
_FOLLOW_ON_PROBABILITY: Final = 0.40
_TRANSFER_SHARE_OF_FOLLOW_ON: Final = 0.35
_SECOND_VOLUNTEER_ROLE_PROBABILITY: Final = 0.16
# Contract edge cases, placed at fixed positions so that small templates have them too: the
# n-th role hired within the history starts on 31 December (the first of them on the reference
# date itself), the n-th role ending in a later year than it started ends on 1 January.
_START_ON_31_DECEMBER_AT: Final = (5, 13, 29)
_END_ON_1_JANUARY_AT: Final = (3, 11, 23)
# National identifiers: an invertible mixing of the worker's index over 39 bits (12 digits at
# most), so they look random, never repeat and need no memory.
_NATIONAL_ID_BITS: Final = 39
_NATIONAL_ID_MASK: Final = (1 << _NATIONAL_ID_BITS) - 1

_SEXES: Final = ("female", "male", "other", "unknown", "")
_SEX_CUMULATIVE_WEIGHTS: Final = tuple(accumulate((60.0, 36.5, 0.5, 1.0, 2.0)))
_DISABILITIES: Final = ("no", "yes", "unknown", "")
_DISABILITY_CUMULATIVE_WEIGHTS: Final = tuple(accumulate((90.0, 4.5, 3.0, 2.5)))
# Full-time equivalents: volunteers give a few hours a week; para-professionals are often part-time.
_PAID_FTE: Final = (("1", "0.5", ""), tuple(accumulate((87.0, 8.0, 5.0))))
_FTE_BY_CATEGORY: Final[dict[str, tuple[tuple[str, ...], tuple[float, ...]]]] = {
    "professional": _PAID_FTE,
    "allied": _PAID_FTE,
    "para_professional": (("1", "0.5", "0.8"), tuple(accumulate((62.0, 30.0, 8.0)))),
    "volunteer": (("0.5", "0.25", "0.2", "0.1"), tuple(accumulate((35.0, 35.0, 20.0, 10.0)))),
}

_DAYS_PER_YEAR: Final = 365.25


@dataclass(frozen=True)
class GeneratedTemplate:
    """A mapping template written by :func:`country_generate`.

    ``counts`` maps each of the seven file names to the number of data rows written to it (the
    header row not included).
    """

    folder: Path
    counts: dict[str, int]


@dataclass(frozen=True)
class _District:
    index: int
    code: str
    name: str
    region_index: int
    setting: str
    ward_codes: tuple[str, ...]


@dataclass(frozen=True)
class _Post:
    code: str
    organization_code: str
    location_code: str
    district_index: int
    cadre_code: str
    funded: bool
    established_on: int | None  # proleptic Gregorian ordinal
    abolished_on: int | None


class _Tenure:
    """One occupancy of a post: becomes one assignment of the worker who holds it."""

    __slots__ = (
        "end",
        "exit_reason",
        "has_previous",
        "latest_end",
        "next_tenure",
        "post_index",
        "start",
    )

    def __init__(
        self, *, post_index: int, start: int, end: int | None, exit_reason: str, latest_end: int
    ) -> None:
        self.post_index = post_index
        self.start = start
        self.end = end
        self.exit_reason = exit_reason
        # The latest end the post's timeline allows: the next occupant's start - 1, the day
        # before abolition, or the reference date.
        self.latest_end = latest_end
        self.next_tenure: _Tenure | None = None
        self.has_previous = False


class _Assignment:
    __slots__ = (
        "cadre_code",
        "child_protection",
        "end",
        "exit_reason",
        "fte",
        "location_code",
        "organization_code",
        "paid",
        "post_code",
        "start",
    )

    def __init__(
        self,
        *,
        organization_code: str,
        location_code: str,
        cadre_code: str,
        post_code: str,
        start: int,
        end: int | None,
        paid: bool,
        fte: str,
        child_protection: bool,
        exit_reason: str,
    ) -> None:
        self.organization_code = organization_code
        self.location_code = location_code
        self.cadre_code = cadre_code
        self.post_code = post_code
        self.start = start
        self.end = end
        self.paid = paid
        self.fte = fte
        self.child_protection = child_protection
        self.exit_reason = exit_reason


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _years_before(ordinal: int, years: int) -> int:
    """The same calendar day ``years`` earlier (28 February for 29 February)."""
    day = date.fromordinal(ordinal)
    try:
        return day.replace(year=day.year - years).toordinal()
    except ValueError:
        return day.replace(year=day.year - years, day=28).toordinal()


def _jittered_edges(rng: random.Random, start: float, end: float, parts: int) -> list[float]:
    """``parts + 1`` edges from ``start`` to ``end``, the inner ones moved by up to a quarter part."""
    step = (end - start) / parts
    inner = [start + step * (n + rng.uniform(-0.25, 0.25)) for n in range(1, parts)]
    return [start, *inner, end]


def _feature(code: str, box: tuple[float, float, float, float]) -> dict[str, object]:
    """A GeoJSON Feature for ``code`` whose boundary is ``box`` (west, south, east, north), its outer
    ring counter-clockwise."""
    x0, y0, x1, y1 = (round(value, 4) for value in box)
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    return {
        "type": "Feature",
        "properties": {"code": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _national_id_mix(index: int, key: int) -> int:
    """A bijection of 39-bit integers: distinct indexes always give distinct identifiers."""
    value = (index ^ key) & _NATIONAL_ID_MASK
    for multiplier, shift in ((0x5DEECE66D, 17), (0x2545F4914F, 13)):
        # Multiplying by an odd number and xor-ing with a right shift are each invertible.
        value = (value * multiplier) & _NATIONAL_ID_MASK
        value ^= value >> shift
    return value


def _largest_remainder_split(total: int, weights: Sequence[float]) -> list[int]:
    """Integers proportional to ``weights`` that sum exactly to ``total``."""
    weight_sum = sum(weights)
    exact = [total * weight / weight_sum for weight in weights]
    parts = [int(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


class _CountryGenerator:
    """Builds the fixed parts of the country, then streams workers and assignments."""

    def __init__(self, *, folder: Path, workers: int, seed: int, first_year: int, last_year: int) -> None:
        self.folder = folder
        self.worker_count = workers
        self.seed = seed
        self.first_year = first_year
        self.last_year = last_year
        self.history_start = date(first_year, 1, 1).toordinal()
        self.reference_date = date(last_year, 12, 31).toordinal()
        self.counts: dict[str, int] = {}
        self.iso_dates: dict[int, str] = {}
        self.districts: list[_District] = []
        self.region_codes: list[str] = []
        self.professional_district_weights: list[float] = []
        self.community_district_weights: list[float] = []
        self.ngo_codes_by_district: list[list[str]] = []
        self.faith_based_codes_by_district: list[list[str]] = []
        self.community_based_codes_by_district: list[list[str]] = []
        self.district_office_codes: list[str] = []
        self.private_code = ""
        self.un_codes: list[str] = []
        self.posts: list[_Post] = []
        self.hires_in_history = 0
        self.exits_in_later_year = 0

    # --- helpers ------------------------------------------------------------------------------

    def _random(self, part: str) -> random.Random:
        """An independent, reproducible random stream per part of the country."""
        return random.Random(f"sswis-demo:{self.seed}:{part}")

    def _iso(self, ordinal: int | None) -> str:
        if ordinal is None:
            return ""
        text = self.iso_dates.get(ordinal)
        if text is None:
            text = date.fromordinal(ordinal).isoformat()
            self.iso_dates[ordinal] = text
        return text

    def _write(self, file_name: str, rows: Sequence[Sequence[object]]) -> None:
        with (self.folder / file_name).open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(_COLUMNS[file_name])
            writer.writerows(rows)
        self.counts[file_name] = len(rows)

    # --- locations and population ---------------------------------------------------------------

    def boundaries_write(self) -> None:
        """``boundaries.geojson``: generated boundaries of the country, its regions and its districts.

        The country is a box split into 2 x 2 regions at jittered lines; each region is split into rows
        of districts (rows as square as the region allows), each row into its districts at jittered
        widths, so the districts tile their region and the regions tile the country. Outer rings are
        counter-clockwise, as RFC 7946 asks; coordinates have 4 decimals (about 10 m). Wards have none.
        """
        rng = self._random("boundaries")
        west, south, east, north = _EXTENT
        middle_x = west + (east - west) * rng.uniform(0.42, 0.58)
        middle_y = south + (north - south) * rng.uniform(0.42, 0.58)
        columns = ((west, middle_x), (middle_x, east))
        rows = ((middle_y, north), (south, middle_y))
        features = [_feature(_ROOT_CODE, (west, south, east, north))]
        for region_index, region_code in enumerate(self.region_codes):
            x0, x1 = columns[region_index % 2]
            y0, y1 = rows[(region_index // 2) % 2]
            features.append(_feature(region_code, (x0, y0, x1, y1)))
            districts = [d for d in self.districts if d.region_index == region_index]
            row_count = max(1, round(math.sqrt(len(districts) * (y1 - y0) / (x1 - x0))))
            per_row = _largest_remainder_split(len(districts), [1.0] * row_count)
            row_edges = _jittered_edges(rng, y0, y1, row_count)
            taken = 0
            for row, count in enumerate(per_row):
                column_edges = _jittered_edges(rng, x0, x1, count)
                for column in range(count):
                    box = (column_edges[column], row_edges[row], column_edges[column + 1], row_edges[row + 1])
                    features.append(_feature(districts[taken].code, box))
                    taken += 1
        collection = {"type": "FeatureCollection", "features": features}
        with (self.folder / BOUNDARIES_FILE).open("w", encoding="utf-8", newline="\n") as file:
            json.dump(collection, file, separators=(",", ":"))
            file.write("\n")

    def locations_write(self) -> None:
        """The fixed tree: 1 country, 4 regions, 44 districts, 22 wards in 6 districts."""
        rng = self._random("locations")
        rows: list[tuple[str, ...]] = [(_ROOT_CODE, _ROOT_NAME, "", "country", "")]
        district_number = 0
        for region_index, (region_name, districts) in enumerate(_REGIONS):
            region_code = f"R{region_index + 1:02d}"
            self.region_codes.append(region_code)
            rows.append((region_code, f"{region_name} Region", _ROOT_CODE, "region", ""))
            for position, (district_name, ward_count) in enumerate(districts):
                district_number += 1
                code = f"D{district_number:02d}"
                if position == 0:
                    setting = "urban"
                else:
                    setting = rng.choices(("rural", "mixed", "urban"), (60, 30, 10))[0]
                ward_codes = tuple(f"W{district_number:02d}{w + 1:02d}" for w in range(ward_count))
                self.districts.append(
                    _District(district_number - 1, code, district_name, region_index, setting, ward_codes)
                )
                rows.append((code, district_name, region_code, "district", setting))
                for ward_index, ward_code in enumerate(ward_codes):
                    if district_number - 1 == _CAPITAL_DISTRICT_INDEX:
                        ward_name = f"Kandara {_CAPITAL_WARD_NAMES[ward_index]}"
                        ward_setting = "urban"
                    else:
                        ward_name = f"{district_name} {_WARD_NAMES[ward_index]}"
                        ward_setting = "urban" if ward_index == 0 else rng.choice(("rural", "mixed"))
                    rows.append((ward_code, ward_name, code, "ward", ward_setting))
        self._write("locations.csv", rows)

    def population_write(self) -> None:
        """Children and total population per district and ward per year, some regions' own figures.

        The root has no estimate (it rolls up); one district without wards misses one year.
        """
        rng = self._random("population")
        years = list(range(self.first_year, self.last_year + 1))
        bases: list[int] = []
        growths: list[float] = []
        child_shares: list[float] = []
        for district in self.districts:
            if district.index == _CAPITAL_DISTRICT_INDEX:
                base = rng.randint(290_000, 330_000)
            elif district.setting == "urban":
                base = rng.randint(140_000, 260_000)
            else:
                # Log-uniform: many small rural districts, a few large ones.
                base = int(40_000 * (220_000 / 40_000) ** rng.random())
            bases.append(base)
            growths.append(rng.uniform(0.02, 0.03))
            child_shares.append(rng.uniform(0.41 if district.setting == "urban" else 0.45, 0.52))
        setting_professional = {"urban": 2.0, "mixed": 1.2, "rural": 0.8}
        setting_community = {"urban": 0.6, "mixed": 1.0, "rural": 1.3}
        self.professional_district_weights = [
            bases[d.index] * setting_professional[d.setting] for d in self.districts
        ]
        self.community_district_weights = [
            bases[d.index] * setting_community[d.setting] for d in self.districts
        ]

        def children_in(district_index: int, year: int) -> tuple[int, int]:
            offset = year - self.first_year
            children = round(bases[district_index] * (1 + growths[district_index]) ** offset)
            # The child share falls slowly as fertility declines, so totals grow faster.
            share = child_shares[district_index] * (1 - 0.004 * offset)
            return children, max(children, round(children / share))

        # Exactly one district without wards lacks an estimate in one year (a census gap); the
        # regions that record their own estimates are the others, so it stays unknown above.
        missing_year = years[len(years) // 2]
        missing_district = rng.choice(
            [d for d in self.districts if not d.ward_codes and d.index != _CAPITAL_DISTRICT_INDEX]
        )
        other_regions = [r for r in range(len(self.region_codes)) if r != missing_district.region_index]
        regions_with_estimates = sorted(rng.sample(other_regions, 2))
        region_estimate_years = {
            region_index: set(rng.sample(years, min(len(years), rng.randint(2, 3))))
            for region_index in regions_with_estimates
        }
        # One divided district's wards come from an older survey in the first year and do not
        # add up to the district's own estimate.
        inconsistent_ward_district = rng.choice([d for d in self.districts if d.ward_codes])
        ward_weights = {d.index: [rng.uniform(0.5, 1.5) for _ in d.ward_codes] for d in self.districts}

        rows: list[tuple[str, int, int, int]] = []
        for region_index, region_code in enumerate(self.region_codes):
            for year in sorted(region_estimate_years.get(region_index, ())):
                sums = [children_in(d.index, year) for d in self.districts if d.region_index == region_index]
                factor = 1 + rng.choice((-1, 1)) * rng.uniform(0.005, 0.03)
                children = round(sum(c for c, _ in sums) * factor)
                total = round(sum(t for _, t in sums) * factor)
                rows.append((region_code, year, children, total))
        for district in self.districts:
            for year in years:
                if district is missing_district and year == missing_year:
                    continue
                children, total = children_in(district.index, year)
                rows.append((district.code, year, children, total))
        for district in self.districts:
            if not district.ward_codes:
                continue
            for year in years:
                children, total = children_in(district.index, year)
                if district is inconsistent_ward_district and year == self.first_year:
                    children, total = round(children * 0.97), round(total * 0.97)
                weights = ward_weights[district.index]
                ward_children = _largest_remainder_split(children, weights)
                ward_totals = _largest_remainder_split(total, weights)
                for ward_code, ward_child, ward_total in zip(
                    district.ward_codes, ward_children, ward_totals, strict=True
                ):
                    rows.append((ward_code, year, ward_child, max(ward_child, ward_total)))
        self._write("population.csv", rows)

    # --- organisations and cadres -----------------------------------------------------------

    def organizations_write(self) -> None:
        rng = self._random("organizations")
        rows: list[tuple[str, ...]] = []
        for code, name, sector, parent_code in _GOVERNMENT_ORGANIZATIONS:
            rows.append((code, name, "government", sector, _ROOT_CODE, parent_code))
        for district in self.districts:
            code = f"DSWO-{district.code}"
            self.district_office_codes.append(code)
            rows.append(
                (
                    code,
                    f"{district.name} District Social Welfare Office",
                    "government",
                    "social_welfare",
                    district.code,
                    "MSW-DSW",
                )
            )
        district_count = len(self.districts)
        self.ngo_codes_by_district = [[] for _ in range(district_count)]
        self.faith_based_codes_by_district = [[] for _ in range(district_count)]
        self.community_based_codes_by_district = [[] for _ in range(district_count)]

        def operating_area(base_region: int, home: int | None, size: int) -> list[int]:
            same_region = [d.index for d in self.districts if d.region_index == base_region]
            others = [d.index for d in self.districts if d.region_index != base_region]
            chosen = set(rng.sample(same_region, min(size, len(same_region))))
            chosen.update(rng.sample(others, rng.randint(0, size // 3)))
            if home is not None:
                chosen.add(home)
            return sorted(chosen)

        for number, name in enumerate(_NGO_NAMES, start=1):
            code = f"NGO{number:02d}"
            home_district = rng.choice(self.districts)
            national = rng.random() < 0.5
            location = self.region_codes[home_district.region_index] if national else home_district.code
            area = operating_area(
                home_district.region_index,
                home_district.index,
                rng.randint(6, 11) if national else rng.randint(2, 5),
            )
            for district_index in area:
                self.ngo_codes_by_district[district_index].append(code)
            sector = rng.choices(("social_welfare", "justice", "education", "health"), (80, 10, 5, 5))[0]
            rows.append((code, name, "ngo", sector, location, ""))
        for number, name in enumerate(_FAITH_BASED_NAMES, start=1):
            code = f"FBO{number:02d}"
            home_district = rng.choice(self.districts)
            area = operating_area(home_district.region_index, home_district.index, rng.randint(5, 11))
            for district_index in area:
                self.faith_based_codes_by_district[district_index].append(code)
            rows.append(
                (
                    code,
                    name,
                    "faith_based",
                    "social_welfare",
                    self.region_codes[home_district.region_index],
                    "",
                )
            )
        community_districts = sorted(rng.sample(range(district_count), _COMMUNITY_BASED_COUNT))
        for number, district_index in enumerate(community_districts, start=1):
            district = self.districts[district_index]
            code = f"CBO{number:02d}"
            name = rng.choice(_COMMUNITY_BASED_PATTERNS).format(district.name)
            self.community_based_codes_by_district[district_index].append(code)
            rows.append((code, name, "community_based", "social_welfare", district.code, ""))
        # Every district has at least one NGO and one faith-based organisation working in it.
        for district_index in range(district_count):
            if not self.ngo_codes_by_district[district_index]:
                self.ngo_codes_by_district[district_index].append(f"NGO{rng.randint(1, len(_NGO_NAMES)):02d}")
            if not self.faith_based_codes_by_district[district_index]:
                self.faith_based_codes_by_district[district_index].append(
                    f"FBO{rng.randint(1, len(_FAITH_BASED_NAMES)):02d}"
                )
        self.un_codes = ["UN01", "UN02"]
        rows.append(
            (
                "UN01",
                "United Nations Children's Fund, Kandara Country Office",
                "un_or_donor",
                "social_welfare",
                _ROOT_CODE,
                "",
            )
        )
        rows.append(
            (
                "UN02",
                "Nordic Partnership for Children (donor programme)",
                "un_or_donor",
                "social_protection",
                _ROOT_CODE,
                "",
            )
        )
        capital = self.districts[_CAPITAL_DISTRICT_INDEX].code
        rows.append(
            (
                "ACA01",
                "University of Kandara, Department of Social Work",
                "academic",
                "education",
                capital,
                "",
            )
        )
        self.private_code = "PRV01"
        rows.append(("PRV01", "Little Stars Children's Homes Ltd", "private", "social_welfare", capital, ""))
        self._write("organizations.csv", rows)

    def cadres_write(self) -> None:
        self._write("cadres.csv", list(_CADRES))

    # --- establishment ------------------------------------------------------------------------

    def posts_write(self) -> None:
        """The establishment: posts for about 8% of ``workers``, 6% of them at headquarters.

        District posts are spread by child population, weighted towards urban districts.
        """
        rng = self._random("posts")
        post_total = round(self.worker_count * _POSTS_PER_WORKER)
        national_total = round(post_total * _NATIONAL_POST_SHARE)
        per_district = _largest_remainder_split(
            post_total - national_total, self.professional_district_weights
        )
        capital = self.districts[_CAPITAL_DISTRICT_INDEX]
        rows: list[tuple[str, ...]] = []
        history_years = self.last_year - self.first_year

        def posts_add(organization_code: str, district: _District, count: int, prefix: str) -> None:
            by_cadre = _largest_remainder_split(count, _POST_CADRE_WEIGHTS)
            for cadre_code, cadre_count in zip(_POST_CADRES, by_cadre, strict=True):
                employer = organization_code
                if cadre_code == "PO":
                    employer = _PROBATION_EMPLOYER
                for number in range(1, cadre_count + 1):
                    code = f"{prefix}-{cadre_code}-{number:04d}"
                    funded = rng.random() >= _UNFUNDED_POST_SHARE
                    established_on: int | None = None
                    abolished_on: int | None = None
                    change = rng.random()
                    if history_years >= 1 and change < _ABOLISHED_POST_SHARE:
                        abolished_on = rng.randint(self.history_start + 60, self.reference_date)
                    elif history_years >= 1 and change < (
                        _ABOLISHED_POST_SHARE + _LATER_ESTABLISHED_POST_SHARE
                    ):
                        established_on = rng.randint(
                            date(self.first_year + 1, 1, 1).toordinal(), self.reference_date
                        )
                    grade = rng.choice(_POST_GRADES[cadre_code])
                    self.posts.append(
                        _Post(
                            code,
                            employer,
                            district.code,
                            district.index,
                            cadre_code,
                            funded,
                            established_on,
                            abolished_on,
                        )
                    )
                    rows.append(
                        (
                            code,
                            employer,
                            district.code,
                            cadre_code,
                            grade,
                            _yes_no(funded),
                            self._iso(established_on),
                            self._iso(abolished_on),
                        )
                    )

        posts_add(_NATIONAL_SOCIAL_WELFARE_EMPLOYER, capital, national_total, "HQ")
        for district, count in zip(self.districts, per_district, strict=True):
            posts_add(self.district_office_codes[district.index], district, count, district.code)
        self._write("posts.csv", rows)

    def tenures_build(self) -> list[list[_Tenure]]:
        """Occupancy timelines of the funded posts, grouped into one chain per worker.

        Each post's timeline is walked backwards from the reference date (or the day before
        abolition): the occupant on that date (if any), a vacancy, the previous occupant, ...
        until before first_year or the establishment date, so occupancies never overlap and stay
        inside the post's window. Some hires are then turned into transfers: an occupancy in
        another district of the same service is ended the day before.
        """
        rng = self._random("tenures")
        tenures: list[_Tenure] = []
        for post_index, post in enumerate(self.posts):
            if not post.funded:
                continue
            district = self.districts[post.district_index]
            if post.abolished_on is not None:
                window_end = post.abolished_on - 1
                occupied_at_end = rng.random() < 0.5
            else:
                window_end = self.reference_date
                occupied_at_end = rng.random() >= _REGION_VACANCY_PROBABILITY[district.region_index]
            lower = post.established_on
            cursor = window_end
            latest_end = window_end
            if not occupied_at_end:
                cursor -= rng.randint(20, 600)
            first = True
            while cursor >= self.history_start and (lower is None or cursor >= lower + 30):
                length = min(int(rng.expovariate(1 / (6.5 * _DAYS_PER_YEAR))) + 60, 20 * 365)
                start = cursor - length
                reached_lower = lower is not None and start <= lower
                if lower is not None and start <= lower:
                    start = lower + rng.randint(0, min(120, cursor - lower))
                still_in_post = first and occupied_at_end and post.abolished_on is None
                if still_in_post:
                    tenure = _Tenure(
                        post_index=post_index,
                        start=start,
                        end=None,
                        exit_reason="",
                        latest_end=latest_end,
                    )
                else:
                    if post.abolished_on is not None and cursor == window_end:
                        exit_reason = rng.choice(("contract_ended", "other", "retired"))
                    else:
                        exit_reason = rng.choices(
                            _PAID_EXIT_REASONS, cum_weights=_PAID_EXIT_CUMULATIVE_WEIGHTS
                        )[0]
                    tenure = _Tenure(
                        post_index=post_index,
                        start=start,
                        end=cursor,
                        exit_reason=exit_reason,
                        latest_end=latest_end,
                    )
                tenures.append(tenure)
                first = False
                if reached_lower or start < self.history_start:
                    break
                latest_end = start - 1
                cursor = start - 1 - rng.randint(15, 540)

        # Transfers stay within a service: social welfare (SWO, SW, CM) or probation (PO).
        def in_probation_service(tenure: _Tenure) -> bool:
            return self.posts[tenure.post_index].cadre_code == "PO"

        for arriving in tenures:
            if arriving.start <= self.history_start + 30 or arriving.has_previous:
                continue
            if rng.random() >= _TENURE_TRANSFER_PROBABILITY:
                continue
            arriving_post = self.posts[arriving.post_index]
            for _ in range(60):
                leaving = tenures[rng.randrange(len(tenures))]
                if (
                    leaving.end is not None
                    and leaving.next_tenure is None
                    and leaving.start + 30 <= arriving.start - 1 <= leaving.latest_end
                    and self.posts[leaving.post_index].district_index != arriving_post.district_index
                    and in_probation_service(leaving) == in_probation_service(arriving)
                ):
                    leaving.end = arriving.start - 1
                    leaving.exit_reason = "transferred"
                    leaving.next_tenure = arriving
                    arriving.has_previous = True
                    break

        chains: list[list[_Tenure]] = []
        for tenure in tenures:
            if tenure.has_previous:
                continue
            chain = [tenure]
            following = tenure.next_tenure
            while following is not None:
                chain.append(following)
                following = following.next_tenure
            chains.append(chain)
        rng.shuffle(chains)
        # Only with a handful of workers: the posts the dropped chains held stay vacant.
        return chains[: self.worker_count]

    # --- workers and assignments --------------------------------------------------------------

    def _district_pick(self, rng: random.Random, category: str) -> _District:
        weights = (
            self.professional_district_weights
            if category in ("professional", "allied")
            else self.community_district_weights
        )
        return rng.choices(self.districts, weights)[0]

    def _location_pick(self, rng: random.Random, district: _District, category: str) -> str:
        in_community = category in ("para_professional", "volunteer")
        if district.ward_codes and in_community and rng.random() < 0.7:
            return rng.choice(district.ward_codes)
        return district.code

    def _organization_pick(self, rng: random.Random, cadre_code: str, district: _District) -> str:
        index = district.index
        ngos = self.ngo_codes_by_district[index]
        faith_based = self.faith_based_codes_by_district[index]
        community_based = self.community_based_codes_by_district[index] or ngos
        draw = rng.random()
        if cadre_code in ("SW", "CM"):
            if index == _CAPITAL_DISTRICT_INDEX and draw < 0.08:
                return rng.choice(self.un_codes)
            return rng.choice(ngos if draw < 0.75 else faith_based)
        if cadre_code == "PSW":
            if draw < 0.45:
                return rng.choice(ngos)
            if draw < 0.70:
                return rng.choice(community_based)
            if draw < 0.85:
                return rng.choice(faith_based)
            return self.district_office_codes[index]
        if cadre_code == "CCYCW":
            if draw < 0.50:
                return rng.choice(ngos)
            if draw < 0.75:
                return rng.choice(community_based)
            if draw < 0.90:
                return rng.choice(faith_based)
            if draw < 0.95:
                return self.private_code
            return self.district_office_codes[index]
        if cadre_code == "CPCV":
            if draw < 0.40:
                return rng.choice(community_based)
            if draw < 0.75:
                return self.district_office_codes[index]
            return rng.choice(faith_based)
        if cadre_code == "HW-CP":
            return "MOH"
        # TCP: mostly public schools, some mission schools.
        return "MOE" if draw < 0.8 else rng.choice(faith_based)

    def _fte_pick(self, rng: random.Random, category: str) -> str:
        """Empty means not recorded (the contract's default, 1)."""
        values, cumulative_weights = _FTE_BY_CATEGORY[category]
        return rng.choices(values, cum_weights=cumulative_weights)[0]

    def _start_pick(self, rng: random.Random, category: str) -> int:
        before_probability, _ = _ROLE_TIMING[category]
        if rng.random() < before_probability:
            return self.history_start - 1 - int(rng.random() * 12 * _DAYS_PER_YEAR)
        self.hires_in_history += 1
        if self.hires_in_history in _START_ON_31_DECEMBER_AT:
            if self.hires_in_history == _START_ON_31_DECEMBER_AT[0]:
                year = self.last_year
            else:
                year = rng.randint(self.first_year, self.last_year)
            return date(year, 12, 31).toordinal()
        # Hiring grows over the years (the scale-up of para-professionals and volunteers).
        span = self.reference_date - self.history_start
        return self.history_start + int(span * rng.random() ** 0.85)

    def _end_pick(self, rng: random.Random, start: int, category: str) -> tuple[int | None, str]:
        _, mean_years = _ROLE_TIMING[category]
        end = max(start, self.history_start) + 30 + int(rng.expovariate(1 / (mean_years * _DAYS_PER_YEAR)))
        if end > self.reference_date:
            return None, ""
        reasons: tuple[str, ...]
        weights: tuple[float, ...]
        if category == "volunteer":
            reasons, weights = _VOLUNTEER_EXIT_REASONS, _VOLUNTEER_EXIT_CUMULATIVE_WEIGHTS
        else:
            reasons, weights = _PAID_EXIT_REASONS, _PAID_EXIT_CUMULATIVE_WEIGHTS
        exit_reason = rng.choices(reasons, cum_weights=weights)[0]
        end_year = date.fromordinal(end).year
        if end_year > date.fromordinal(start).year:
            self.exits_in_later_year += 1
            if self.exits_in_later_year in _END_ON_1_JANUARY_AT:
                end = date(end_year, 1, 1).toordinal()
        return end, exit_reason

    def _role_create(
        self,
        rng: random.Random,
        *,
        cadre_code: str,
        district: _District,
        start: int,
        organization_code: str = "",
        location_code: str = "",
    ) -> _Assignment:
        category = _CADRE_CATEGORY[cadre_code]
        end, exit_reason = self._end_pick(rng, start, category)
        return _Assignment(
            organization_code=organization_code or self._organization_pick(rng, cadre_code, district),
            location_code=location_code or self._location_pick(rng, district, category),
            cadre_code=cadre_code,
            post_code="",
            start=start,
            end=end,
            paid=category != "volunteer" and (category != "para_professional" or rng.random() < 0.82),
            fte=self._fte_pick(rng, category),
            child_protection=category != "allied" or rng.random() < 0.78,
            exit_reason=exit_reason,
        )

    def _follow_ons_add(self, rng: random.Random, roles: list[_Assignment]) -> None:
        """After a role ends, perhaps a transfer (next day) or a new role after a gap."""
        for _ in range(2):
            previous = roles[-1]
            if previous.end is None or previous.exit_reason not in _CONTINUING_EXIT_REASONS:
                return
            if rng.random() >= _FOLLOW_ON_PROBABILITY:
                return
            previous_district = self._district_of(previous.location_code)
            category = _CADRE_CATEGORY[previous.cadre_code]
            transfer_possible = previous.paid and previous.exit_reason != "dismissed"
            if transfer_possible and rng.random() < _TRANSFER_SHARE_OF_FOLLOW_ON:
                transfer = self._transfer_create(rng, previous, previous_district)
                if transfer is not None:
                    previous.exit_reason = "transferred"
                    roles.append(transfer)
                    continue
            start = previous.end + rng.randint(20, 700)
            if start > self.reference_date:
                return
            cadre_code = previous.cadre_code
            if cadre_code == "CPCV" and rng.random() < 0.3:
                cadre_code = "PSW"  # volunteers often become para-professionals
            elif cadre_code == "PSW" and rng.random() < 0.2:
                cadre_code = "CCYCW"
            district = previous_district if rng.random() < 0.7 else self._district_pick(rng, category)
            roles.append(self._role_create(rng, cadre_code=cadre_code, district=district, start=start))

    def _district_of(self, location_code: str) -> _District:
        if location_code.startswith("W"):
            return self.districts[int(location_code[1:3]) - 1]
        return self.districts[int(location_code[1:]) - 1]

    def _transfer_create(
        self, rng: random.Random, previous: _Assignment, previous_district: _District
    ) -> _Assignment | None:
        """The same role in another district, starting the day after ``previous`` ended."""
        assert previous.end is not None
        start = previous.end + 1
        if start > self.reference_date:
            return None
        organization_code = previous.organization_code
        if organization_code.startswith("DSWO-"):
            candidates = [d for d in self.districts if d.index != previous_district.index]
        elif organization_code.startswith(("NGO", "FBO")):
            by_district = (
                self.ngo_codes_by_district
                if organization_code.startswith("NGO")
                else self.faith_based_codes_by_district
            )
            candidates = [
                d
                for d in self.districts
                if d.index != previous_district.index and organization_code in by_district[d.index]
            ]
        elif organization_code in ("MOH", "MOE"):
            candidates = [
                d
                for d in self.districts
                if d.index != previous_district.index and d.region_index == previous_district.region_index
            ]
        else:
            return None  # community-based, private and UN employers do not transfer staff
        if not candidates:
            return None
        district = rng.choice(candidates)
        if organization_code.startswith("DSWO-"):
            organization_code = self.district_office_codes[district.index]
        return self._role_create(
            rng,
            cadre_code=previous.cadre_code,
            district=district,
            start=start,
            organization_code=organization_code,
        )

    def _post_roles_create(self, rng: random.Random, chain: list[_Tenure]) -> list[_Assignment]:
        roles: list[_Assignment] = []
        for tenure in chain:
            post = self.posts[tenure.post_index]
            roles.append(
                _Assignment(
                    organization_code=post.organization_code,
                    location_code=post.location_code,
                    cadre_code=post.cadre_code,
                    post_code=post.code,
                    start=tenure.start,
                    end=tenure.end,
                    paid=True,
                    fte="1",
                    child_protection=True,
                    exit_reason=tenure.exit_reason,
                )
            )
        last = roles[-1]
        left_service = last.exit_reason in ("resigned", "contract_ended")
        if last.end is not None and left_service and rng.random() < 0.3:
            # Left government for a non-governmental employer.
            start = last.end + rng.randint(20, 400)
            if start <= self.reference_date:
                district = self._district_of(last.location_code)
                cadre_code = "SW" if rng.random() < 0.6 else "CM"
                roles.append(self._role_create(rng, cadre_code=cadre_code, district=district, start=start))
        return roles

    def _free_roles_create(self, rng: random.Random) -> list[_Assignment]:
        cadre_code = rng.choices(_FREE_CADRES, cum_weights=_FREE_CADRE_CUMULATIVE_WEIGHTS)[0]
        category = _CADRE_CATEGORY[cadre_code]
        district = self._district_pick(rng, category)
        roles = [
            self._role_create(
                rng, cadre_code=cadre_code, district=district, start=self._start_pick(rng, category)
            )
        ]
        self._follow_ons_add(rng, roles)
        if cadre_code in ("PSW", "CCYCW", "HW-CP", "TCP") and (
            rng.random() < _SECOND_VOLUNTEER_ROLE_PROBABILITY
        ):
            # An overlapping unpaid role on the local child protection committee.
            primary = roles[0]
            latest = primary.end if primary.end is not None else self.reference_date
            start = rng.randint(max(primary.start, self.history_start - 1000), latest)
            location_code = primary.location_code
            if location_code == district.code and district.ward_codes:
                location_code = rng.choice(district.ward_codes)
            roles.append(
                self._role_create(
                    rng,
                    cadre_code="CPCV",
                    district=district,
                    start=start,
                    location_code=location_code,
                )
            )
        return roles

    def _birth_date_pick(self, rng: random.Random, roles: list[_Assignment]) -> int | None:
        """A plausible birth date for someone who held ``roles``, or None (about 1.5%, not known).

        The worker is 20 or older when the first role starts, 55 or older when retiring, and at
        most 65 on the reference date; the last bound gives way when a long history makes the
        three incompatible.
        """
        if rng.random() < 0.015:
            return None
        earliest_start = min(role.start for role in roles)
        latest = _years_before(min(earliest_start, self.reference_date), 20)
        earliest = _years_before(self.reference_date, 65) + 1
        for role in roles:
            if role.exit_reason == "retired" and role.end is not None:
                latest = min(latest, _years_before(role.end, 55))
        if earliest > latest:
            earliest = latest - 5 * 365
        return rng.randint(earliest, latest)

    def workers_and_assignments_write(self, chains: list[list[_Tenure]]) -> None:
        """Stream one worker at a time: their assignments, then their personal row.

        Each chain of post occupancies goes to its own worker; the other workers get roles
        outside the establishment (non-governmental, para-professional, volunteer, allied).
        """
        rng = self._random("workers")
        width = max(7, len(str(self.worker_count)))
        national_id_key = rng.getrandbits(_NATIONAL_ID_BITS)
        chains_remaining = len(chains)
        chain_iterator = iter(chains)
        worker_rows = 0
        assignment_rows = 0
        workers_path = self.folder / "workers.csv"
        assignments_path = self.folder / "assignments.csv"
        with (
            workers_path.open("w", encoding="utf-8", newline="") as workers_file,
            assignments_path.open("w", encoding="utf-8", newline="") as assignments_file,
        ):
            worker_writer = csv.writer(workers_file, lineterminator="\n")
            assignment_writer = csv.writer(assignments_file, lineterminator="\n")
            worker_writer.writerow(_COLUMNS["workers.csv"])
            assignment_writer.writerow(_COLUMNS["assignments.csv"])
            for index in range(self.worker_count):
                # Selection sampling: every chain of post occupancies goes to exactly one
                # worker, spread evenly through the file.
                if chains_remaining and rng.random() * (self.worker_count - index) < chains_remaining:
                    chains_remaining -= 1
                    roles = self._post_roles_create(rng, next(chain_iterator))
                else:
                    roles = self._free_roles_create(rng)
                worker_id = f"{_ROOT_CODE}-{index + 1:0{width}d}"
                identities: set[tuple[str, str, str, int]] = set()
                for role in roles:
                    identity = (
                        role.organization_code,
                        role.location_code,
                        role.cadre_code,
                        role.start,
                    )
                    if identity in identities:
                        continue
                    identities.add(identity)
                    assignment_writer.writerow(
                        (
                            worker_id,
                            role.organization_code,
                            role.location_code,
                            role.cadre_code,
                            role.post_code,
                            self._iso(role.start),
                            self._iso(role.end),
                            _yes_no(role.paid),
                            role.fte,
                            _yes_no(role.child_protection),
                            role.exit_reason,
                        )
                    )
                    assignment_rows += 1
                national_id = _national_id_mix(index, national_id_key)
                worker_writer.writerow(self._worker_row(rng, worker_id, roles, national_id))
                worker_rows += 1
        self.counts["workers.csv"] = worker_rows
        self.counts["assignments.csv"] = assignment_rows

    def _worker_row(
        self, rng: random.Random, worker_id: str, roles: list[_Assignment], national_id: int
    ) -> tuple[str, ...]:
        sex = rng.choices(_SEXES, cum_weights=_SEX_CUMULATIVE_WEIGHTS)[0]
        if sex == "female" or (sex != "male" and rng.random() < 0.5):
            given_name = rng.choice(_FEMALE_GIVEN_NAMES)
        else:
            given_name = rng.choice(_MALE_GIVEN_NAMES)
        family_name = rng.choice(_FAMILY_NAMES)
        primary_cadre = roles[0].cadre_code
        category = _CADRE_CATEGORY[primary_cadre]
        levels, level_weights = _EDUCATION_LEVELS[category]
        education_level = rng.choices(levels, cum_weights=level_weights)[0]
        education_field = ""
        if education_level not in ("", "unknown", "none", "primary"):
            education_field = rng.choice(_EDUCATION_FIELDS[primary_cadre])
        disability = rng.choices(_DISABILITIES, cum_weights=_DISABILITY_CUMULATIVE_WEIGHTS)[0]
        phone = ""
        if rng.random() >= (0.3 if category == "volunteer" else 0.08):
            phone = f"07{rng.randrange(10**8):08d}"
        email = ""
        if rng.random() < (0.25 if category == "volunteer" else 0.75):
            local = unicodedata.normalize("NFKD", f"{given_name}.{family_name}")
            local = "".join(c for c in local.lower() if c.isascii() and (c.isalnum() or c == "."))
            domain = rng.choice(("example.org", "example.com", "example.net"))
            email = f"{local}{rng.randint(1, 999)}@{domain}"
        return (
            worker_id,
            given_name,
            family_name,
            sex,
            self._iso(self._birth_date_pick(rng, roles)),
            disability,
            education_level,
            education_field,
            "" if rng.random() < 0.08 else f"{national_id:012d}",
            phone,
            email,
        )


def country_generate(
    *,
    folder: Path,
    workers: int = 6000,
    seed: int = 2024,
    first_year: int = 2019,
    last_year: int = 2025,
) -> GeneratedTemplate:
    """Write the Republic of Kandara as a mapping template into ``folder``.

    Writes the seven files of the mapping template (locations, population, organizations,
    cadres, posts, workers, assignments; UTF-8, header row, ``\\n`` line endings) and
    ``boundaries.geojson`` (the boundaries of the country, its regions and districts), creating the
    folder if needed and overwriting those files; other files in the folder are left alone.

    Guarantees (see the module docstring for the full list): rows are valid against the mapping
    template contract; ``workers`` worker rows and about 1.2 assignments per worker, covering
    first_year to last_year (some starting earlier, none after 31 December of last_year); the
    location tree has 1 country, 4 regions, 44 districts and 22 wards whatever ``workers`` is;
    posts are about 8% of ``workers``, about 10% of them unfunded, and 15-25% of the funded,
    existing ones are vacant on 31 December of last_year; the same arguments give byte-identical
    files. Memory is bounded by the establishment (posts), not by the number of workers.

    Edge cases present when ``workers`` is at least about 100: assignments starting on 31
    December (one of them on 31 December of last_year) and assignments ending on 1 January.

    Raises ``ValueError`` if ``workers`` is negative or ``first_year`` is after ``last_year``.
    """
    if workers < 0:
        raise ValueError(f"workers must be 0 or more, not {workers}")
    if first_year > last_year:
        raise ValueError(f"first_year {first_year} is after last_year {last_year}")
    folder.mkdir(parents=True, exist_ok=True)
    generator = _CountryGenerator(
        folder=folder, workers=workers, seed=seed, first_year=first_year, last_year=last_year
    )
    generator.locations_write()
    generator.boundaries_write()
    generator.population_write()
    generator.organizations_write()
    generator.cadres_write()
    generator.posts_write()
    chains = generator.tenures_build()
    generator.workers_and_assignments_write(chains)
    counts = {file_name: generator.counts[file_name] for file_name in _COLUMNS}
    return GeneratedTemplate(folder=folder, counts=counts)
