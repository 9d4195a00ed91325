"""The accessibility run: axe-core in headless Chromium on every page of sswis, in English and Arabic.

Run it with ``bin/accessibility`` (which checks the machine first); ``--help`` lists the options. It

1. builds the demo country into a temporary SQLite database with ``sswis demo`` (or reuses the folder
   given with ``--data-dir``), and starts ``sswis runserver`` on 127.0.0.1 with a free port;
2. for each language, signs in as each persona that has pages, chooses the language with the chooser at
   the top of the page, and opens every page ``tests/accessibility/pages.py`` plans (real demo objects);
3. on each page: checks that ``<html lang dir>`` match the language, injects ``axe.min.js`` from
   ``node_modules`` and runs ``axe.run`` with the WCAG 2.0/2.1/2.2 A and AA rules; every violation of
   impact serious or critical is a failure;
4. measures the bytes transferred by the national dashboard (the page, its style sheet, scripts and
   charts, with the browser's cache off) and fails above ``--budget`` (300 KB);
5. opens every page again in a browser whose pages run no JavaScript (sign-in and language chooser
   included) and fails a page that loses its heading, a chart or a way to send one of its forms.

Exit status: 0 clean, 1 a failure (each one listed with page, language, rule, impact and element), 2 the
machine lacks Chromium, chromedriver or axe-core. This file is not a pytest test: it needs a browser and
minutes, and runs as a step of ``.ci/run``.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.accessibility.pages import Skip, Visit
from tests.accessibility.webdriver import Browser, WebDriverError, chromium_version, free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ("en", "ar")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
"""axe-core's tags of the WCAG 2.0, 2.1 and 2.2 success criteria of levels A and AA (2.2 adds AA ones only)."""
FAILING_IMPACTS = frozenset({"serious", "critical"})
BUDGET_BYTES = 300_000
"""The national dashboard's page weight limit: 300 KB (decimal kilobytes, the stricter reading)."""

AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(result => done(result.violations.map(rule => ({
    id: rule.id, impact: rule.impact, help: rule.help,
    nodes: rule.nodes.map(node => ({target: node.target.join(" "), impact: node.impact,
                                    summary: (node.failureSummary || "").split("\\n").slice(0, 3).join(" ")}))
  }))))
  .catch(error => done({error: String(error)}));
"""

# The language of a new page once it has loaded: an empty string before that, and on the page marked as
# left (``window.sswisLeft``, set before a navigation that a click starts).
LOADED_IN = (
    "return !window.sswisLeft && document.readyState === 'complete' ? document.documentElement.lang : ''"
)

PAGE_FACTS = """
const main = document.querySelector("main");
const forms = main ? [...main.querySelectorAll("form")] : [];
return {
  lang: document.documentElement.getAttribute("lang"),
  dir: document.documentElement.getAttribute("dir"),
  path: location.pathname,
  status: (performance.getEntriesByType("navigation")[0] || {}).responseStatus || 0,
  main: Boolean(main),
  heading: main && main.querySelector("h1") ? main.querySelector("h1").textContent.trim() : "",
  charts: main ? main.querySelectorAll("svg").length : 0,
  text: main ? main.innerText.trim().length : 0,
  unsendable: forms.filter(form => !form.querySelector(
      "button:not([type]), button[type=submit], input[type=submit], input[type=image]"))
    .map(form => form.getAttribute("action") || form.id || form.className || "(a form)"),
  scripted: main ? [...main.querySelectorAll("[hx-trigger]")]
    .filter(element => /\\b(load|revealed|intersect)\\b/.test(element.getAttribute("hx-trigger"))
                       && !element.textContent.trim())
    .map(element => element.id || element.tagName.toLowerCase()) : [],
};
"""

WEIGHT = """
const entries = performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"));
return entries.map(entry => ({name: entry.name, transferred: entry.transferSize,
                              encoded: entry.encodedBodySize, type: entry.initiatorType || "document"}));
"""


@dataclass
class Finding:
    """One failure: where (page, route, persona, language) and what (rule, impact, element)."""

    url: str
    route: str
    persona: str
    language: str
    rule: str
    impact: str
    target: str
    detail: str

    def line(self) -> str:
        return (
            f"{self.url} [{self.route}, {self.persona}, {self.language}] {self.rule} ({self.impact}): "
            f"{self.target} — {self.detail}"
        )


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    minor: collections.Counter[str] = field(default_factory=collections.Counter)
    skipped: dict[str, str] = field(default_factory=dict)
    pages: int = 0
    weights: dict[str, int] = field(default_factory=dict)
    charts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    """The charts (SVG) in each page's main part with JavaScript, by route, persona and language."""
    pages_seen: set[str] = field(default_factory=set)


