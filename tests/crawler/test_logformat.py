"""Scrapy's per-page and per-item DEBUG messages: built and logged at DEBUG, neither built nor
recorded below it."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from scrapy import Spider
from scrapy.http import HtmlResponse, Request

from fundwatch.crawler.logformat import LogFormatter, filter_at_root


@pytest.fixture
def levels() -> Iterator[None]:
    root, scrapy_logger = logging.getLogger(), logging.getLogger("scrapy")
    saved = root.level, scrapy_logger.level
    yield
    root.setLevel(saved[0])
    scrapy_logger.setLevel(saved[1])


def test_debug_messages_only_when_debug_is_logged(levels: None) -> None:
    request = Request("https://news.example.org/a.html")
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    spider = Spider(name="example")
    formatter = LogFormatter()

    filter_at_root("INFO")
    assert not logging.getLogger("scrapy.core.engine").isEnabledFor(logging.DEBUG)
    assert formatter.crawled(request, response, spider) is None
    assert formatter.scraped({"title": "t"}, response, spider) is None

    filter_at_root("DEBUG")
    crawled = formatter.crawled(request, response, spider)
    scraped = formatter.scraped({"title": "t"}, response, spider)
    assert crawled is not None and crawled["level"] == logging.DEBUG
    assert scraped is not None and scraped["args"]["item"] == {"title": "t"}
