"""Reading the workers out of the database into DuckDB, fast, and preparing them for record linkage.

Never through Django model instances: on PostgreSQL one ``COPY (SELECT ...) TO STDOUT`` streams the rows
as CSV into a temporary file that DuckDB reads in parallel; on SQLite a plain cursor is read in blocks of
50,000 rows into Arrow record batches. Either way memory stays flat in Python; the rows live in DuckDB.

Each worker not merged away (``Worker.merged_into`` empty, when the field exists) becomes one row with
the columns the model compares (``sswis.duplicates.linkage``):

* ``unique_id`` (the worker's primary key), ``worker_id``;
* ``given_ascii``, ``family_ascii``: the names transliterated to ASCII (``anyascii``: Nguyễn -> nguyen,
  Traoré -> traore, Иван -> ivan), lower case, letters and digits only, words separated by one space;
* ``given_phonetic``, ``family_phonetic``: their metaphone code (``jellyfish``; Mohamed and Mohammed
  both MHMT), computed once per distinct name, not per worker;
* ``sex`` (empty when unknown), ``birth_date`` (ISO text, empty when unknown) and ``birth_date_swapped``
  (day and month exchanged, when both are 12 or less);
* ``national_id`` (upper case, letters and digits), ``phone`` (its last nine digits), ``email`` (lower);
* ``location_id``: the location of the worker's current assignment (the latest started of those not
  ended on ``today``), empty when none.

Empty values are SQL NULL, so that a missing national id or phone counts neither for nor against a match.
"""

from __future__ import annotations

import datetime
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import duckdb
import jellyfish
import pyarrow as pa
from anyascii import anyascii
from django.db import connection

from sswis.registry.models import Worker

BLOCK_ROWS = 50_000
COLUMNS = (
    "unique_id",
    "worker_id",
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "national_id",
    "phone",
    "email",
    "location_id",
)
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def name_ascii(name: str) -> str:
    """``name`` in ASCII lower case with words of letters and digits only (apostrophes dropped, so that
    Ng'ang'a and Nganga agree; hyphens become spaces, so Jean-Baptiste is ``jean baptiste``)."""
    text = anyascii(name).lower().replace("'", "").replace("`", "")
    return " ".join(word for word in _NOT_WORD.split(text) if word)


def name_phonetic(ascii_name: str) -> str:
    """The metaphone code of an ASCII name, its words run together (``da silva`` and ``dasilva`` agree)."""
    joined = ascii_name.replace(" ", "")
    return jellyfish.metaphone(joined) if joined else ""


def _merged_filter() -> str:
    """The SQL condition that leaves out workers merged away (the merge service's ``merged_into``)."""
    field_names = {field.name for field in Worker._meta.get_fields()}
    return "w.merged_into_id IS NULL" if "merged_into" in field_names else "1 = 1"


def _select_sql(*, today: datetime.date) -> str:
    """The one query of every worker's compared fields and current location. ``today`` is a date we
    format ourselves, so inlining it is safe (``COPY`` takes no parameters)."""
    worker_table = Worker._meta.db_table
    from sswis.registry.models import Assignment

    assignment_table = Assignment._meta.db_table
    return (
        "SELECT w.id, w.worker_id, w.given_name, w.family_name, w.sex, w.birth_date, w.national_id, "
        "w.phone, w.email, "
        f"(SELECT a.location_id FROM {assignment_table} a WHERE a.worker_id = w.id "
        f"AND (a.end_date IS NULL OR a.end_date >= '{today.isoformat()}') "
        "ORDER BY a.start_date DESC, a.id DESC LIMIT 1) "
        f"FROM {worker_table} w WHERE {_merged_filter()}"
    )


_RAW_SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        ("worker_id", pa.string()),
        ("given_name", pa.string()),
        ("family_name", pa.string()),
        ("sex", pa.string()),
        ("birth_date", pa.string()),
        ("national_id", pa.string()),
        ("phone", pa.string()),
        ("email", pa.string()),
        ("location_id", pa.int64()),
    ]
)


def _batches_from_cursor(rows_blocks: Iterable[list[tuple[object, ...]]]) -> Iterable[pa.RecordBatch]:
    for rows in rows_blocks:
        columns = list(zip(*rows, strict=True))
        arrays = []
        for index, field in enumerate(_RAW_SCHEMA):
            values = columns[index]
            if field.name == "birth_date":
                values = tuple(None if value is None else str(value) for value in values)
            arrays.append(pa.array(values, type=field.type))
        yield pa.RecordBatch.from_arrays(arrays, schema=_RAW_SCHEMA)


