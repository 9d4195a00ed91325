"""The synthetic country is a valid, realistic mapping template (no database needed)."""

from __future__ import annotations

import csv
import itertools
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from sswis.demo.generator import GeneratedTemplate, country_generate

# Written out from contracts/mapping-template.md, independently of the generator.
CONTRACT_HEADERS = {
    "locations.csv": ["code", "name", "parent_code", "type", "setting"],
    "population.csv": ["location_code", "year", "children", "total"],
    "organizations.csv": ["code", "name", "type", "sector", "location_code", "parent_code"],
    "cadres.csv": ["code", "name", "category", "isco08"],
    "posts.csv": [
        "code",
        "organization_code",
        "location_code",
        "cadre_code",
        "grade",
        "funded",
        "established_on",
        "abolished_on",
    ],
    "workers.csv": [
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
    ],
    "assignments.csv": [
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
    ],
}
ORGANIZATION_TYPES = {
    "government",
    "ngo",
    "faith_based",
    "community_based",
    "private",
    "academic",
    "un_or_donor",
    "other",
}
SECTORS = {
    "social_welfare",
    "justice",
    "health",
    "education",
    "social_protection",
    "disaster_risk_reduction",
    "other",
}
CATEGORIES = {"professional", "para_professional", "volunteer", "allied"}
SEXES = {"female", "male", "other", "unknown", ""}
DISABILITIES = {"yes", "no", "unknown", ""}
EDUCATION_LEVELS = {
    "none",
    "primary",
    "secondary",
    "certificate",
    "diploma",
    "bachelor",
    "master",
    "doctorate",
    "unknown",
    "",
}
EXIT_REASONS = {"resigned", "retired", "died", "dismissed", "transferred", "contract_ended", "other"}
FIRST_YEAR, LAST_YEAR = 2019, 2025
REFERENCE_DATE = date(LAST_YEAR, 12, 31)

Rows = dict[str, list[dict[str, str]]]


def template_read(folder: Path) -> tuple[dict[str, list[str]], Rows]:
    headers: dict[str, list[str]] = {}
    rows: Rows = {}
    for file_name in CONTRACT_HEADERS:
        with (folder / file_name).open(encoding="utf-8", newline="") as file:
            reader = csv.reader(file)
            headers[file_name] = next(reader)
            rows[file_name] = [dict(zip(headers[file_name], row, strict=True)) for row in reader]
    return headers, rows


def day(text: str) -> date:
    assert len(text) == 10, text
    return date.fromisoformat(text)


def optional_day(text: str) -> date | None:
    return day(text) if text else None


def active_on(assignment: dict[str, str], on: date) -> bool:
    end = optional_day(assignment["end_date"])
    return day(assignment["start_date"]) <= on and (end is None or end >= on)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[GeneratedTemplate, Rows]:
    result = country_generate(folder=tmp_path_factory.mktemp("kandara"), workers=500)
    headers, rows = template_read(result.folder)
    for file_name, header in headers.items():
        assert header == CONTRACT_HEADERS[file_name], file_name
    return result, rows


