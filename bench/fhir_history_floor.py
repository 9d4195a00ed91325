"""The floor of the ITI-91 walk: the Practitioner pages of the history made by one hand-written SQL query
each, the way a database can make them fastest, against which ``bench/fhir_history.py`` is read.

Usage (run by hand, on a database kept by ``bench/fhir_history.py --keep``)::

    python bench/fhir_history_floor.py URL [--pages 100] [--count 1000]

Each page is one statement: the next ``--count`` workers by (``updated_at``, id) after the last one, each
built as a history entry by PostgreSQL itself (``json_build_object``: identifiers with the registration
numbers, name, telecom, birth date, ``active`` from the assignments, qualifications from registrations and
completions, ``meta``), joined into one Bundle text. It does less than the directory does (no change
instants from the dependent rows or the deletion records, no access scope, no resource kinds other than
Practitioner), so it is a lower bound of the time, not a second implementation. It prints the
resources a second of the database's part alone and with the client's parsing of the JSON (the standard
library's ``json``), the bytes per resource, the ratio of 20,000/s to each, and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import psycopg

GOAL_PER_SECOND = 20_000
INSTANT = """to_char(w.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
PAGE = f"""
SELECT w.updated_at, w.id, json_build_object(
 'fullUrl', 'http://testserver/fhir/Practitioner/' || w.uuid,
 'resource', json_strip_nulls(json_build_object(
   'resourceType', 'Practitioner', 'id', w.uuid,
   'meta', json_build_object(
       'versionId', (extract(epoch from w.updated_at) * 1000000)::bigint::text,
       'lastUpdated', {INSTANT},
       'profile', json_build_array('http://ihe.net/fhir/mCSD/StructureDefinition/IHE.mCSD.Practitioner')),
   'identifier', (SELECT json_agg(i) FROM (
        SELECT json_build_object('system', 'urn:sswis:worker-id', 'value', w.worker_id) i
        UNION ALL SELECT json_build_object('system', 'urn:sswis:national-id', 'value', w.national_id)
          WHERE w.national_id <> ''
        UNION ALL SELECT json_build_object('system', 'urn:sswis:register:' || rg.code, 'value', r.number)
          FROM regulation_registration r JOIN regulation_register rg ON rg.id = r.register_id
          WHERE r.worker_id = w.id AND r.number <> '') ids),
   'active', EXISTS (SELECT 1 FROM registry_assignment a WHERE a.worker_id = w.id
        AND a.start_date <= CURRENT_DATE AND (a.end_date IS NULL OR a.end_date >= CURRENT_DATE)),
   'name', json_build_array(json_build_object('use', 'official', 'text', w.given_name || ' ' || w.family_name,
        'family', w.family_name, 'given', json_build_array(w.given_name))),
   'gender', w.sex,
   'telecom', (SELECT json_agg(t) FROM (
        SELECT json_build_object('system', 'phone', 'value', w.phone) t WHERE w.phone <> ''
        UNION ALL SELECT json_build_object('system', 'email', 'value', w.email) WHERE w.email <> '') tt),
   'birthDate', w.birth_date,
   'qualification', (SELECT json_agg(q) FROM (
        SELECT json_build_object(
          'identifier', json_build_array(json_build_object('system', 'urn:sswis:register:' || rg.code,
              'value', r.number)),
          'code', json_build_object('coding', json_build_array(json_build_object('system', 'urn:sswis:register',
              'code', rg.code, 'display', rg.name)), 'text', rg.name),
          'issuer', json_build_object('display', b.name),
          'period', json_build_object('start', r.registered_on)) q
        FROM regulation_registration r JOIN regulation_register rg ON rg.id = r.register_id
        JOIN regulation_regulatorybody b ON b.id = rg.body_id
        WHERE r.worker_id = w.id AND r.number <> ''
        UNION ALL
        SELECT json_build_object(
          'code', json_build_object('coding', json_build_array(json_build_object('system', 'urn:sswis:programme',
              'code', p.code, 'display', p.name)), 'text', p.name),
          'period', json_build_object('end', c.completed_on))
        FROM training_completion c JOIN training_programme p ON p.id = c.programme_id
        WHERE c.worker_id = w.id) qq))),
 'request', json_build_object('method', 'PUT', 'url', 'Practitioner/' || w.uuid),
 'response', json_build_object('status', '200 OK', 'lastModified', {INSTANT})
)::text
FROM registry_worker w WHERE (w.updated_at, w.id) > (%s, %s) ORDER BY w.updated_at, w.id LIMIT %s
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("url", help="The database kept by bench/fhir_history.py --keep (postgres://...).")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--count", type=int, default=1000)
    arguments = parser.parse_args()
    after: tuple[object, int] = ("1970-01-01T00:00:00+00:00", 0)
    resources = size = 0
    database = parsing = 0.0
    with psycopg.connect(arguments.url) as connection, connection.cursor() as cursor:
        for _page in range(arguments.pages):
            started = time.perf_counter()
            cursor.execute(PAGE, (*after, arguments.count))
            rows = cursor.fetchall()
            if not rows:
                break
            body = '{"resourceType":"Bundle","type":"history","entry":[' + ",".join(r[2] for r in rows) + "]}"
            database += time.perf_counter() - started
            started = time.perf_counter()
            resources += len(json.loads(body)["entry"])
            parsing += time.perf_counter() - started
            size += len(body)
            after = (rows[-1][0], rows[-1][1])
    for label, seconds in (("database alone", database), ("with the client's parsing", database + parsing)):
        rate = resources / seconds
        print(
            f"floor, {label}: {resources:,} Practitioners in {seconds:.1f} s = {rate:,.0f}/s "
            f"(goal {GOAL_PER_SECOND:,}/s: ratio {rate / GOAL_PER_SECOND:.2f})"
        )
    print(
        f"{size / max(resources, 1):.0f} bytes a resource; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