def _environment(data_dir: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key != "SSWIS_DATABASE_URL"}
    environment.update(
        SSWIS_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="sswis.settings.base",
        SSWIS_DEBUG="0",
        SSWIS_LANGUAGE="en",
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH")])
        ),
    )
    return environment


def demo_build(data_dir: Path, *, workers: int) -> None:
    """``sswis demo`` into ``data_dir`` unless it already holds a demo database (then reused)."""
    if (data_dir / "sswis.sqlite3").exists():
        print(f"Reusing the demo country in {data_dir}.", flush=True)
        return
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-m", "sswis", "demo", "--workers", str(workers)],
        env=_environment(data_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"sswis demo failed:\n{completed.stdout[-2000:]}\n{completed.stderr[-4000:]}")
    print(f"Built the demo country ({workers} workers) in {time.monotonic() - started:.0f} s.", flush=True)


def server_start(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "sswis", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=_environment(data_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, seconds=60, process=process)
    except RuntimeError as error:
        process.kill()
        raise SystemExit(f"sswis did not start: {error} (log: {data_dir / 'server.log'})") from None
    return process


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch(url: str, cookies: dict[str, str]) -> tuple[int, str, str]:
    """The status, content type and ``Location`` of a GET of ``url`` with the browser's cookies; no
    redirect followed, no script run (what a browser without JavaScript receives)."""
    request = urllib.request.Request(
        url, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=120) as response:
            response.read()
            return response.status, response.headers.get("Content-Type", ""), ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.headers.get("Location", "")


class Run:
    """One browser's tour of the planned pages (with or without the pages' JavaScript)."""

    def __init__(
        self, *, base: str, visits: list[Visit], outcome: Outcome, scripts: bool, axe_source: str
    ) -> None:
        self.base = base
        self.visits = visits
        self.outcome = outcome
        self.scripts = scripts
        self.axe_source = axe_source

    def fail(
        self, visit: Visit, language: str, rule: str, target: str, detail: str, impact: str = "serious"
    ) -> None:
        self.outcome.findings.append(
            Finding(self.base + visit.url, visit.route, visit.persona, language, rule, impact, target, detail)
        )

    def sign_in(self, browser: Browser, persona: str, language: str) -> None:
        """Sign out, sign in as ``persona`` (the demo's login; none for anonymous), choose ``language``."""
        from tests.accessibility.pages import DEMO_USERNAMES

        browser.get(self.base + "/login/")
        browser.delete_cookies()
        browser.get(self.base + "/login/")
        if persona != "anonymous":
            username = DEMO_USERNAMES[persona]
            browser.fill("#id_username", username)
            browser.fill("#id_password", f"{username}-demo-2025")
            browser.click("main form button[type=submit], main form button:not([type])")
            deadline = time.monotonic() + 10
            while "sessionid" not in browser.cookies():
                if time.monotonic() > deadline:
                    said = browser.execute("return document.querySelector('main').innerText.slice(0, 500)")
                    raise SystemExit(
                        f"Could not sign in as {username} ({persona}) on {browser.current_url}: {said}"
                    )
                time.sleep(0.2)
        browser.click(f"#language-choice option[value={language}]")
        browser.execute("window.sswisLeft = true")
        browser.click("form.language button")
        # The click only starts the language form's navigation (a POST answered by a redirect to the front
        # page): wait until that page has loaded in the language, or the first visit's navigation can be
        # overtaken by it and end on the front page (seen once, on the profile page in Arabic).
        deadline = time.monotonic() + 10
        while browser.execute(LOADED_IN) != language:
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"The language {language} was not set for {persona} on {browser.current_url}"
                )
            time.sleep(0.1)

    def tour(self, browser: Browser, language: str) -> None:
        by_persona: dict[str, list[Any]] = collections.defaultdict(list)
        for visit in self.visits:
            by_persona[visit.persona].append(visit)
        for persona, visits in by_persona.items():
            started = time.monotonic()
            self.sign_in(browser, persona, language)
            for visit in visits:
                if visit.route in self.outcome.skipped:
                    continue
                self.page(browser, visit, language)
            print(f"  {persona}: {len(visits)} pages, {time.monotonic() - started:.0f} s", flush=True)

    def page(self, browser: Browser, visit: Visit, language: str) -> None:
        url = self.base + visit.url
        if visit.route not in self.outcome.pages_seen:
            # First time this route is met: fetched without a browser to see what it answers (a download
            # would start in the browser instead of being a page). Later visits trust the browser's status.
            status, content_type, location = fetch(url, browser.cookies())
            if status == 200 and not content_type.startswith("text/html"):
                self.outcome.skipped[visit.route] = f"a download ({content_type.split(';')[0]}), not a page"
                return
            if status != 200:
                where = f" to {location}" if location else ""
                self.fail(visit, language, "page-status", visit.url, f"answered {status}{where}, not a page")
                return
            self.outcome.pages_seen.add(visit.route)
        if self.scripts and visit.route == "web:dashboard" and visit.persona == "national":
            self.weigh(browser, url, language)
        else:
            browser.get(url)
        facts = browser.execute(PAGE_FACTS)
        if facts["path"] != visit.url.split("?")[0] or facts["status"] not in (200, 0):
            self.fail(
                visit,
                language,
                "page-status",
                visit.url,
                f"the browser got {facts['status']} and ended on {facts['path']}",
            )
            return
        self.outcome.pages += 1
        expected_dir = "rtl" if language == "ar" else "ltr"
        if facts["lang"] != language or facts["dir"] != expected_dir:
            self.fail(
                visit,
                language,
                "html-lang-dir",
                "html",
                f'<html lang="{facts["lang"]}" dir="{facts["dir"]}">, expected lang="{language}" dir="{expected_dir}"',
            )
        if self.scripts:
            self.outcome.charts[(visit.route, visit.persona, language)] = facts["charts"]
            self.axe(browser, visit, language)
        else:
            self.without_scripts(visit, language, facts)

    def axe(self, browser: Browser, visit: Visit, language: str) -> None:
        browser.execute(self.axe_source)
        violations = browser.execute_async(AXE_RUN, WCAG_TAGS)
        if isinstance(violations, dict):
            self.fail(visit, language, "axe-error", "document", violations["error"], impact="critical")
            return
        for rule in violations:
            if rule["impact"] not in FAILING_IMPACTS:
                self.outcome.minor[f"{rule['id']} ({rule['impact']})"] += len(rule["nodes"])
                continue
            for node in rule["nodes"]:
                self.fail(
                    visit,
                    language,
                    rule["id"],
                    node["target"],
                    f"{rule['help']}. {node['summary']}",
                    impact=node["impact"] or rule["impact"],
                )

    def weigh(self, browser: Browser, url: str, language: str) -> None:
        """Load ``url`` with the cache off and keep the bytes transferred (headers and bodies)."""
        browser.devtools("Network.enable")
        browser.devtools("Network.setCacheDisabled", {"cacheDisabled": True})
        browser.get(url)
        entries = browser.execute(WEIGHT)
        browser.devtools("Network.setCacheDisabled", {"cacheDisabled": False})
        total = sum(entry["transferred"] or entry["encoded"] for entry in entries)
        self.outcome.weights[language] = total
        print(
            f"  national dashboard ({language}): {total:,} bytes transferred in {len(entries)} responses",
            flush=True,
        )
        for entry in entries:
            print(
                f"    {entry['transferred'] or entry['encoded']:>9,}  {entry['type']:<8} {entry['name']}",
                flush=True,
            )

    def without_scripts(self, visit: Visit, language: str, facts: dict[str, Any]) -> None:
        if not facts["main"] or not facts["heading"]:
            self.fail(
                visit, language, "no-js-content", "main h1", "without JavaScript the page has no main heading"
            )
        charts = self.outcome.charts.get((visit.route, visit.persona, language))
        if charts is not None and facts["charts"] < charts:
            self.fail(
                visit,
                language,
                "no-js-charts",
                "main svg",
                f"without JavaScript {facts['charts']} charts of {charts} are drawn",
            )
        for form in facts["unsendable"]:
            self.fail(
                visit,
                language,
                "no-js-form",
                form,
                "a form with no submit button cannot be sent without JavaScript",
            )
        for element in facts["scripted"]:
            self.fail(
                visit, language, "no-js-content", element, "content that only JavaScript loads stays empty"
            )