def _load_raw(database: duckdb.DuckDBPyConnection, *, today: datetime.date) -> None:
    """Fill the DuckDB table ``raw`` with the query's rows (module docstring: COPY or cursor blocks)."""
    sql = _select_sql(today=today)
    database.execute(
        "CREATE TABLE raw (unique_id BIGINT, worker_id VARCHAR, given_name VARCHAR, family_name VARCHAR, "
        "sex VARCHAR, birth_date VARCHAR, national_id VARCHAR, phone VARCHAR, email VARCHAR, "
        "location_id BIGINT)"
    )
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with tempfile.TemporaryDirectory(prefix="sswis-duplicates-") as folder:
            path = Path(folder) / "workers.csv"
            with (
                connection.cursor() as cursor,
                path.open("wb") as output,
                cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy,
            ):
                for block in copy:
                    output.write(block)
            if path.stat().st_size == 0:  # no worker: nothing for the CSV reader to sniff
                return
            database.execute(
                "INSERT INTO raw SELECT * FROM read_csv(?, header = false, delim = ',', quote = '\"', "
                "escape = '\"', auto_detect = false, "
                "columns = {'unique_id': 'BIGINT', 'worker_id': 'VARCHAR', 'given_name': 'VARCHAR', "
                "'family_name': 'VARCHAR', 'sex': 'VARCHAR', 'birth_date': 'VARCHAR', 'national_id': 'VARCHAR', "
                "'phone': 'VARCHAR', 'email': 'VARCHAR', 'location_id': 'BIGINT'})",
                [str(path)],
            )
        return

    def blocks() -> Iterable[list[tuple[object, ...]]]:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            while rows := cursor.fetchmany(BLOCK_ROWS):
                yield rows

    for batch in _batches_from_cursor(blocks()):
        database.register("raw_batch", pa.Table.from_batches([batch]))
        database.execute("INSERT INTO raw SELECT * FROM raw_batch")
        database.unregister("raw_batch")


def workers_load(*, database: duckdb.DuckDBPyConnection, today: datetime.date) -> int:
    """Create the DuckDB table ``workers`` (module docstring) and return how many workers it holds."""
    _load_raw(database, today=today)
    names = [
        row[0]
        for row in database.execute(
            "SELECT DISTINCT name FROM (SELECT given_name AS name FROM raw UNION ALL "
            "SELECT family_name FROM raw) WHERE name IS NOT NULL"
        ).fetchall()
    ]
    ascii_names = [name_ascii(name) for name in names]
    lookup = pa.table(
        {
            "name": pa.array(names, type=pa.string()),
            "ascii": pa.array(ascii_names, type=pa.string()),
            "phonetic": pa.array([name_phonetic(name) for name in ascii_names], type=pa.string()),
        }
    )
    database.register("name_lookup", lookup)
    database.execute(
        """
        CREATE TABLE workers AS
        SELECT
            r.unique_id,
            r.worker_id,
            NULLIF(g.ascii, '') AS given_ascii,
            NULLIF(f.ascii, '') AS family_ascii,
            NULLIF(g.phonetic, '') AS given_phonetic,
            NULLIF(f.phonetic, '') AS family_phonetic,
            CASE WHEN r.sex IN ('female', 'male') THEN r.sex END AS sex,
            NULLIF(r.birth_date, '') AS birth_date,
            CASE WHEN r.birth_date IS NOT NULL AND r.birth_date <> ''
                      AND CAST(substr(r.birth_date, 9, 2) AS INTEGER) <= 12
                      AND substr(r.birth_date, 9, 2) <> substr(r.birth_date, 6, 2)
                 THEN substr(r.birth_date, 1, 5) || substr(r.birth_date, 9, 2) || '-' || substr(r.birth_date, 6, 2)
            END AS birth_date_swapped,
            NULLIF(upper(regexp_replace(coalesce(r.national_id, ''), '[^A-Za-z0-9]', '', 'g')), '') AS national_id,
            NULLIF(right(regexp_replace(coalesce(r.phone, ''), '[^0-9]', '', 'g'), 9), '') AS phone,
            NULLIF(lower(trim(coalesce(r.email, ''))), '') AS email,
            r.location_id
        FROM raw r
        LEFT JOIN name_lookup g ON g.name = r.given_name
        LEFT JOIN name_lookup f ON f.name = r.family_name
        """
    )
    database.unregister("name_lookup")
    database.execute("DROP TABLE raw")
    # fetchall, not fetchone: DuckDB keeps a result open until it is read to the end, and Splink needs the
    # connection free.
    return int(database.execute("SELECT count(*) FROM workers").fetchall()[0][0])
