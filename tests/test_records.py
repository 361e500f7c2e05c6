"""The value types that cross rooms (fundwatch.records) are the one place their fields are named:
the article columns, the facts events are built from and the event columns follow from them, and
the articles that travel to the writer process survive pickling as they are."""

from __future__ import annotations

import ast
import pickle
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fundwatch.crawler.items import ArticleItem
from fundwatch.records import ARTICLE_FIELDS, DETECTION_FIELDS, Article, Detection
from fundwatch.storage.articles import (
    ARTICLE_COLUMNS,
    DETECTION_COLUMNS,
    SHORT_LIMIT,
    article_values,
)
from fundwatch.storage.event_rules import (
    EVENT_COLUMNS,
    KEY_LISTS,
    STORED_FACTS,
    EventDraft,
    Facts,
    event_values,
)
from fundwatch.storage.models import Article as ArticleRow
from fundwatch.storage.models import FundingEvent

REPO = Path(__file__).resolve().parents[1]
DETECTED = Detection(
    flag=True,
    is_funding=True,
    is_ai_video=True,
    score=0.81,
    company="影途科技",
    company_key="yingtu",
    amount=50_000_000,
    currency="CNY",
    amount_usd=6_900_000.0,
    amount_low=50_000_000,
    amount_high=50_000_000,
    round="A",
    investors=["红杉中国", "远澜资本"],
    lead_investors=["红杉中国"],
    investor_keys=["hongshan", "远澜资本"],
    lead_investor_keys=["hongshan"],
    matched=["cue:融资", "company:影途科技"],
)
ARTICLE = Article(
    url="https://News.Example.com/a/1.html?utm_source=feed",
    source="example",
    title="影途科技完成5000万元A轮融资",
    body="AI视频公司影途科技完成5000万元A轮融资,红杉中国领投。",
    author="记者\x00甲",
    language="zh-Hans",
    published_at=datetime(2026, 7, 1, 8, tzinfo=UTC),
    fetched_at=datetime(2026, 7, 1, 9, tzinfo=UTC),
    detection=DETECTED,
)


def test_every_article_field_is_a_column_of_the_articles_table() -> None:
    columns = set(ArticleRow.__table__.c.keys())
    assert set(ARTICLE_FIELDS) - {"detection"} <= columns
    assert set(ARTICLE_COLUMNS) == set(ARTICLE_FIELDS) - {"url", "detection"}


def test_every_detection_field_is_stored_but_the_investor_keys() -> None:
    """The keys have no article column: they reach the event (its investor_keys map)."""
    assert set(DETECTION_FIELDS) - set(DETECTION_COLUMNS) == set(KEY_LISTS)
    assert list(DETECTION_COLUMNS) == [f for f in DETECTION_FIELDS if f not in KEY_LISTS]


def test_facts_are_fields_of_the_detection_and_events_hold_them() -> None:
    facts = [f.name for f in fields(Facts)]
    assert set(facts) <= set(DETECTION_FIELDS)
    assert set(STORED_FACTS) <= set(DETECTION_COLUMNS)
    assert set(EVENT_COLUMNS) <= set(FundingEvent.__table__.c.keys())
    # an event holds each fact; the key lists become its one investor_keys map
    assert set(facts) - set(KEY_LISTS) <= {f.name for f in fields(EventDraft)}


def test_article_values_store_each_field_once_cleaned() -> None:
    values = article_values(ARTICLE)
    assert values["url"] == "https://news.example.com/a/1.html"
    assert values["author"] == "记者甲"  # NUL out (PostgreSQL rejects it)
    for name in DETECTION_COLUMNS:
        assert values[name] == getattr(DETECTED, name), name
    assert set(values) <= set(ArticleRow.__table__.c.keys())


def test_an_article_without_detection_is_stored_as_saying_nothing() -> None:
    values = article_values(replace(ARTICLE, detection=None))
    assert values["flag"] is False and values["company"] is None and values["investors"] == []


def test_long_detection_strings_are_cut() -> None:
    long_name = "名" * (SHORT_LIMIT + 50)
    detection = replace(DETECTED, company=long_name, investors=[long_name])
    values = article_values(replace(ARTICLE, detection=detection))
    assert len(values["company"]) == SHORT_LIMIT
    assert [len(name) for name in values["investors"]] == [SHORT_LIMIT]


def test_facts_come_from_the_stored_values_and_the_detection_keys() -> None:
    facts = Facts.from_values(article_values(ARTICLE), ARTICLE.detection)
    for name in STORED_FACTS:
        assert getattr(facts, name) == getattr(DETECTED, name), name
    assert facts.investor_keys == DETECTED.investor_keys
    assert facts.lead_investor_keys == DETECTED.lead_investor_keys
    stored_only = Facts.from_values(article_values(ARTICLE))
    assert stored_only.investor_keys is None  # names without keys merge by spelling


def test_event_values_cover_every_event_column() -> None:
    draft = EventDraft(
        company_key="yingtu",
        company="影途科技",
        first_seen_at=ARTICLE.fetched_at,
        last_seen_at=ARTICLE.fetched_at,
    )
    assert set(event_values(draft)) == set(EVENT_COLUMNS)
    assert {"revision", "id"}.isdisjoint(EVENT_COLUMNS)


def test_detection_to_dict_is_every_field_with_fresh_lists() -> None:
    data = DETECTED.to_dict()
    assert list(data) == list(DETECTION_FIELDS)
    data["investors"].append("someone")
    assert DETECTED.investors == ["红杉中国", "远澜资本"]


@pytest.mark.parametrize("value", [ARTICLE, DETECTED, Detection()], ids=repr)
def test_values_cross_a_process_boundary_unchanged(value: object) -> None:
    assert pickle.loads(pickle.dumps(value)) == value


def test_an_item_becomes_the_article_storage_takes() -> None:
    item = ArticleItem(
        url=ARTICLE.url,
        source=ARTICLE.source,
        title=ARTICLE.title,
        body=ARTICLE.body,
        author=ARTICLE.author,
        language=ARTICLE.language,
        published="2026-07-01 16:00",
        published_at=ARTICLE.published_at,
        fetched_at=ARTICLE.fetched_at,
        strip=["广告"],
        frontier_key="k1",
    )
    assert item.article() == replace(ARTICLE, detection=None)


SEAM_NAMES = {"article", "articles", "detection", "detections", "record", "records"}


def test_no_seam_passes_articles_or_detections_untyped() -> None:
    """A parameter or class field that carries an article or a detection names its type: no
    `Any`, no dict (the shapes that used to cross rooms)."""
    wrong = []
    for folder in ("fundwatch", "crawler", "scheduler", "storage"):
        for path in sorted((REPO / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                annotated: list[tuple[str, ast.expr | None, int]] = []
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                    annotated += [(a.arg, a.annotation, node.lineno) for a in arguments]
                elif isinstance(node, ast.ClassDef):  # fields of dataclasses and the like
                    annotated += [
                        (field.target.id, field.annotation, field.lineno)
                        for field in node.body
                        if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
                    ]
                for name, annotation, line in annotated:
                    if name not in SEAM_NAMES or annotation is None:
                        continue
                    text = ast.unparse(annotation)
                    if "Any" in text or "dict" in text:
                        wrong.append(f"{path.relative_to(REPO)}:{line}: {name}: {text}")
    assert not wrong, "\n".join(wrong)
