"""Every user-facing text is translated into every language of ``settings.LANGUAGES``.

* Every template marks its visible text (text between tags, and the ``title``, ``aria-label``, ``alt`` and
  ``placeholder`` attributes) with ``{% translate %}`` or ``{% blocktranslate %}``.
* Every Python module marks the text it shows people: the messages of refusals and errors (``CommandError``,
  ``ValidationError``, ``PermissionDenied``, ``Http404``, DRF's errors), what commands write, the messages of
  pages, and the ``label``, ``help_text``, ``verbose_name``, ``help``, ``title`` and ``description`` of forms,
  models, serializers, filters, commands and the API schema.
* Every catalogue (``src/sswis/locale/<language>/LC_MESSAGES/django.po``) has every message of the sources
  (extracted again with ``makemessages`` where GNU gettext is installed, as in CI), none untranslated,
  none fuzzy, and the same placeholders as the English text; the compiled ``.mo`` beside it says the same.
"""

from __future__ import annotations

import ast
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


# The Python text a person reads: the first argument of these calls (refusals and errors) ...
_SHOWN_BY_CALLS = {
    "CommandError",
    "ValidationError",
    "PermissionDenied",
    "Http404",
    "NotFound",
    "ParseError",
    "AuthenticationFailed",
    "NotAuthenticated",
    "XLSFormError",
}
# ... the second of ``messages.success(request, text)`` and the like, the first of ``self.stdout.write`` ...
_MESSAGE_LEVELS = {"success", "error", "warning", "info", "add_message"}
# ... and these keyword arguments (forms, models, serializers, filters, argparse, the API schema).
_SHOWN_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "help",
    "title",
    "description",
}
# Literals that are names, not text: character sets, and the chart drawn once at start to warm up.
NOT_TEXT = {"UTF-8", "Windows-1252", "warm-up"}


def _literal_words(node: ast.expr) -> list[str]:
    """The words of a string literal or of the literal parts of an f-string (nothing for any other node)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [] if node.value in NOT_TEXT else _WORD.findall(node.value)
    if isinstance(node, ast.JoinedStr):
        return [
            word
            for part in node.values
            if isinstance(part, ast.Constant)
            for word in _WORD.findall(part.value)
        ]
    return []


def _choice_labels(node: ast.expr) -> list[ast.expr]:
    """The labels of a list of ``(value, label)`` choices written in place."""
    if not isinstance(node, ast.List | ast.Tuple):
        return []
    return [
        element.elts[1] for element in node.elts if isinstance(element, ast.Tuple) and len(element.elts) == 2
    ]


def unmarked_python(source: str) -> list[str]:
    """Text a person reads that a Python source gives as a plain literal instead of through gettext."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        shown: list[ast.expr] = []
        if isinstance(node, ast.Call):
            function = node.func
            name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
            if name in _SHOWN_BY_CALLS:
                shown += node.args[:1]
            if isinstance(function, ast.Attribute):
                owner = function.value
                if (
                    name == "write"
                    and isinstance(owner, ast.Attribute)
                    and owner.attr in ("stdout", "stderr")
                ):
                    shown += node.args[:1]
                if name in _MESSAGE_LEVELS and isinstance(owner, ast.Name) and owner.id == "messages":
                    shown += node.args[1:2]
            shown += [keyword.value for keyword in node.keywords if keyword.arg in _SHOWN_KEYWORDS]
            for keyword in node.keywords:
                if keyword.arg == "choices":
                    shown += _choice_labels(keyword.value)
                if keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                    shown += [value for value in keyword.value.values if value is not None]
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == "help":
                    shown.append(node.value)
                if isinstance(target, ast.Name) and target.id.endswith("CHOICES"):
                    shown += _choice_labels(node.value)
                if isinstance(target, ast.Attribute) and target.attr in _SHOWN_KEYWORDS:
                    shown.append(node.value)
        elif isinstance(node, ast.Dict):
            # An API answer's {"detail": ...}.
            shown += [
                value
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant) and key.value == "detail"
            ]
        found += [
            f"line {value.lineno}: {ast.unparse(value)[:80]}" for value in shown if _literal_words(value)
        ]
    return found


def test_the_python_check_finds_unmarked_text() -> None:
    source = """
raise CommandError(f"No user named {name}.")
raise CommandError(gettext("No user named %(name)s.") % {"name": name})
messages.success(request, "Saved.")
self.stdout.write("Wrote the file.")
self.stdout.write(f"{count}")
field = forms.CharField(label="Name", help_text=gettext_lazy("Given name"))
parser.add_argument("--user", help="who imports")
encoding = TextEncoding(label="UTF-8")
class Command(TranslatedCommand):
    help = "Import a template."
paid = forms.ChoiceField(choices=[("", "Paid or unpaid"), ("yes", gettext_lazy("Paid"))])
self.fields["start_date"].label = "New start date"
return Response({"detail": f"This import is {status}."})
"""
    assert sorted((line.split(":")[0] for line in unmarked_python(source)), key=lambda at: int(at[5:])) == [
        "line 2",
        "line 4",
        "line 5",
        "line 7",
        "line 8",
        "line 11",
        "line 12",
        "line 13",
        "line 14",
    ]


PYTHON_MODULES = sorted(
    path for path in PACKAGE.rglob("*.py") if not {"migrations", "settings", "formats"} & set(path.parts)
)


@pytest.mark.parametrize("module", PYTHON_MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_every_python_module_marks_the_text_it_shows(module: Path) -> None:
    assert unmarked_python(module.read_text(encoding="utf-8")) == []


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


_PLACEHOLDER = re.compile(r"%\([A-Za-z_0-9]+\)[-0-9]*[sdr]|%[sd]|\{[A-Za-z_]*\}")


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
