"""The profile as a PDF (WeasyPrint) and as HTML: the same server-drawn SVG in both, the shipped fonts, no
network; the background job and the report history; the command line."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from sswis.reports.models import ProfileReport, ReportOrigin, ReportStatus
from sswis.reports.profile import profile_build
from sswis.reports.reader import Reader
from sswis.reports.rendering import FONTS_DIRECTORY, pdf_from_html, profile_html
from sswis.reports.selectors import data_fingerprint
from sswis.reports.services import profile_report_create, profile_report_queue
from tests.conftest import Country, Personas
from tests.reports.conftest import YEAR, Workforce


def svgs(html: str) -> list[str]:
    """The charts and the map, without their generated ids (each drawing numbers its title)."""
    return [
        re.sub(r"chart-title-\d+", "chart-title", svg) for svg in re.findall(r"<svg\b.*?</svg>", html, re.S)
    ]


def test_pdf_and_page_embed_the_same_svg(country: Country, workforce: Workforce, personas: Personas) -> None:
    profile = profile_build(
        reader=Reader(user=personas.national, publication=False), location=country.root, year=YEAR
    )
    for_pdf = profile_html(profile=profile, language="en", for_pdf=True)
    for_page = profile_html(profile=profile, language="en", for_pdf=False)
    assert svgs(for_pdf) == svgs(for_page)
    assert len(svgs(for_pdf)) >= 8
    # Fonts: the shipped files, by file URL for WeasyPrint, by static URL for a browser.
    assert (FONTS_DIRECTORY / "noto-sans-arabic-arabic-400-normal.woff").as_uri() in for_pdf
    assert "/static/reports/fonts/noto-sans-latin-400-normal.woff" in for_page
    pdf = pdf_from_html(for_pdf)
    assert pdf.content.startswith(b"%PDF-")
    assert pdf.pages >= 3
    assert len(pdf.content) > 20000


def pdf_text(content: bytes) -> str:
    """The text of a PDF as a reader's tool extracts it (pypdf), whitespace made single spaces."""
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_pdf_says_what_the_page_says(country: Country, workforce: Workforce, personas: Personas) -> None:
    """Every section heading of the page, the location and the headline count are in the PDF's text, and
    the Arabic PDF's text is Arabic (shaped letters are Arabic presentation forms or the base letters)."""
    profile = profile_build(
        reader=Reader(user=personas.national, publication=False), location=country.root, year=YEAR
    )
    html = profile_html(profile=profile, language="en", for_pdf=True)
    text = pdf_text(pdf_from_html(html).content)
    headings = [
        " ".join(re.sub(r"<[^>]+>", "", h).split()) for h in re.findall(r"<h2\b[^>]*>(.*?)</h2>", html, re.S)
    ]
    assert len(headings) >= 8
    assert [heading for heading in headings if heading not in text] == []
    assert country.root.name in text and str(YEAR) in text
    assert profile.dashboard.headline.workers.text in text
    assert profile.dashboard.headline.per_100k.text in text
    with translation.override("ar"):
        arabic = pdf_text(pdf_from_html(profile_html(profile=profile, language="ar", for_pdf=True)).content)
    assert (
        sum(
            1
            for character in arabic
            if "\u0600" <= character <= "\u06ff" or "\ufb50" <= character <= "\ufeff"
        )
        > 100
    )


def test_the_pdf_fetches_nothing_from_the_network(tmp_path: Path) -> None:
    """An image on the network and a local file outside the fonts are refused: the PDF is made without them."""
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"not an image")
    html = (
        '<!DOCTYPE html><html><body><p>x</p><img src="http://192.0.2.1/tracker.png">'
        f'<img src="{outside.as_uri()}"></body></html>'
    )
    from weasyprint.urls import URLFetcher

    fetched: list[str] = []
    original = URLFetcher.fetch

    def spy(self: Any, url: str, headers: Any = None) -> Any:
        fetched.append(url)
        return original(self, url, headers)

    URLFetcher.fetch = spy  # type: ignore[method-assign]
    try:
        pdf = pdf_from_html(html)
    finally:
        URLFetcher.fetch = original  # type: ignore[method-assign]
    assert pdf.content.startswith(b"%PDF-")
    assert fetched == []  # refused before any fetch


