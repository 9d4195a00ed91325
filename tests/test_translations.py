"""Every user-facing text is translated into every language of ``settings.LANGUAGES``.

* Every template marks its visible text (text between tags, and the ``title``, ``aria-label``, ``alt`` and
  ``placeholder`` attributes) with ``{% translate %}`` or ``{% blocktranslate %}``.
* Every catalogue (``src/sswis/locale/<language>/LC_MESSAGES/django.po``) has every message of the sources
  (extracted again with ``makemessages`` where GNU gettext is installed, as in CI), none untranslated,
  none fuzzy, and the same placeholders as the English text; the compiled ``.mo`` beside it says the same.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "sswis"
LOCALE = PACKAGE / "locale"
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != "en"]
TEMPLATES = sorted(PACKAGE.glob("*/templates/**/*.html")) + sorted(
    (PACKAGE / "web" / "templates").glob("*.html")
)

# Django template syntax, translated blocks first: what remains outside them must carry no words.
_BLOCKTRANSLATE = re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.DOTALL)
_TAG_OR_VARIABLE = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]{2,}")
NOT_WORDS = {"sswis"}  # the product's name
ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self.hidden += 1
        self.found.extend(value for name, value in attrs if name in ATTRIBUTES and value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.found.append(data)


def unmarked_text(source: str) -> list[str]:
    """Pieces of visible text of a template source that are not marked for translation."""
    stripped = _TAG_OR_VARIABLE.sub(" ", _BLOCKTRANSLATE.sub(" ", source))
    parser = _VisibleText()
    parser.feed(stripped)
    parser.close()
    return [
        text.strip()
        for text in parser.found
        if any(word.lower() not in NOT_WORDS for word in _WORD.findall(text))
    ]


def test_the_check_finds_unmarked_text() -> None:
    assert unmarked_text('<p>Hello {{ name }}</p><a title="Open it">{% translate "x" %}</a>') == [
        "Hello",
        "Open it",
    ]
    marked = (
        '{% blocktranslate trimmed %}Hello {{ name }}{% endblocktranslate %}<b title="{% translate "T" %}">'
    )
    assert unmarked_text(marked) == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_every_template_marks_its_visible_text(template: Path) -> None:
    assert unmarked_text(template.read_text(encoding="utf-8")) == []


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(language: str) -> None:
    entries = [entry for entry in catalogue(language) if not entry.obsolete]
    assert entries
    assert [entry.msgid for entry in entries if entry.fuzzy] == []
    assert [entry.msgid for entry in entries if not entry.translated()] == []
    for entry in entries:
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            expected = sorted(set(_PLACEHOLDER.findall(entry.msgid)))
            assert sorted(set(_PLACEHOLDER.findall(translation))) == expected, (entry.msgid, translation)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_says_what_the_catalogue_says(language: str) -> None:
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    messages = {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr
        for entry in catalogue(language)
        if not entry.obsolete and entry.translated()
    }
    assert {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr for entry in compiled
    } == messages


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_the_catalogues_hold_every_message_of_the_sources(tmp_path: Path) -> None:
    copy = tmp_path / "sswis"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "--all", "--no-obsolete", "--ignore=migrations/*"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "sswis.settings.base", "PATH": "/usr/bin:/bin"},
    )
    for language in TRANSLATED:
        extracted = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        wanted = {(entry.msgctxt, entry.msgid) for entry in extracted if not entry.obsolete}
        have = {(entry.msgctxt, entry.msgid) for entry in catalogue(language) if not entry.obsolete}
        assert sorted(wanted - have, key=str) == [], f"{language}: run makemessages and translate"
        assert sorted(have - wanted, key=str) == [], f"{language}: messages no source has any more"
