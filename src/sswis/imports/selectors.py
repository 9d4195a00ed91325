"""Reads for the mapping template (the import itself reads through ``loading``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps

from sswis.imports.schema import TemplateFile

CODES_CHUNK = 2000


def template_reference_codes(*, spec: TemplateFile) -> Iterator[str]:
    """Every code the registry holds for the reference-data file ``spec``, sorted, streamed in chunks.

    The codes of locations, organisations and cadres are reference data, not personal data, so the blank
    template offers all of them, whoever asks for it: the lists do not depend on the requesting user's
    scope (today only national data managers may import, and they see every code anyway). Raises
    ``ValueError`` for a file that is not reference data (workers, posts, ...): its codes are never listed.
    """
    if not spec.reference_data:
        raise ValueError(f"{spec.filename} is not reference data: its codes are not listed.")
    model = apps.get_model(spec.model)
    key = spec.column(spec.key[0]).target
    codes: Iterator[str] = (
        model._default_manager.order_by(key).values_list(key, flat=True).iterator(chunk_size=CODES_CHUNK)
    )
    return codes
