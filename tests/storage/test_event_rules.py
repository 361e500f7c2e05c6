"""The event rules on their own: no database (storage/event_rules.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fundwatch.storage.event_rules import (
    EventDraft,
    EventSettings,
    Facts,
    amounts_agree,
    articles_disagree,
    choose_event,
    disagreement,
    merge_facts,
    merge_investors,
    note_article,
    start_event,
)

DAY = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
RULES = EventSettings()


def facts(**values: Any) -> Facts:
    base: dict[str, Any] = {
        "company": "Yarvid",
        "company_key": "yarvid",
        "round": "pre-A",
        "amount": 22_000_000.0,
        "currency": "USD",
        "amount_usd": 22_000_000.0,
        "lead_investors": ["Stonebridge Capital"],
        "investors": [],
    }
    return Facts.from_values(base | values)


def event(**values: Any) -> EventDraft:
    draft = start_event(facts(**values), DAY)
    note_article(draft, "wire.example", DAY, DAY)
    return draft


def test_another_company_round_or_amount_is_another_event() -> None:
    yarvid = event()
    assert disagreement(yarvid, facts(), RULES) is None
    assert (
        disagreement(yarvid, facts(company_key="fenvid"), RULES) == "company fenvid is not yarvid"
    )
    assert disagreement(yarvid, facts(round="A"), RULES) == "round A is not pre-A"
    no_round = facts(round=None, amount=36e6, amount_usd=36e6)
    assert disagreement(yarvid, no_round, RULES) == "amount 36,000,000 USD is not 22,000,000 USD"
    strategic = event(round="strategic")  # a company can take two strategic investments
    reason = disagreement(strategic, facts(round="strategic", amount=36e6, amount_usd=36e6), RULES)
    assert reason == "amount 36,000,000 USD is not 22,000,000 USD"


def test_a_round_raised_once_is_one_event_whatever_amounts_its_reports_give() -> None:
    # "Runway raised about $100 million in Series D" beside "$308 million Series D": one round
    # misreported (or a first close and the final one), not a second Series D in six weeks
    series_d = event(round="D", amount=308e6, amount_usd=308e6)
    about = facts(round="D", amount=1e8, amount_usd=1e8, amount_approximate=True)
    assert disagreement(series_d, about, RULES) is None
    assert articles_disagree(facts(round="D", amount=308e6, amount_usd=308e6), about, RULES) is None
    for name in ("A", "pre-A", "A1", "B+", "seed", "angel", "pre-seed"):
        first = event(round=name, amount=3e8, currency="TWD", amount_usd=9.2e6)
        second = facts(round=name, amount=1.2e8, currency="TWD", amount_usd=3.7e6)
        assert disagreement(first, second, RULES) is None, name
    assert disagreement(series_d, facts(round="E", amount=308e6, amount_usd=308e6), RULES) == (
        "round E is not D"
    )
    # an amount that agrees still picks among two events of the round (nearest time aside)
    close = event(round="D", amount=1e8, amount_usd=1e8)
    close.announced_at = DAY + timedelta(days=20)
    far = facts(round="D", amount=300e6, amount_usd=300e6)
    assert choose_event([series_d, close], far, DAY + timedelta(days=20), RULES) is series_d
    assert choose_event([series_d, close], about, DAY, RULES) is close


def test_what_one_side_does_not_know_contradicts_nothing() -> None:
    yarvid = event()
    assert (
        disagreement(yarvid, facts(round="undisclosed", amount=None, amount_usd=None), RULES)
        is None
    )
    assert articles_disagree(facts(company_key=None, round=None), facts(), RULES) is None


def test_amounts_within_the_tolerance_agree_across_currencies() -> None:
    yuan = facts(amount=160_000_000.0, currency="CNY", amount_usd=22_400_000.0)
    assert amounts_agree(facts(), yuan, 0.15) is True
    assert amounts_agree(facts(), facts(amount=26e6, amount_usd=26e6), 0.15) is False
    unconverted = facts(amount=160_000_000.0, currency="CNY", amount_usd=None)
    assert amounts_agree(facts(), unconverted, 0.15) is None  # no common unit: no verdict


def test_a_vague_amount_agrees_with_any_figure_in_its_range() -> None:
    vague = facts(  # 数千万元: tens of millions of yuan
        amount=None,
        currency="CNY",
        amount_usd=None,
        amount_approximate=True,
        amount_low=10_000_000.0,
        amount_high=100_000_000.0,
    )
    assert amounts_agree(vague, facts(amount=50_000_000.0, currency="CNY", amount_usd=None), 0.15)
    too_big = facts(amount=300_000_000.0, currency="CNY", amount_usd=None)
    assert amounts_agree(vague, too_big, 0.15) is False


def test_an_open_range_agrees_with_anything_above_its_bound() -> None:
    over = facts(  # 超4亿元
        amount=4e8, currency="CNY", amount_usd=None, amount_approximate=True, amount_low=4e8
    )
    assert amounts_agree(over, facts(amount=9e8, currency="CNY", amount_usd=None), 0.15)
    assert amounts_agree(over, facts(amount=2e8, currency="CNY", amount_usd=None), 0.15) is False
    draft = event(round="B", amount=2e8, currency="CNY", amount_usd=None)
    reason = disagreement(
        draft,
        facts(
            round=None,  # the same round B would be one round whatever the amounts
            **{
                k: getattr(over, k)
                for k in ("amount", "currency", "amount_usd", "amount_approximate", "amount_low")
            },
        ),
        RULES,
    )
    assert reason == "amount over 400,000,000 CNY is not 200,000,000 CNY"


def test_a_precise_amount_replaces_a_range_and_is_a_material_change() -> None:
    draft = event(
        amount=None,
        currency="CNY",
        amount_usd=None,
        amount_approximate=True,
        amount_low=1e7,
        amount_high=1e8,
    )
    assert (draft.amount_low, draft.amount_high, draft.amount_approximate) == (1e7, 1e8, True)
    precise = facts(amount=5e7, currency="CNY", amount_usd=6.9e6)
    assert merge_facts(draft, precise) is True
    assert (draft.amount, draft.amount_low, draft.amount_high) == (5e7, None, None)
    assert draft.amount_approximate is False


def test_the_best_agreeing_event_in_the_window_is_chosen() -> None:
    pre_a, series_a = event(), event(round="A", amount=36e6, amount_usd=36e6)
    old = event()
    old.announced_at = DAY - timedelta(days=200)
    candidates = [old, series_a, pre_a]
    assert choose_event(candidates, facts(), DAY + timedelta(days=3), RULES) is pre_a
    no_round = facts(round=None, amount=36e6, amount_usd=36e6)
    assert choose_event(candidates, no_round, DAY, RULES) is series_a
    assert (
        choose_event(candidates, facts(round="B", amount=None, amount_usd=None), DAY, RULES) is None
    )
    assert choose_event(candidates, facts(company_key="fenvid"), DAY, RULES) is None
    assert choose_event([pre_a], facts(), DAY + timedelta(days=60), RULES) is None


def test_investors_merge_by_key_and_leads_are_a_material_change() -> None:
    draft = event(lead_investors=[], investors=[])
    keyed = Facts(
        company="幻帧智能",
        company_key="yarvid",
        round=None,
        investors=["遠瀾資本"],
        lead_investors=["远澜资本"],
        investor_keys=["yuanlan"],
        lead_investor_keys=["yuanlan"],
    )
    assert merge_investors(draft, keyed) is True
    assert draft.lead_investors == ["远澜资本"] and draft.investors == ["远澜资本"]
    assert draft.investor_keys["yuanlan"] == "远澜资本"
    again = Facts(
        company=None,
        company_key="yarvid",
        round=None,
        lead_investors=["遠瀾資本"],
        lead_investor_keys=["yuanlan"],
        investor_keys=[],
    )
    assert merge_investors(draft, again) is False
    assert draft.lead_investors == ["远澜资本"]


def test_names_without_keys_merge_by_folded_spelling() -> None:
    draft = event(lead_investors=["Stonebridge Capital"])
    changed = merge_investors(
        draft, facts(lead_investors=["stonebridge  capital"], investors=["Redwood Partners"])
    )
    assert changed is False
    assert draft.investors == ["Stonebridge Capital", "Redwood Partners"]


def test_sources_and_the_first_publication_date_accumulate() -> None:
    draft = event()
    note_article(draft, "other.example", DAY - timedelta(hours=5), DAY + timedelta(days=1))
    note_article(draft, "wire.example", None, DAY + timedelta(days=2))
    assert draft.sources == ["wire.example", "other.example"]
    assert draft.article_count == 3
    assert draft.announced_at == DAY - timedelta(hours=5)
    assert draft.last_seen_at == DAY + timedelta(days=2)


def test_names_one_round_is_reported_under_join_when_the_amounts_agree() -> None:
    # "more than 100 million yuan in a series A round" beside the company's "億級A1輪融資";
    # "$3 million seed round" beside "pre-seed" of the same $3 million
    a1 = event(round="A1", amount=1e8, currency="CNY", amount_usd=1.376e7)
    series_a = facts(round="A", amount=1e8, currency="CNY", amount_usd=1.376e7)
    assert disagreement(a1, series_a, RULES) is None
    assert (
        articles_disagree(
            facts(round="A1", amount=1e8, currency="CNY", amount_usd=1.376e7), series_a, RULES
        )
        is None
    )
    assert (
        disagreement(
            event(round="pre-seed", amount=3e6, amount_usd=3e6),
            facts(round="seed", amount=3e6, amount_usd=3e6),
            RULES,
        )
        is None
    )
    assert disagreement(event(round="angel"), facts(round="seed"), RULES) is None
    assert disagreement(event(round="pre-A1"), facts(round="pre-A"), RULES) is None
    # amounts apart, or unknown on a side: two rounds
    assert (
        disagreement(a1, facts(round="A", amount=5e8, currency="CNY", amount_usd=6.9e7), RULES)
        == "round A is not A1"
    )
    assert (
        disagreement(event(round="A1", amount=None, amount_usd=None), facts(round="A"), RULES)
        == "round A is not A1"
    )
    # other names stay apart whatever the amounts
    for first, second in (("A", "A+"), ("A1", "A2"), ("A", "B1"), ("pre-A", "A"), ("seed", "A")):
        assert disagreement(event(round=first), facts(round=second), RULES) == (
            f"round {second} is not {first}"
        ), (first, second)
    # the same name still beats a loose one
    same = event(round="A", amount=1e8, currency="CNY", amount_usd=1.376e7)
    assert choose_event([same, a1], series_a, DAY, RULES) is same
    assert choose_event([a1, same], series_a, DAY, RULES) is same


def test_a_numbered_round_names_the_event_more_precisely() -> None:
    series_a = event(round="A", amount=1e8, currency="CNY", amount_usd=1.376e7)
    a1 = facts(round="A1", amount=1e8, currency="CNY", amount_usd=1.376e7)
    assert merge_facts(series_a, a1) is True  # the round changed: a material change
    assert series_a.round == "A1"
    a2 = facts(round="A2", amount=1e8, currency="CNY", amount_usd=1.376e7)
    assert disagreement(series_a, a2, RULES) == "round A2 is not A1"
    assert merge_facts(series_a, facts(round="A", amount=1e8, currency="CNY")) is False
    assert series_a.round == "A1"


def test_among_agreeing_events_the_closest_amount_wins_before_the_nearest_time() -> None:
    # "$200 million" (no round) beside a $180M Series D and a $200M Series E, both within 15 %
    series_d = event(round="D", amount=180e6, amount_usd=180e6)
    series_e = event(round="E", amount=200e6, amount_usd=200e6)
    series_d.announced_at = DAY + timedelta(days=2)  # the nearer in time
    report = facts(round=None, amount=200e6, amount_usd=200e6)
    assert choose_event([series_d, series_e], report, DAY + timedelta(days=2), RULES) is series_e
    assert choose_event([series_e, series_d], report, DAY + timedelta(days=2), RULES) is series_e
    # an amount that cannot be compared ranks as far as the tolerance: the exact one wins
    unknown = event(round="E", amount=None, amount_usd=None)
    unknown.announced_at = DAY + timedelta(days=2)
    told_e = facts(round="E", amount=200e6, amount_usd=200e6)
    assert choose_event([unknown, series_e], told_e, DAY + timedelta(days=2), RULES) is series_e
    # equally close amounts: the nearest in time
    later = event(round="E", amount=200e6, amount_usd=200e6)
    later.announced_at = DAY + timedelta(days=2)
    assert choose_event([series_e, later], report, DAY + timedelta(days=2), RULES) is later
