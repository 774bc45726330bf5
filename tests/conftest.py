"""Shared pytest fixtures: the local HTTP test server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.httpserver import LocalSite, serve


@pytest.fixture
def local_site() -> Iterator[LocalSite]:
    """A fresh HTTP/1.1 server on 127.0.0.1 (random port), stopped after the test."""
    server = serve()
    try:
        yield server.site
    finally:
        server.stop()
