"""The export tests use the workforce of the page tests (every persona sees a different part of it)."""

from tests.web.conftest import workforce

__all__ = ["workforce"]
