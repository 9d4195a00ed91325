"""Every route of the URL configuration, found by walking ``get_resolver().url_patterns``, and the URL of
each route about a given object.

A route is identified by its URL name with its namespace (``web:worker_detail``, ``api:worker-list``,
``admin:geo_location_change``); an unnamed route by its namespace and pattern
(``admin/geo/location/<path:object_id>/``). DRF's format-suffix variants (``/api/v1/workers.json``)
share the name of their route and are tested as a separate variant of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern


@dataclass(frozen=True)
class Route:
    """One URL pattern: its identifier (see the module docstring), its full pattern and its parameters."""

    id: str
    pattern: str
    parameters: tuple[str, ...]
    view: object

    @property
    def with_format(self) -> bool:
        """Whether this is a format-suffix variant (``.json``) of an API route."""
        return "format" in self.parameters

    def variant(self, suffix: str = "json") -> str:
        """The route's name as a test id: ``api:worker-list`` or ``api:worker-list.json``."""
        return f"{self.id}.{suffix}" if self.with_format else self.id


_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()]|\([^()]*\))*\)")
_POSITIONAL_GROUP = re.compile(r"\((?!\?)(?:[^()]|\([^()]*\))*\)")


def _pattern_text(pattern: RoutePattern | RegexPattern | object) -> str:
    return str(pattern)


def _parameters(text: str) -> tuple[str, ...]:
    names = [match["name"] for match in _NAMED_GROUP.finditer(text)]
    rest = _NAMED_GROUP.sub("", text)
    names += [f"#{index}" for index, _ in enumerate(_POSITIONAL_GROUP.finditer(rest))]
    names += [match["name"] for match in _CONVERTER.finditer(_POSITIONAL_GROUP.sub("", rest))]
    return tuple(names)


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str, namespace: str | None
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            child = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(entry.url_patterns, prefix + _pattern_text(entry.pattern), child)
        else:
            yield prefix + _pattern_text(entry.pattern), namespace or "", entry


def all_routes() -> list[Route]:
    """Every route of the URL configuration, in the order Django tries them."""
    routes = []
    for text, namespace, entry in _walk(get_resolver().url_patterns, "", None):
        name = f"{namespace}:{entry.name}" if entry.name else text
        routes.append(Route(id=name, pattern=text, parameters=_parameters(text), view=entry.callback))
    return routes


def url_of(route: Route, values: Mapping[str, str]) -> str:
    """The URL of ``route`` with its parameters replaced by ``values`` (``#0``, ``#1``: positional groups).

    Regex patterns lose their anchors and optional trailing slashes; ``format`` becomes ``json``.
    """
    text = route.pattern

    def value(name: str) -> str:
        try:
            return values[name]
        except KeyError:
            raise KeyError(
                f"No value for the parameter {name!r} of route {route.id} ({route.pattern})."
            ) from None

    text = _NAMED_GROUP.sub(lambda match: value(match["name"]), text)
    counter = iter(range(100))
    text = _POSITIONAL_GROUP.sub(lambda match: value(f"#{next(counter)}"), text)
    text = _CONVERTER.sub(
        lambda match: ("." if match["converter"] == "drf_format_suffix" else "") + value(match["name"]), text
    )
    text = text.replace("^", "").replace("$", "").replace("/?", "").replace("\\.", ".")
    return "/" + text
