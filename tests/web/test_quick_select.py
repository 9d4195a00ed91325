"""``QuickSelect`` writes exactly the markup of Django's ``forms.Select`` (``sswis.web.quick_select``)."""

from __future__ import annotations

import pytest
from django import forms

from sswis.web.quick_select import QuickSelect

CHOICES = [
    ("", "Anywhere"),
    ("D11", "Alpha & <Beta>"),
    ('Group "quoted"', [("G1", "One"), ("G2", "Two's")]),
    (3, "A number"),
]


@pytest.mark.parametrize("value", [None, "", "D11", "G2", "3", ["D11"]])
@pytest.mark.parametrize("attrs", [None, {"id": "id_location", "aria-describedby": "x y", "required": True}])
def test_the_markup_is_djangos(value: object, attrs: dict[str, object] | None) -> None:
    expected = forms.Select(choices=CHOICES, attrs={"class": "a<b", "disabled": False}).render(
        "place", value, attrs
    )
    quick = QuickSelect(choices=CHOICES, attrs={"class": "a<b", "disabled": False}).render(
        "place", value, attrs
    )

    assert quick == expected
