"""The export as DHIS2 reads it: a ``dataValueSets`` JSON document or an ADX XML message.

Both list the values in the same order (location by location, the mapping's lines in order), so that the
``indexes`` of DHIS2's import conflicts point at the same value whichever was sent (ADX: the values in
document order, a new ``group`` whenever the org unit or the attribute option combo changes).

Every ADX message is checked against ``schemas/adx.xsd`` (a generic ADX schema) with lxml before it is
written or sent: :func:`adx_validate` raises :class:`AdxInvalid` naming the first problems.
"""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from sswis.dhis2.export import Export

ADX_NAMESPACE = "urn:ihe:qrph:adx:2015"
SCHEMA_PATH = Path(__file__).parent / "schemas" / "adx.xsd"


class AdxInvalid(Exception):
    """An ADX message the schema refuses; ``message`` names the problems (line: text)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def export_as_json(export: Export) -> dict[str, Any]:
    """``{"dataSet", "period": "Y", "dataValues": [{"dataElement", "period", "orgUnit",
    "categoryOptionCombo", ["attributeOptionCombo",] "value"}]}`` (an empty combo is left out: DHIS2's
    default)."""
    values = []
    for value in export.values:
        item = {"dataElement": value.data_element, "period": export.period, "orgUnit": value.org_unit}
        if value.category_option_combo:
            item["categoryOptionCombo"] = value.category_option_combo
        if value.attribute_option_combo:
            item["attributeOptionCombo"] = value.attribute_option_combo
        item["value"] = value.value
        values.append(item)
    return {"dataSet": export.data_set, "period": export.period, "dataValues": values}


def export_json_bytes(export: Export) -> bytes:
    return json.dumps(export_as_json(export), ensure_ascii=False, indent=1).encode()


def export_as_adx(export: Export, *, exported: datetime.datetime | None = None) -> bytes:
    """The ADX message (UTF-8 bytes), checked against the schema (:class:`AdxInvalid` otherwise).

    ``<adx xmlns="urn:ihe:qrph:adx:2015" exported="...">``, one ``group`` per run of values of one org unit
    and attribute option combo (``orgUnit``, ``period="Y-01-01/P1Y"``, ``dataSet``, ``attributeOptionCombo``
    when there is one), each ``dataValue`` with ``dataElement``, ``value`` and the disaggregation: the
    mapping's ADX category attributes, else ``categoryOptionCombo`` (DHIS2's name for the combo)."""
    moment = (exported or timezone.now()).astimezone(datetime.UTC).replace(microsecond=0)
    root = etree.Element(f"{{{ADX_NAMESPACE}}}adx", nsmap={None: ADX_NAMESPACE})
    root.set("exported", moment.isoformat().replace("+00:00", "Z"))
    period = f"{export.year:04d}-01-01/P1Y"
    group = None
    current: tuple[str, str] | None = None
    data_value_tag = f"{{{ADX_NAMESPACE}}}dataValue"
    for value in export.values:
        key = (value.org_unit, value.attribute_option_combo)
        if key != current:
            group = etree.SubElement(root, f"{{{ADX_NAMESPACE}}}group")
            group.set("orgUnit", value.org_unit)
            group.set("period", period)
            group.set("dataSet", export.data_set)
            if value.attribute_option_combo:
                group.set("attributeOptionCombo", value.attribute_option_combo)
            current = key
        element = etree.SubElement(group, data_value_tag)
        element.set("dataElement", value.data_element)
        if value.adx_categories:
            for category, option in value.adx_categories:
                element.set(category, option)
        elif value.category_option_combo:
            element.set("categoryOptionCombo", value.category_option_combo)
        element.set("value", value.value)
    message = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    adx_validate(message)
    return message


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def adx_validate(message: bytes) -> None:
    """Refuse (:class:`AdxInvalid`) a message that is not XML or that the ADX schema refuses."""
    try:
        document = etree.fromstring(message, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise AdxInvalid(_("The ADX message is not XML: %(error)s") % {"error": error}) from error
    schema = _schema()
    if not schema.validate(document):
        problems = "; ".join(f"line {e.line}: {e.message}" for e in list(schema.error_log)[:5])
        raise AdxInvalid(
            _("The ADX message does not follow the ADX schema: %(problems)s") % {"problems": problems}
        )
