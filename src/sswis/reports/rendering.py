"""The profile as a document: HTML (the same template as the web page's body) and PDF by WeasyPrint.

The fonts are shipped with sswis (Noto Sans and Noto Sans Arabic, SIL Open Font License, under
``static/reports/fonts/``) and named by ``@font-face``; the charts and the map are inline SVG, the same
markup the page shows. WeasyPrint fetches nothing from the network: its URL fetcher
(:class:`LocalOnlyFetcher`) refuses every address but the shipped font files (and ``data:`` URLs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from sswis.reports.profile import Profile

FONTS_DIRECTORY = Path(__file__).resolve().parent / "static" / "reports" / "fonts"
DOCUMENT_TEMPLATE = "reports/profile_document.html"

FONT_FACES = (
    # family, file, weight, unicode range (a character outside it is taken from the next family)
    ("Noto Sans", "noto-sans-latin-400-normal.woff", 400),
    ("Noto Sans", "noto-sans-latin-700-normal.woff", 700),
    ("Noto Sans", "noto-sans-latin-ext-400-normal.woff", 400),
    ("Noto Sans", "noto-sans-latin-ext-700-normal.woff", 700),
    ("Noto Sans Arabic", "noto-sans-arabic-arabic-400-normal.woff", 400),
    ("Noto Sans Arabic", "noto-sans-arabic-arabic-700-normal.woff", 700),
)


class ReportRenderingError(Exception):
    """WeasyPrint is not installed or could not make the PDF; the message says which."""


def font_faces_css(*, for_pdf: bool) -> str:
    """The ``@font-face`` rules of the shipped fonts: ``file:`` URLs for WeasyPrint, the static files'
    URLs for a browser."""
    rules = []
    for family, name, weight in FONT_FACES:
        url = (FONTS_DIRECTORY / name).as_uri() if for_pdf else f"{settings.STATIC_URL}reports/fonts/{name}"
        rules.append(
            f'@font-face {{ font-family: "{family}"; src: url("{url}") format("woff"); '
            f"font-weight: {weight}; font-style: normal; }}"
        )
    return "\n".join(rules)


def profile_html(*, profile: Profile, language: str, for_pdf: bool) -> str:
    """The whole profile as one HTML document in ``language`` (its translations, its direction: ``dir="rtl"``
    for Arabic), with the shipped fonts (``file:`` URLs when ``for_pdf``)."""
    with translation.override(language):
        return render_to_string(
            DOCUMENT_TEMPLATE,
            {
                "profile": profile,
                "language": language,
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
                "font_faces": font_faces_css(for_pdf=for_pdf),
                "for_pdf": for_pdf,
            },
        )


def _local_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Fetches the shipped font files and ``data:`` URLs only; anything else is refused (WeasyPrint
        then goes on without it), so making a PDF never reaches the network."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                local = Path(url.removeprefix("file://").split("?")[0]).resolve()
                if not local.is_relative_to(FONTS_DIRECTORY):
                    raise ValueError(f"Only the shipped fonts may be read, not {url}")
            elif not url.startswith("data:"):
                raise ValueError(f"Nothing is fetched from the network: {url}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher()


@dataclass(frozen=True)
class Pdf:
    """A PDF and its number of pages."""

    content: bytes
    pages: int


def pdf_from_html(html: str) -> Pdf:
    """The PDF of ``html`` (a profile document made ``for_pdf``). Raises ``ReportRenderingError`` when
    WeasyPrint is missing or fails."""
    try:
        import weasyprint
    except ImportError as missing:  # pragma: no cover - a dependency of sswis
        raise ReportRenderingError(_("WeasyPrint is not installed: pip install weasyprint.")) from missing
    try:
        document = weasyprint.HTML(
            string=html, base_url=FONTS_DIRECTORY.as_uri() + "/", url_fetcher=_local_fetcher()
        ).render()
        return Pdf(content=bytes(document.write_pdf()), pages=len(document.pages))
    except Exception as error:  # WeasyPrint's own errors (a font, a layout): named, not a traceback
        raise ReportRenderingError(
            _("WeasyPrint could not make the PDF (%(error)s).") % {"error": error}
        ) from error


def profile_pdf(*, profile: Profile, language: str) -> Pdf:
    """The profile as a PDF in ``language``."""
    return pdf_from_html(profile_html(profile=profile, language=language, for_pdf=True))
