"""Fixtures of the monitoring tests: the known world of ``world.py`` and a parser for the
dashboard's tables."""

from html.parser import HTMLParser

import pytest

from .world import build_world


@pytest.fixture
def world(db):
    return build_world()


class _Tables(HTMLParser):
    """Rows of every ``<table data-table=…>`` as {column key: cell text}."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[dict]] = {}
        self._table = self._col = None
        self._row: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self._table = attrs["data-table"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = {}
        elif tag == "td" and self._row is not None and "data-col" in attrs:
            self._col = attrs["data-col"]
            self._row[self._col] = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self._col = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._col is not None and self._row is not None:
            self._row[self._col] += data.strip()


def page_tables(html: str) -> dict[str, list[dict]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables
