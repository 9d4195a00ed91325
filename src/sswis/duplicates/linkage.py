"""The record-linkage model: Splink 5 on DuckDB, embedded (no server), over the table ``workers`` that
``sswis.duplicates.reading`` prepares.

Blocking (which pairs are compared at all; a pair is compared when any rule holds):

1. the same national id;
2. the same birth date and the same family-name metaphone;
3. the same birth date and the same given-name metaphone;
4. the same birth date with given and family names swapped (metaphone of one = metaphone of the other);
5. the same given and family names (ASCII tokens), whatever the birth date (a mistyped birth date);
6. the same given- and family-name metaphone and birth year;
7. the same phone, or 8. the same e-mail, with the same family-name metaphone.

Comparisons (each level's match weight is trained on the country's own data):

* ``names``: both names equal; swapped given/family; Jaro-Winkler >= 0.92 on both; both metaphones equal
  or Jaro-Winkler >= 0.85 on both; family equal only; given equal only; else;
* ``birth_date``: equal; day and month swapped; one character apart; within a year; else;
* ``sex``, ``location`` (current assignment): equal or not;
* ``national_id``: equal; one character apart; else; ``phone`` and ``email``: equal or not.

A missing value (no national id, no phone, unknown sex) is a null level: no evidence either way.

Training (:func:`model_train`): u probabilities by random sampling (seeded), the prior by deterministic
rules, m probabilities by expectation maximisation over two blocking rules (the same national id, then
the same names' metaphones), each training the comparisons the other holds fixed. Deterministic for a given
data set.

For countries that outgrow one machine the same settings run unchanged on Splink's Spark backend
(``docs/duplicates.md``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    import duckdb
    from splink import Linker, SettingsCreator
    from splink.internals.blocking_rule_creator import BlockingRuleCreator

# Splink (with DuckDB and pyarrow, about 50 MB) is imported by the functions that train or predict, not
# here: the web server and the background worker import this module for DEFAULT_THRESHOLD, the titles and
# the levels, and load Splink only when a duplicate search runs (docs/load.md, memory).

SEED = 20261207
DEFAULT_THRESHOLD = 0.9
"""The default match probability above which a pair is proposed (tuned by ``bench/duplicates.py``)."""


def blocking_rules() -> list[BlockingRuleCreator | dict[str, Any]]:
    """The blocking rules of the module docstring, in its order."""
    from splink import block_on

    return [
        block_on("national_id"),
        block_on("birth_date", "family_phonetic"),
        block_on("birth_date", "given_phonetic"),
        {
            "blocking_rule": "l.birth_date = r.birth_date AND l.given_phonetic = r.family_phonetic "
            "AND l.family_phonetic = r.given_phonetic"
        },
        block_on("given_ascii", "family_ascii"),
        block_on("given_phonetic", "family_phonetic", "substr(birth_date, 1, 4)"),
        block_on("phone", "family_phonetic"),
        block_on("email", "family_phonetic"),
    ]


COMPARISON_TITLES = {
    "names": gettext_lazy("names"),
    "birth_date": gettext_lazy("birth date"),
    "sex": gettext_lazy("sex"),
    "national_id": gettext_lazy("national ID"),
    "phone": gettext_lazy("phone"),
    "email": gettext_lazy("e-mail"),
    "location": gettext_lazy("location of the current assignment"),
}


def _comparisons() -> list[Any]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    names = cl.CustomComparison(
        output_column_name="names",
        comparison_description="given and family names (ASCII)",
        comparison_levels=[
            cll.And(cll.NullLevel("given_ascii"), cll.NullLevel("family_ascii")),
            cll.And(cll.ExactMatchLevel("given_ascii"), cll.ExactMatchLevel("family_ascii")).configure(
                label_for_charts="both names equal"
            ),
            cll.ColumnsReversedLevel("given_ascii", "family_ascii", symmetrical=True).configure(
                label_for_charts="given and family names swapped"
            ),
            cll.And(
                cll.JaroWinklerLevel("given_ascii", 0.92), cll.JaroWinklerLevel("family_ascii", 0.92)
            ).configure(label_for_charts="both names similar (Jaro-Winkler >= 0.92)"),
            cll.Or(
                cll.And(cll.ExactMatchLevel("given_phonetic"), cll.ExactMatchLevel("family_phonetic")),
                cll.And(
                    cll.JaroWinklerLevel("given_ascii", 0.85), cll.JaroWinklerLevel("family_ascii", 0.85)
                ),
            ).configure(label_for_charts="both names sound alike or Jaro-Winkler >= 0.85"),
            cll.ExactMatchLevel("family_ascii").configure(label_for_charts="family name equal only"),
            cll.ExactMatchLevel("given_ascii").configure(label_for_charts="given name equal only"),
            cll.ElseLevel(),
        ],
    )
    birth_date = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_description="birth date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date").configure(label_for_charts="equal"),
            cll.CustomLevel(
                '"birth_date_l" = "birth_date_swapped_r"', label_for_charts="day and month swapped"
            ),
            cll.LevenshteinLevel("birth_date", 1).configure(label_for_charts="one character apart"),
            cll.AbsoluteDateDifferenceLevel(
                "birth_date", threshold=1, metric="year", input_is_string=True
            ).configure(label_for_charts="within a year"),
            cll.ElseLevel(),
        ],
    )
    national_id = cl.CustomComparison(
        output_column_name="national_id",
        comparison_description="national ID",
        comparison_levels=[
            cll.NullLevel("national_id"),
            cll.ExactMatchLevel("national_id").configure(label_for_charts="equal"),
            cll.LevenshteinLevel("national_id", 1).configure(label_for_charts="one character apart"),
            cll.ElseLevel(),
        ],
    )
    return [
        names,
        birth_date,
        cl.ExactMatch("sex").configure(term_frequency_adjustments=False),
        national_id,
        cl.ExactMatch("phone"),
        cl.ExactMatch("email"),
        cl.CustomComparison(
            output_column_name="location",
            comparison_description="location of the current assignment",
            comparison_levels=[
                cll.NullLevel("location_id"),
                cll.ExactMatchLevel("location_id").configure(label_for_charts="equal"),
                cll.ElseLevel(),
            ],
        ),
    ]


def settings_create() -> SettingsCreator:
    """The untrained model: link type, blocking rules and comparisons (module docstring)."""
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=blocking_rules(),
        comparisons=_comparisons(),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        additional_columns_to_retain=["worker_id"],
    )


def _linker(database: duckdb.DuckDBPyConnection, settings: SettingsCreator | dict[str, Any]) -> Linker:
    from splink import DuckDBAPI, Linker

    api = DuckDBAPI(connection=database)
    table = api.register("workers", table_name="sswis_workers")
    return Linker(table, settings, log_level=logging.WARNING)


def model_train(*, database: duckdb.DuckDBPyConnection, workers: int) -> dict[str, Any]:
    """Train the model on the table ``workers`` and return Splink's JSON settings with the parameters.

    Raises ``ValueError`` when there are fewer than two workers, or too few pairs that agree on a birth
    date or names for expectation maximisation (nothing to learn from).
    """
    from splink.internals.exceptions import SplinkException

    if workers < 2:
        raise ValueError("at least two workers are needed to train the model")
    try:
        return _model_train(database=database, workers=workers)
    except SplinkException as problem:
        # Splink refuses data it cannot learn from (no two workers sharing a birth date or names, say).
        raise ValueError(f"the model cannot be trained on these workers: {problem}") from problem


def _model_train(*, database: duckdb.DuckDBPyConnection, workers: int) -> dict[str, Any]:
    from splink import block_on

    linker = _linker(database, settings_create())
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("national_id", "birth_date"),
            block_on("given_ascii", "family_ascii", "birth_date"),
        ],
        recall=0.8,
    )
    # 200 random pairs per worker, at most 5 million (a million-worker country) and at most every pair of
    # a small one: enough for the u of the common levels, and the rare ones are bounded (m_floored).
    sampled_pairs = float(min(5e6, workers * (workers - 1) / 2, max(1e4, 200 * workers)))
    # One pass over the sample (no early-stopping probes): rare levels never reach a count to stop on.
    linker.training.estimate_u_using_random_sampling(
        max_pairs=sampled_pairs, seed=SEED, num_chunks=1, min_count_per_level=None
    )
    em_pairs = 2e6
    # The pairs with the same national ID (nearly all the same person: twins and namesakes differ there)
    # train every comparison but the national ID; those with the same name sounds train the national ID,
    # the birth date... Blocking on the birth date instead would let twins teach the model that a different
    # national ID is common between records of one person.
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("national_id"),
        max_pairs=em_pairs,
        record_sample_proportion=1.0 if workers < 200_000 else 0.05,
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_phonetic", "family_phonetic"),
        max_pairs=em_pairs,
        record_sample_proportion=1.0 if workers < 200_000 else 0.05,
    )
    return m_floored(linker.misc.save_model_to_json(), sampled_pairs=sampled_pairs)


M_FLOOR = 0.0005
"""The least m probability a level keeps after training (see :func:`m_floored`)."""


def m_floored(settings: dict[str, Any], *, sampled_pairs: float) -> dict[str, Any]:
    """Raise each level's m probability to at least :data:`M_FLOOR` and renormalise the comparison's; give
    a level whose u probability could not be estimated (never seen among the ``sampled_pairs`` random
    pairs) the u probability ``1 / sampled_pairs``.

    Why: expectation maximisation gives a level that no true duplicate of the training data fell into an
    m probability near zero, i.e. a match weight of -60 or less, so that one unseen kind of error (a sex
    entered wrongly, a name spelt in a way the sample never showed) would veto a pair whatever the rest
    says. The floor caps such a level's weight at log2(0.0005 / u) while leaving well-observed levels as
    trained.
    """
    for comparison in settings["comparisons"]:
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        trained = [level for level in levels if level.get("m_probability") is not None]
        values = [max(float(level["m_probability"]), M_FLOOR) for level in trained]
        total = sum(values)
        for level, value in zip(trained, values, strict=True):
            level["m_probability"] = value / total
        # A level never seen among the randomly sampled pairs (u untrained: the same national id, or names
        # swapped both ways, are that rare between different people) is given u = 1 / (pairs sampled):
        # at most as common as one pair in the whole sample.
        for level in levels:
            if not level.get("u_probability"):
                level["u_probability"] = 1.0 / sampled_pairs
        # A level that no pair of the training fell into (m untrained: no e-mail recorded at all, say)
        # gives no evidence either way (m = u: weight 0).
        for level in levels:
            if level.get("m_probability") is None:
                level["m_probability"] = level["u_probability"]
    return settings


MISSING = "missing"
"""The label of the null level in a pair's reasons: data kept with the pair (as the model's own labels
are), not text of the interface."""


@dataclass(frozen=True)
class Level:
    label: str
    match_weight: float


def levels_of(settings: dict[str, Any]) -> dict[str, dict[int, Level]]:
    """``{comparison: {gamma value: Level}}`` of a trained model's settings: Splink numbers a comparison's
    levels from the bottom (``else`` is 0) with the null level -1 (weight 0: no evidence)."""
    result: dict[str, dict[int, Level]] = {}
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        levels = comparison["comparison_levels"]
        not_null = [level for level in levels if not level.get("is_null_level")]
        table: dict[int, Level] = {-1: Level(label=MISSING, match_weight=0.0)}
        for position, level in enumerate(not_null):
            m = level.get("m_probability")
            u = level.get("u_probability")
            weight = math.log2(m / u) if m and u else 0.0
            label = level.get("label_for_charts") or level.get("sql_condition", "")
            table[len(not_null) - 1 - position] = Level(label=label, match_weight=round(weight, 3))
        result[name] = table
    return result


@dataclass(frozen=True)
class Prediction:
    unique_id_a: int
    unique_id_b: int
    probability: float
    match_weight: float
    weights: dict[str, float]
    """Each comparison's match weight for this pair (Splink's ``mw_`` columns)."""
    gammas: dict[str, int]
    """Each comparison's level for this pair (-1: a value missing; else counted from the bottom, 0)."""


def reasons_of(
    *, weights: dict[str, float], gammas: dict[str, int], levels: dict[str, dict[int, Level]]
) -> dict[str, dict[str, Any]]:
    """``{comparison: {"level": label, "match_weight": w}}``: each comparison's level for a pair and the
    match weight it brought."""
    return {
        name: {"level": levels[name][gammas[name]].label, "match_weight": round(weight, 3)}
        for name, weight in weights.items()
    }


def pairs_predict(
    *,
    database: duckdb.DuckDBPyConnection,
    settings: dict[str, Any],
    threshold: float,
    progress: Callable[[str], None] | None = None,
) -> list[Prediction]:
    """Score every blocked pair with the trained ``settings``; return the pairs at or above ``threshold``
    (``unique_id_a`` < ``unique_id_b``), the most probable first."""
    linker = _linker(database, settings)
    if progress:
        progress("blocking")
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    names = [comparison["output_column_name"] for comparison in settings["comparisons"]]
    # Splink 5 reports each comparison's match weight (mw_) but not its level (gamma_): the level of the
    # few pairs kept is computed again here with the model's own CASE statements, so that two levels of
    # equal weight (a missing value and an untrained level, both 0) are never confused.
    columns = [row[0] for row in database.execute("DESCRIBE workers").fetchall()]
    sides = ", ".join(f'l."{name}" AS "{name}_l", r."{name}" AS "{name}_r"' for name in columns)
    cases = ", ".join(comparison._case_statement for comparison in linker._settings_obj.comparisons)
    weight_columns = ", ".join(f'p."mw_{name}"' for name in names)
    rows = database.execute(
        f"""
        WITH kept AS (SELECT * FROM {predictions.physical_name} WHERE match_probability >= ?),
        sided AS (
            SELECT p.unique_id_l AS pair_l, p.unique_id_r AS pair_r, p.match_probability, p.match_weight,
                   {weight_columns}, {sides}
            FROM kept p
            JOIN workers l ON l.unique_id = p.unique_id_l
            JOIN workers r ON r.unique_id = p.unique_id_r
        )
        SELECT pair_l, pair_r, match_probability, match_weight, {", ".join(f'"mw_{name}"' for name in names)},
               {cases}
        FROM sided ORDER BY match_probability DESC, pair_l, pair_r
        """,
        [threshold],
    ).fetchall()
    count = len(names)
    found = [
        Prediction(
            unique_id_a=min(row[0], row[1]),
            unique_id_b=max(row[0], row[1]),
            probability=float(row[2]),
            match_weight=float(row[3]),
            weights={name: float(value) for name, value in zip(names, row[4 : 4 + count], strict=True)},
            gammas={name: int(value) for name, value in zip(names, row[4 + count :], strict=True)},
        )
        for row in rows
    ]
    return found


def clusters_of(pairs: list[tuple[int, int]]) -> dict[int, int]:
    """Connected components of the proposed pairs: ``{worker: cluster number}``, numbered 1, 2, ... in the
    order of each cluster's smallest worker (union-find with path halving)."""
    parent: dict[int, int] = {}

    def find(item: int) -> int:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for left, right in pairs:
        root_left, root_right = find(left), find(right)
        if root_left != root_right:
            parent[max(root_left, root_right)] = min(root_left, root_right)
    roots = sorted({find(item) for item in parent})
    number = {root: index for index, root in enumerate(roots, start=1)}
    return {item: number[find(item)] for item in parent}