def test_background_job_keeps_the_profile_in_the_history(
    country: Country, workforce: Workforce, personas: Personas
) -> None:
    report = profile_report_create(
        actor=personas.analyst,
        location=country.region_1,
        year=YEAR,
        language="ar",
        format="html",
        publication=False,
        origin=ReportOrigin.PAGE,
    )
    assert report.status == ReportStatus.QUEUED
    report = profile_report_queue(report=report)  # the immediate backend of the tests runs it now
    assert (report.status, report.progress, report.error) == (ReportStatus.FINISHED, 100, "")
    assert report.fingerprint == data_fingerprint().digest
    assert report.data_updated_at is not None
    content = report.file.read().decode()
    assert report.size == len(content.encode())
    assert '<html lang="ar" dir="rtl">' in content
    assert report.file_name == "profile-R1-2024-ar.html"
    assert report.history.count() >= 2  # asked for, then made: each write audited


def test_a_refused_reader_is_recorded_as_failed(
    country: Country, workforce: Workforce, personas: Personas
) -> None:
    with pytest.raises(Exception, match="no role"):
        profile_report_create(
            actor=personas.outsider,
            location=country.root,
            year=YEAR,
            language="en",
            format="pdf",
            publication=False,
            origin=ReportOrigin.PAGE,
        )
    assert ProfileReport.objects.count() == 0


def test_bad_year_language_and_format_are_named(country: Country, personas: Personas) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        profile_report_create(
            actor=personas.national,
            location=country.root,
            year=1500,
            language="xx",
            format="docx",
            publication=False,
            origin=ReportOrigin.PAGE,
        )
    assert set(refused.value.message_dict) == {"year", "language", "format"}
    assert ProfileReport.objects.count() == 0


def test_command_writes_the_pdf_and_keeps_it(
    country: Country, workforce: Workforce, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "profile.pdf"
    call_command("report", "profile", "--year", str(YEAR), "--publication", "--output", str(output))
    assert output.read_bytes().startswith(b"%PDF-")
    report = ProfileReport.objects.get()
    assert report.pages >= 3
    assert report.size == output.stat().st_size
    assert (report.user, report.origin, report.publication, report.location.code, report.format) == (
        None,
        "command",
        True,
        "KD",
        "pdf",
    )
    assert f"Wrote {output}" in capsys.readouterr().out


def test_command_html_in_arabic_of_a_region(country: Country, workforce: Workforce, tmp_path: Path) -> None:
    output = tmp_path / "profile.html"
    call_command(
        "report",
        "profile",
        "--year",
        str(YEAR),
        "--location",
        "R1",
        "--language",
        "ar",
        "--output",
        str(output),
    )
    text = output.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in text
    with translation.override("ar"):
        assert "\u0668" in text  # R1's 8 workers, in Arabic-Indic digits


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--location", "NOPE", "--output", "{dir}/p.pdf"], "No location has the code NOPE."),
        (["--output", "{dir}/p.docx"], "--output must end in .pdf or .html"),
        (["--language", "xx", "--output", "{dir}/p.pdf"], "xx is not a language of sswis"),
        (["--location", "K\u0007D", "--output", "{dir}/p.pdf"], "--location holds a character"),
        (["--output", "{dir}/missing/p.pdf"], "does not exist"),
    ],
)
def test_command_refuses_bad_input_and_writes_nothing(
    country: Country, tmp_path: Path, arguments: list[str], message: str
) -> None:
    given = [argument.replace("{dir}", str(tmp_path)) for argument in arguments]
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("report", "profile", "--year", str(YEAR), *given)
    assert ProfileReport.objects.count() == 0
    assert list(tmp_path.iterdir()) == []