def test_every_file_has_exactly_the_contract_header(generated: tuple[GeneratedTemplate, Rows]) -> None:
    result, _ = generated
    # The CSV files of the contract, plus its optional boundaries (tested in test_boundaries.py).
    assert sorted(path.name for path in result.folder.iterdir()) == sorted(
        [*CONTRACT_HEADERS, "boundaries.geojson"]
    )
    for file_name, header in CONTRACT_HEADERS.items():
        first_line = (result.folder / file_name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert first_line == ",".join(header)


def test_counts_match_rows_written(generated: tuple[GeneratedTemplate, Rows]) -> None:
    result, rows = generated
    assert result.counts == {file_name: len(rows[file_name]) for file_name in CONTRACT_HEADERS}
    assert result.counts["workers.csv"] == 500


def test_location_tree(generated: tuple[GeneratedTemplate, Rows]) -> None:
    _, rows = generated
    locations = rows["locations.csv"]
    codes = [location["code"] for location in locations]
    assert len(codes) == len(set(codes))
    roots = [location for location in locations if location["parent_code"] == ""]
    assert [root["code"] for root in roots] == ["KD"]
    known = set(codes)
    assert all(location["parent_code"] in known for location in locations if location is not roots[0])
    types = Counter(location["type"] for location in locations)
    assert types == {"country": 1, "region": 4, "district": 44, "ward": 22}
    by_code = {location["code"]: location for location in locations}
    expected_parent_type = {"region": "country", "district": "region", "ward": "district"}
    for location in locations[1:]:
        assert by_code[location["parent_code"]]["type"] == expected_parent_type[location["type"]]
        if location["type"] in ("district", "ward"):
            assert location["setting"] in {"urban", "rural", "mixed"}


def test_population(generated: tuple[GeneratedTemplate, Rows]) -> None:
    _, rows = generated
    locations = {location["code"]: location for location in rows["locations.csv"]}
    estimates = {
        (row["location_code"], int(row["year"])): (int(row["children"]), int(row["total"]))
        for row in rows["population.csv"]
    }
    assert len(estimates) == len(rows["population.csv"])  # (location, year) at most once
    assert all(total >= children >= 0 for children, total in estimates.values())
    assert not any(code == "KD" for code, _ in estimates)
    districts = [code for code, location in locations.items() if location["type"] == "district"]
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    missing = [(code, year) for code in districts for year in years if (code, year) not in estimates]
    assert len(missing) == 1
    missing_code, missing_year = missing[0]
    assert not any(locations[code]["parent_code"] == missing_code for code in locations)
    assert (locations[missing_code]["parent_code"], missing_year) not in estimates
    for code in districts:
        known = [estimates[code, year][0] for year in years if (code, year) in estimates]
        assert all(40_000 <= children <= 400_000 for children in known)
        assert known == sorted(known)
    # Wards add up to their district in most years.
    wards_by_district: dict[str, list[str]] = defaultdict(list)
    for code, location in locations.items():
        if location["type"] == "ward":
            wards_by_district[location["parent_code"]].append(code)
    agreeing = sum(
        sum(estimates[ward, year][0] for ward in wards) == estimates[district, year][0]
        for district, wards in wards_by_district.items()
        for year in years
    )
    assert agreeing == len(wards_by_district) * len(years) - 1
    # Some regions record their own estimate, close to (but not equal to) their districts' sum.
    region_estimates = [(code, year) for code, year in estimates if locations[code]["type"] == "region"]
    assert len({code for code, _ in region_estimates}) == 2
    for region, year in region_estimates:
        district_sum = sum(
            estimates[code, year][0] for code in districts if locations[code]["parent_code"] == region
        )
        assert 0.004 <= abs(estimates[region, year][0] / district_sum - 1) <= 0.031


def test_organizations_and_cadres(generated: tuple[GeneratedTemplate, Rows]) -> None:
    _, rows = generated
    location_codes = {location["code"] for location in rows["locations.csv"]}
    organizations = rows["organizations.csv"]
    codes = [organization["code"] for organization in organizations]
    assert len(codes) == len(set(codes))
    for organization in organizations:
        assert organization["type"] in ORGANIZATION_TYPES
        assert organization["sector"] in SECTORS
        assert organization["location_code"] in location_codes
        assert organization["parent_code"] in {"", *codes}
    types = Counter(organization["type"] for organization in organizations)
    assert types["ngo"] == 15
    assert types["faith_based"] == 6
    assert types["community_based"] == 20
    assert types["un_or_donor"] == 2
    assert types["government"] == 9 + 44
    cadres = rows["cadres.csv"]
    assert len({cadre["code"] for cadre in cadres}) == len(cadres) >= 8
    assert {cadre["category"] for cadre in cadres} == CATEGORIES


def test_posts(generated: tuple[GeneratedTemplate, Rows]) -> None:
    _, rows = generated
    organizations = {organization["code"]: organization for organization in rows["organizations.csv"]}
    location_codes = {location["code"] for location in rows["locations.csv"]}
    cadres = {cadre["code"]: cadre for cadre in rows["cadres.csv"]}
    posts = rows["posts.csv"]
    assert len({post["code"] for post in posts}) == len(posts) == 40  # 8% of 500 workers
    for post in posts:
        assert organizations[post["organization_code"]]["type"] == "government"
        assert post["location_code"] in location_codes
        assert cadres[post["cadre_code"]]["category"] == "professional"
        assert post["funded"] in {"yes", "no"}
        established, abolished = optional_day(post["established_on"]), optional_day(post["abolished_on"])
        if established and abolished:
            assert abolished > established


def test_workers(generated: tuple[GeneratedTemplate, Rows]) -> None:
    _, rows = generated
    workers = rows["workers.csv"]
    assert len({worker["worker_id"] for worker in workers}) == len(workers)
    assert workers[0]["worker_id"] == "KD-0000001"
    national_ids = [worker["national_id"] for worker in workers if worker["national_id"]]
    assert len(national_ids) == len(set(national_ids))
    for worker in workers:
        assert worker["given_name"] and worker["family_name"]
        assert worker["sex"] in SEXES
        assert worker["disability"] in DISABILITIES
        assert worker["education_level"] in EDUCATION_LEVELS
        if worker["birth_date"]:
            age = (REFERENCE_DATE - day(worker["birth_date"])).days / 365.25
            assert 20 <= age <= 66
    assert Counter(worker["sex"] for worker in workers).most_common(1)[0][0] == "female"


def test_assignments_are_valid(generated: tuple[GeneratedTemplate, Rows]) -> None:
    _, rows = generated
    worker_ids = {worker["worker_id"] for worker in rows["workers.csv"]}
    organizations = {organization["code"]: organization for organization in rows["organizations.csv"]}
    locations = {location["code"]: location for location in rows["locations.csv"]}
    cadres = {cadre["code"]: cadre for cadre in rows["cadres.csv"]}
    posts = {post["code"]: post for post in rows["posts.csv"]}
    identities = set()
    for assignment in rows["assignments.csv"]:
        assert assignment["worker_id"] in worker_ids
        assert assignment["organization_code"] in organizations
        assert locations[assignment["location_code"]]["type"] in {"district", "ward"}
        category = cadres[assignment["cadre_code"]]["category"]
        start, end = day(assignment["start_date"]), optional_day(assignment["end_date"])
        assert start <= REFERENCE_DATE
        if end is None:
            assert assignment["exit_reason"] == ""
        else:
            assert start <= end <= REFERENCE_DATE
            assert end >= date(FIRST_YEAR, 1, 1)
            assert assignment["exit_reason"] in EXIT_REASONS
        assert assignment["paid"] in {"yes", "no"}
        assert assignment["child_protection"] in {"yes", "no"}
        if category == "volunteer":
            assert assignment["paid"] == "no"
        assert assignment["fte"] == "" or 0 < float(assignment["fte"]) <= 1
        government = organizations[assignment["organization_code"]]["type"] == "government"
        if government and category == "professional":
            assert assignment["post_code"]
        if assignment["post_code"]:
            post = posts[assignment["post_code"]]
            assert post["funded"] == "yes"
            for column in ("organization_code", "location_code", "cadre_code"):
                assert assignment[column] == post[column]
            established, abolished = optional_day(post["established_on"]), optional_day(post["abolished_on"])
            assert established is None or start >= established
            assert abolished is None or (end is not None and end < abolished)
        identity = tuple(
            assignment[column]
            for column in ("worker_id", "organization_code", "location_code", "cadre_code", "start_date")
        )
        assert identity not in identities
        identities.add(identity)


def test_at_most_one_assignment_active_on_a_post_on_any_date(
    generated: tuple[GeneratedTemplate, Rows],
) -> None:
    _, rows = generated
    periods_by_post: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for assignment in rows["assignments.csv"]:
        if assignment["post_code"]:
            start = day(assignment["start_date"])
            end = optional_day(assignment["end_date"]) or date.max
            periods_by_post[assignment["post_code"]].append((start, end))
    assert periods_by_post
    for periods in periods_by_post.values():
        periods.sort()
        for (_, earlier_end), (later_start, _) in itertools.pairwise(periods):
            assert earlier_end < later_start


def test_transfers_continue_the_next_day_elsewhere(generated: tuple[GeneratedTemplate, Rows]) -> None:
    _, rows = generated
    by_worker: dict[str, list[dict[str, str]]] = defaultdict(list)
    for assignment in rows["assignments.csv"]:
        by_worker[assignment["worker_id"]].append(assignment)
    transfers = [a for a in rows["assignments.csv"] if a["exit_reason"] == "transferred"]
    assert transfers
    for transfer in transfers:
        next_day = (day(transfer["end_date"]) + timedelta(days=1)).isoformat()
        following = [a for a in by_worker[transfer["worker_id"]] if a["start_date"] == next_day]
        assert any(
            (a["location_code"], a["organization_code"])
            != (transfer["location_code"], transfer["organization_code"])
            for a in following
        )
    assert any(a["post_code"] for a in transfers)


def test_history_and_edge_cases(generated: tuple[GeneratedTemplate, Rows]) -> None:
    _, rows = generated
    assignments = rows["assignments.csv"]
    assert any(a["start_date"][5:] == "12-31" for a in assignments)
    assert any(a["start_date"] == f"{LAST_YEAR}-12-31" for a in assignments)
    assert any(a["end_date"][5:] == "01-01" for a in assignments)
    assert any(a["start_date"] < f"{FIRST_YEAR}-01-01" for a in assignments)
    assert any(a["start_date"] >= f"{LAST_YEAR - 1}-01-01" for a in assignments)
    assert {a["exit_reason"] for a in assignments} >= {"resigned", "retired", "transferred"}
    # Overlapping roles: a worker with two assignments active on the same date.
    by_worker: dict[str, list[dict[str, str]]] = defaultdict(list)
    for assignment in assignments:
        by_worker[assignment["worker_id"]].append(assignment)
    assert any(
        sum(active_on(a, REFERENCE_DATE) for a in worker_assignments) >= 2
        for worker_assignments in by_worker.values()
    )
    cadres = {cadre["code"]: cadre["category"] for cadre in rows["cadres.csv"]}
    assert any(cadres[a["cadre_code"]] == "allied" and a["child_protection"] == "no" for a in assignments)


def test_about_one_point_two_assignments_per_worker(generated: tuple[GeneratedTemplate, Rows]) -> None:
    result, _ = generated
    ratio = result.counts["assignments.csv"] / result.counts["workers.csv"]
    assert 1.1 <= ratio <= 1.35


def test_funded_posts_vacancy_on_the_reference_date(tmp_path: Path) -> None:
    # Needs a larger establishment than the 500-worker template for a stable rate.
    result = country_generate(folder=tmp_path, workers=5000)
    _, rows = template_read(result.folder)
    filled = {
        a["post_code"] for a in rows["assignments.csv"] if a["post_code"] and active_on(a, REFERENCE_DATE)
    }
    existing_funded = [
        post["code"]
        for post in rows["posts.csv"]
        if post["funded"] == "yes"
        and (not post["established_on"] or day(post["established_on"]) <= REFERENCE_DATE)
        and (not post["abolished_on"] or day(post["abolished_on"]) > REFERENCE_DATE)
    ]
    vacant = [code for code in existing_funded if code not in filled]
    assert 0.15 <= len(vacant) / len(existing_funded) <= 0.25


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = country_generate(folder=tmp_path / "first", workers=300, seed=7)
    second = country_generate(folder=tmp_path / "second", workers=300, seed=7)
    other = country_generate(folder=tmp_path / "other", workers=300, seed=8)
    for file_name in CONTRACT_HEADERS:
        assert (first.folder / file_name).read_bytes() == (second.folder / file_name).read_bytes()
    assert (first.folder / "workers.csv").read_bytes() != (other.folder / "workers.csv").read_bytes()


def test_arguments_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="workers"):
        country_generate(folder=tmp_path, workers=-1)
    with pytest.raises(ValueError, match="first_year"):
        country_generate(folder=tmp_path, first_year=2026, last_year=2025)
