"""The locust users of ``bench/load.py`` (run by it; not on its own, it needs the personas it prepares).

Each simulated user does what a busy Monday does, weighted: a national data manager opens the national
dashboard, pages through and filters the worker list, searches workers by a name fragment; an API client
searches FHIR Practitioners by ``name:contains``; a member of the public searches the register. The
session cookie, the API token and the names come from ``bench/load.py`` through the environment
(``SSWIS_LOAD_SESSION``, ``SSWIS_LOAD_TOKEN``, ``SSWIS_LOAD_FRAGMENTS``, ``SSWIS_LOAD_PUBLIC_NAMES``,
``SSWIS_LOAD_LOCATIONS``, ``SSWIS_LOAD_CADRES``). Any answer other than 200 is a failure.

The session cookie is sent as a header: production marks it ``Secure``, so an HTTP client's cookie jar
would not send it to http://127.0.0.1; the proxy header ``X-Forwarded-Proto: https`` is sent as the
reverse proxy in front of sswis does (docs/security.md), so the requests are handled as in production.
"""

from __future__ import annotations

import os
import random

from locust import FastHttpUser, between, task

SESSION = os.environ.get("SSWIS_LOAD_SESSION", "")
TOKEN = os.environ.get("SSWIS_LOAD_TOKEN", "")
FRAGMENTS = [text for text in os.environ.get("SSWIS_LOAD_FRAGMENTS", "").split(",") if text]
PUBLIC_NAMES = [text for text in os.environ.get("SSWIS_LOAD_PUBLIC_NAMES", "").split(",") if text]
LOCATIONS = [text for text in os.environ.get("SSWIS_LOAD_LOCATIONS", "").split(",") if text]
CADRES = [text for text in os.environ.get("SSWIS_LOAD_CADRES", "").split(",") if text]
PROXY = {"X-Forwarded-Proto": "https"}


class MondayUser(FastHttpUser):
    """One person of the load: a think time of 1 to 3 seconds between requests.

    ``FastHttpUser`` (geventhttpclient) rather than ``HttpUser`` (requests): locust shares the two cores
    with the stack it measures, and its cheaper client leaves them to the stack (docs/load.md)."""

    wait_time = between(1, 3)

    def session_get(self, url: str, name: str) -> None:
        self.client.get(url, name=name, headers={**PROXY, "Cookie": f"sessionid={SESSION}"})

    @task(2)
    def national_dashboard(self) -> None:
        self.session_get("/", "dashboard /")

    @task(3)
    def worker_list(self) -> None:
        page = random.randint(1, 5)
        choice = random.randrange(4)
        if choice == 0:
            url = f"/workers/?page={page}"
        elif choice == 1:
            url = f"/workers/?location={random.choice(LOCATIONS)}&page={page}"
        elif choice == 2:
            url = f"/workers/?cadre={random.choice(CADRES)}&paid=yes&page={page}"
        else:
            url = f"/workers/?category=professional&location={random.choice(LOCATIONS)}"
        self.session_get(url, "worker list /workers/ (pages, filters)")

    @task(3)
    def worker_search(self) -> None:
        self.session_get(f"/workers/?q={random.choice(FRAGMENTS)}", "worker search /workers/?q=")

    @task(3)
    def fhir_search(self) -> None:
        self.client.get(
            f"/fhir/Practitioner?name:contains={random.choice(FRAGMENTS)}&_count=20",
            name="FHIR /fhir/Practitioner?name:contains=",
            headers={**PROXY, "Authorization": f"Token {TOKEN}", "Accept": "application/fhir+json"},
        )

    @task(2)
    def public_register(self) -> None:
        self.client.get(
            f"/register/?q={random.choice(PUBLIC_NAMES)}", name="public register /register/?q=", headers=PROXY
        )