CANARY = (
    "data:text/html;charset=utf-8,<!doctype html><html lang='en'><title>canary</title><main><h1>Canary</h1>"
    "<img src='chart.png'><button></button></main></html>"
)
"""A page made to fail: an image without a text alternative, a button without a name."""


def axe_self_check(browser: Browser, axe_source: str) -> str:
    """An empty string if axe, injected as on every page, reports the canary's two violations; otherwise
    what went wrong (then no result of the run could be trusted)."""
    browser.get(CANARY)
    browser.execute(axe_source)
    violations = browser.execute_async(AXE_RUN, WCAG_TAGS)
    if isinstance(violations, dict):
        return f"axe-core failed on a page made to fail: {violations['error']}"
    found = {rule["id"] for rule in violations if rule["impact"] in FAILING_IMPACTS}
    if not {"image-alt", "button-name"} <= found:
        return f"axe-core missed violations of a page made to fail (found only: {sorted(found) or 'nothing'})"
    return ""


def report(outcome: Outcome, *, skips: list[Skip], budget: int, seconds: float, passes: str) -> int:
    """Print the skipped routes, every failure and the summary; return the exit status."""
    print("\nSkipped routes (not pages):")
    reasons: dict[str, list[str]] = collections.defaultdict(list)
    for skip in skips:
        reasons[skip.reason].append(skip.route)
    for route, reason in outcome.skipped.items():
        reasons[reason].append(route)
    for reason, routes in sorted(reasons.items()):
        shown = ", ".join(routes[:6]) + (f" and {len(routes) - 6} more" if len(routes) > 6 else "")
        print(f"  {len(routes):3d} {reason}: {shown}")
    for language, total in outcome.weights.items():
        if total > budget:
            outcome.findings.append(
                Finding(
                    "/",
                    "web:dashboard",
                    "national",
                    language,
                    "page-weight",
                    "serious",
                    "page",
                    f"{total:,} bytes transferred, over the budget of {budget:,}",
                )
            )
    if outcome.minor:
        print("\nModerate and minor violations (reported, not failures):")
        for rule, count in sorted(outcome.minor.items()):
            print(f"  {count:4d} {rule}")
    if outcome.findings:
        print(f"\n{len(outcome.findings)} failures:")
        for finding in outcome.findings:
            print("  " + finding.line())
        print("\nFailures by rule:")
        for rule, count in collections.Counter(finding.rule for finding in outcome.findings).most_common():
            print(f"  {count:4d} {rule}")
    weights = ", ".join(f"{language} {total:,} bytes" for language, total in outcome.weights.items())
    print(
        f"\nAccessibility: {outcome.pages} page views in {', '.join(LANGUAGES)} ({passes}), "
        f"{len(outcome.findings)} failures; national dashboard {weights} (budget {budget:,}); {seconds:.0f} s."
    )
    return 1 if outcome.findings else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bin/accessibility",
        description="axe-core in headless Chromium on every page of sswis, in English and Arabic; the national "
        "dashboard's page weight; every page without JavaScript.",
    )
    parser.add_argument(
        "--workers", type=int, default=1000, help="workers of the demo country (default 1000)"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="build the demo country here, or reuse it if it is there (default: a temporary folder, removed)",
    )
    parser.add_argument(
        "--budget", type=int, default=BUDGET_BYTES, help="page weight limit in bytes (300000)"
    )
    parser.add_argument("--only", default="", help="visit only the routes whose name contains this text")
    parser.add_argument(
        "--every-persona",
        action="store_true",
        help="also open each page without an object as every other persona who may read it (slower)",
    )
    parser.add_argument("--no-scriptless", action="store_true", help="leave out the pass without JavaScript")
    options = parser.parse_args(argv)
    if not AXE.exists():
        print(f"{AXE} is missing: run `npm ci --no-audit --no-fund` at the repository root.", file=sys.stderr)
        return 2
    started = time.monotonic()
    temporary = options.data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="sswis-a11y-")) if temporary else options.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    server: subprocess.Popen[bytes] | None = None
    try:
        print(
            f"{chromium_version()}; axe-core {json.loads((AXE.parent / 'package.json').read_text())['version']}."
        )
        demo_build(data_dir, workers=options.workers)
        os.environ.update(_environment(data_dir))
        import django

        django.setup()
        from tests.accessibility.pages import object_values, plan

        visits, skips = plan(object_values(), every_persona=options.every_persona)
        visits = [visit for visit in visits if options.only in visit.route]
        port = free_port()
        server = server_start(data_dir, port)
        base = f"http://127.0.0.1:{port}"
        outcome = Outcome()
        axe_source = AXE.read_text(encoding="utf-8")
        passes = [True] if options.no_scriptless else [True, False]
        for scripts in passes:
            with Browser(scripts=scripts) as browser:
                if scripts and (problem := axe_self_check(browser, axe_source)):
                    print(problem, file=sys.stderr)
                    return 1
                for language in LANGUAGES:
                    print(
                        f"{'With' if scripts else 'Without'} JavaScript, {language}: {len(visits)} pages",
                        flush=True,
                    )
                    Run(
                        base=base, visits=visits, outcome=outcome, scripts=scripts, axe_source=axe_source
                    ).tour(browser, language)
        passes_text = "with JavaScript" if options.no_scriptless else "with and without JavaScript"
        return report(
            outcome,
            skips=skips,
            budget=options.budget,
            seconds=time.monotonic() - started,
            passes=passes_text,
        )
    except WebDriverError as error:
        print(f"The browser failed: {error}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
