"""Regrouping re-detected articles into events, in memory (storage/regroup.py): no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fundwatch.storage.event_rules import (
    EventDraft,
    EventSettings,
    Facts,
    merge_facts,
    start_event,
)
from fundwatch.storage.regroup import StoredArticle, regroup

DAY = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def said(
    company: str | None, round_: str | None, amount: float | None, lead: str
) -> dict[str, Any]:
    return {
        "flag": True,
        "company": company,
        "company_key": company.lower() if company else None,
        "round": round_,
        "amount": amount,
        "currency": "USD" if amount else None,
        "amount_usd": amount,
        "lead_investors": [lead],
        "investors": [lead],
    }


def article(
    n: int,
    values: dict[str, Any],
    *,
    event: int | None,
    new: dict[str, Any] | None = None,
    copy_of: int | None = None,
) -> StoredArticle:
    return StoredArticle(
        id=n,
        source=f"outlet{n}.example",
        title=f"brief {n}",
        duplicate_of=copy_of,
        event_id=event,
        published_at=DAY + timedelta(hours=n),
        fetched_at=DAY + timedelta(hours=n),
        values=values,
        new_values=new,
    )


def stored(event_id: int, *values: dict[str, Any]) -> EventDraft:
    draft = start_event(Facts.from_values(values[0]), DAY)
    for more in values[1:]:
        merge_facts(draft, Facts.from_values(more))
    draft.id = event_id
    return draft


YARVID = said("Yarvid", "pre-A", 22e6, "Stonebridge Capital")
FENVID_OLD = said(None, None, None, "Redpine Capital")  # what an older detector saw
FENVID = said("Fenvid", "A", 36e6, "Redpine Capital")


def test_a_copy_whose_facts_now_differ_splits_off() -> None:
    touched = {10: stored(10, YARVID, FENVID_OLD | {"company_key": "yarvid"})}
    articles = [
        article(1, YARVID, event=10),
        article(2, FENVID_OLD, event=10, new=FENVID, copy_of=1),
    ]
    result = regroup(articles, touched, [], EventSettings())
    kinds = [(c.kind, c.event_id, c.articles, c.from_events) for c in result.changes]
    assert sorted(kinds, key=str) == [("split", 10, (1,), (10,)), ("split", None, (2,), (10,))]
    kept = next(g for g in result.groups if g.id == 10)
    assert kept.draft.lead_investors == ["Stonebridge Capital"]
    [change] = [c for c in result.changes if c.event_id == 10]
    assert change.facts["lead_investors"] == (
        ["Stonebridge Capital", "Redpine Capital"],
        ["Stonebridge Capital"],
    )
    assert result.withdrawn == []


def test_two_spellings_that_became_one_company_merge_into_the_larger_event() -> None:
    en = said("Yingtu", "A", 11e6, "HongShan")
    zh = said("影途", "A", 11e6, "红杉中国")
    touched = {20: stored(20, en), 21: stored(21, zh)}
    articles = [
        article(4, en, event=20),
        article(5, zh, event=21, new=zh | {"company_key": "yingtu"}),
        article(6, en, event=20),
    ]
    result = regroup(articles, touched, [], EventSettings())
    [change] = result.changes
    assert (change.kind, change.event_id, change.from_events, change.articles) == (
        "merged",
        20,
        (21,),
        (4, 5, 6),
    )
    assert result.withdrawn == [21]


def test_a_lost_flag_withdraws_and_a_gained_one_joins_a_stored_event() -> None:
    lumaro = said("Lumaro", "seed", 15e6, "Northgate Ventures")
    touched = {30: stored(30, lumaro)}
    holvia_event = stored(31, said("Holvia", "A", 12e6, "Cedar Partners"))
    holvia_event.article_count = 1
    articles = [
        article(7, lumaro, event=30, new=lumaro | {"flag": False}),
        article(8, {"flag": False}, event=None, new=said("Holvia", "A", 12e6, "Cedar Partners")),
    ]
    result = regroup(articles, touched, [holvia_event], EventSettings())
    assert sorted((c.kind, c.event_id) for c in result.changes) == [
        ("joined", 31),
        ("withdrawn", 30),
    ]
    assert result.withdrawn == [30]
    assert holvia_event.article_count == 2
    assert articles[0].changes() == {"flag": (True, False)}


def test_nothing_changed_reports_nothing() -> None:
    touched = {40: stored(40, YARVID)}
    result = regroup([article(1, YARVID, event=40, new=dict(YARVID))], touched, [], EventSettings())
    assert result.changes == [] and [g.id for g in result.groups] == [40]


def test_a_regrouped_report_joins_the_event_of_its_name_in_the_other_script() -> None:
    chinese = stored(50, said("影途", "A", 11e6, "红杉中国"))
    chinese.article_count = 1
    english = said("Yingtu", "A", 11e6, "HongShan")  # yingtu: 影途 in pinyin, same round
    elsewhere = said("Yingtu", "A", 3e6, "Cedar Partners")  # the pinyin, but amounts apart
    articles = [
        article(9, {"flag": False}, event=None, new=english),
        article(10, {"flag": False}, event=None, new=elsewhere),
    ]
    result = regroup(articles, {}, [chinese], EventSettings())
    assert sorted((c.kind, c.event_id, c.articles) for c in result.changes) == [
        ("created", None, (10,)),
        ("joined", 50, (9,)),
    ]
    assert chinese.article_count == 2


def test_a_regrouped_traditional_report_joins_the_event_of_its_simplified_name() -> None:
    simplified = stored(51, said("云帧", "A", 11e6, "红杉中国"))
    simplified.article_count = 1
    traditional = said("雲幀", "A", 11e6, "紅杉中國")  # the same name in Traditional
    homophone = said("云祯", "A", 11e6, "红杉中国")  # also "yunzhen", another company
    articles = [
        article(11, {"flag": False}, event=None, new=traditional),
        article(12, {"flag": False}, event=None, new=homophone),
    ]
    result = regroup(articles, {}, [simplified], EventSettings())
    assert sorted((c.kind, c.event_id, c.articles) for c in result.changes) == [
        ("created", None, (12,)),
        ("joined", 51, (11,)),
    ]
    assert simplified.article_count == 2
