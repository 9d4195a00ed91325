"""A ``<select>`` written in Python rather than through a template for each option.

Django renders every ``<option>`` of a select through two template includes; the worker list's filters
offer about 230 options (every location and organisation in scope), which took about 100 ms a page on the
2-core server at 1,000,000 workers, more than the page's queries. ``QuickSelect`` writes the same markup
(``django/forms/widgets/select.html`` and ``select_option.html``: the same attributes, escaped the same
way, options grouped the same way) in one pass.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attributes(attributes: dict[str, Any]) -> str:
    """As ``django/forms/widgets/attrs.html``: ``False`` leaves the attribute out, ``True`` writes its name
    alone, any other value is written escaped."""
    parts = []
    for name, value in attributes.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(format_html(' {}="{}"', name, str(value)))
    return "".join(parts)


class QuickSelect(forms.Select):
    """``forms.Select`` with the same markup, written without a template per option."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attributes(widget["attrs"]), ">"]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in group_choices:
                parts.append(format_html('\n  <option value="{}"', str(option["value"])))
                parts.append(_attributes(option["attrs"]))
                parts.append(format_html(">{}</option>\n", option["label"]))
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every part above is escaped by format_html or conditional_escape


def selects_made_quick(form: forms.BaseForm) -> None:
    """Give every plain ``forms.Select`` of ``form`` the markup of :class:`QuickSelect` (same output)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget.__class__ = QuickSelect
