"""Phone numbers as RapidPro and the registry write them, made comparable.

**The normalised form** of a phone number is its digits in international form, without the ``+``:
``tel:+255712345678``, ``+255 712 345 678``, ``00255 712-345-678`` and ``0712 345 678`` (a national number
of a country whose calling code is ``SSWIS_PHONE_COUNTRY_CODE``, 255 by default) are all ``255712345678``.

1. A URN's scheme (``tel:``, ``whatsapp:``) is dropped, then every character but the digits (spaces,
   hyphens, dots, slashes, brackets).
2. A number written with a leading ``+`` is international already; one starting with ``00`` (the
   international call prefix) loses it; one starting with a single ``0`` (the national trunk prefix) gets
   the country code in its place; any other is taken as international already (RapidPro's own form,
   without the ``+``).
3. The result has 8 to 15 digits (E.164 allows 15) or the number is not a phone number (``None``).

A worker's phone matches a contact's URN when both normalise to the same digits. The registry keeps phones
as typed, so :func:`workers_with_phone` narrows the workers in the database to those whose phone, without
its separators, ends with the number's last seven digits, then compares the normalised forms.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Func, QuerySet, Value

from sswis.registry.models import Worker

SEPARATORS = (" ", "-", ".", "/", "(", ")")
URN_SCHEMES = ("tel", "whatsapp")
_NON_DIGITS = re.compile(r"\D")
_MINIMUM, _MAXIMUM = 8, 15
_SUFFIX = 7  # digits compared in the database before the full comparison


def country_code() -> str:
    code = str(settings.SSWIS_PHONE_COUNTRY_CODE).strip().lstrip("+")
    if not re.fullmatch(r"[1-9]\d{0,2}", code):
        raise ImproperlyConfigured(
            f"SSWIS_PHONE_COUNTRY_CODE is {code!r}: give the country calling code, 1 to 3 digits (e.g. 255)."
        )
    return code


def phone_normalised(text: str) -> str | None:
    """The normalised form of a phone number or a ``tel:``/``whatsapp:`` URN (see the module), or ``None``
    when it is not a phone number."""
    text = text.strip()
    scheme, colon, rest = text.partition(":")
    if colon and scheme.lower() in URN_SCHEMES:
        text = rest.strip()
    international = text.startswith("+")
    digits = _NON_DIGITS.sub("", text)
    if not international:
        if digits.startswith("00"):
            digits = digits[2:]
        elif digits.startswith("0"):
            digits = country_code() + digits[1:]
    if not _MINIMUM <= len(digits) <= _MAXIMUM:
        return None
    return digits


def phone_urn(phone: str) -> str | None:
    """The RapidPro URN of a phone number (``tel:+255712345678``), or ``None`` when it is not one."""
    digits = phone_normalised(phone)
    return f"tel:+{digits}" if digits else None


def _without_separators(expression: F | Func) -> Func:
    for separator in SEPARATORS:
        expression = Func(expression, Value(separator), Value(""), function="REPLACE")
    return expression  # type: ignore[return-value]


def workers_with_phone(digits: str, queryset: QuerySet[Worker] | None = None) -> list[Worker]:
    """The workers whose phone normalises to ``digits`` (a normalised number), in worker ID order.

    The database keeps the workers whose phone without separators ends with the last seven digits (one
    scan of the worker table: the phones are stored as typed); their phones are then normalised here."""
    base = Worker.objects.all() if queryset is None else queryset
    candidates = (
        base.exclude(phone="")
        .annotate(phone_digits=_without_separators(F("phone")))
        .filter(phone_digits__endswith=digits[-_SUFFIX:])
        .order_by("worker_id")
    )
    return [worker for worker in candidates if phone_normalised(worker.phone) == digits]
