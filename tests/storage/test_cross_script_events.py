"""One round reported in Chinese and in English, for a company the detector does not know: its
key is 生数 in one report and "shengshu" in the other (storage/pinyin_keys.py joins them with
the event rules of storage/event_rules.py); or in Traditional and Simplified characters, 雲幀
in a Taipei outlet and 云帧 in a Beijing one (invented names). The rules first, with no
database; then the same through `ingest_article` on SQLite and PostgreSQL, where the event of
the other script must be found by the query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fundwatch import records
from fundwatch.storage import FundingEvent, create_db_engine, session_factory
from fundwatch.storage.event_rules import (
    EventDraft,
    EventSettings,
    Facts,
    articles_disagree,
    choose_event,
    disagreement,
    note_article,
    start_event,
)
from fundwatch.storage.ingest import IngestResult, ingest_article, lock_keys
from fundwatch.storage.pinyin_keys import (
    across_scripts,
    han_romanised,
    latin_stems,
    simplified,
    traditional_and_simplified,
)

DAY = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
RULES = EventSettings()
HAN = {"company": "生数科技", "company_key": "生数"}
LATIN = {"company": "ShengShu", "company_key": "shengshu"}


def facts(names: dict[str, str], **values: Any) -> Facts:
    base: dict[str, Any] = {
        "round": "A",
        "amount": 500_000_000.0,
        "currency": "CNY",
        "amount_usd": 69_000_000.0,
        "lead_investors": [],
        "investors": [],
    }
    return Facts.from_values(base | names | values)


def event(names: dict[str, str], **values: Any) -> EventDraft:
    draft = start_event(facts(names, **values), DAY)
    note_article(draft, "cn.example", DAY, DAY)
    return draft


def test_pinyin_of_the_han_key_without_company_suffixes_is_the_latin_key() -> None:
    assert "shengshu" in han_romanised("生数科技")
    assert han_romanised("愛詩") == han_romanised("爱诗") == {"aishi"}  # Traditional too
    assert "aishi" in han_romanised("愛詩網絡科技")
    assert latin_stems("shengshutechnology") == {"shengshutechnology", "shengshu"}
    assert across_scripts("生数", "shengshu") and across_scripts("shengshuai", "生數科技")
    assert across_scripts("愛詩", "aishi") and across_scripts("aishitech", "爱诗")
    assert not across_scripts("爱诗", "aisphere")  # a brand name is not the pinyin
    assert not across_scripts("生数", "shengshi")
    # one script each side, or neither script: nothing to romanise
    assert not across_scripts("shengshu", "shengshuai")
    assert not across_scripts("可灵ai", "kelingai")
    assert not across_scripts("数", "shu")  # one character names too many companies
    assert han_romanised("shengshu") == frozenset() and latin_stems("生数") == frozenset()


TRADITIONAL = {"company": "雲幀科技", "company_key": "雲幀"}
SIMPLIFIED = {"company": "云帧科技", "company_key": "云帧"}
HOMOPHONE = {"company": "云祯科技", "company_key": "云祯"}  # also "yunzhen", another name


def test_a_traditional_and_a_simplified_key_are_one_name_and_homophones_are_not() -> None:
    assert simplified("雲幀") == "云帧" and simplified("云帧") == "云帧"
    assert simplified("shengshu") == "shengshu"
    assert across_scripts("雲幀", "云帧") and across_scripts("生數", "生数")
    assert traditional_and_simplified("愛詩網絡", "爱诗网络")
    # the same pinyin is not the same name: 云祯 and 云帧 are both "yunzhen"
    assert han_romanised("云祯") == han_romanised("云帧") == han_romanised("雲幀")
    assert not across_scripts("云祯", "雲幀") and not across_scripts("云祯", "云帧")
    assert not traditional_and_simplified("云帧", "云帧")  # one key: no second script
    assert not across_scripts("雲", "云")  # one character names too many companies
    assert across_scripts("雲幀", "yunzhenai")  # and the Latin pinyin still joins


def test_a_traditional_and_a_simplified_report_of_one_round_are_one_event() -> None:
    taipei = event(TRADITIONAL)
    beijing = facts(SIMPLIFIED)
    assert disagreement(taipei, beijing, RULES) is None
    assert choose_event([taipei], beijing, DAY + timedelta(days=1), RULES) is taipei
    assert articles_disagree(facts(SIMPLIFIED), facts(TRADITIONAL), RULES) is None
    # agreeing amounts are enough when one side gives no round
    no_round = facts(TRADITIONAL, round=None, amount=510_000_000.0, amount_usd=7e7)
    assert choose_event([event(SIMPLIFIED)], no_round, DAY, RULES) is not None


def test_the_script_alone_joins_nothing_and_a_homophone_never() -> None:
    taipei = event(TRADITIONAL)
    apart = facts(SIMPLIFIED, amount=50_000_000.0, amount_usd=6_900_000.0)
    assert disagreement(taipei, apart, RULES) == (
        "company 云帧 is 雲幀 in another script, but neither round nor amount agrees"
    )
    assert choose_event([taipei], apart, DAY, RULES) is None
    silent = facts(SIMPLIFIED, round=None, amount=None, currency=None, amount_usd=None)
    assert choose_event([taipei], silent, DAY, RULES) is None
    # a homophone: amounts apart, or even the same round and amount, another company
    homophone_apart = facts(HOMOPHONE, amount=50_000_000.0, amount_usd=6_900_000.0)
    assert disagreement(taipei, homophone_apart, RULES) == "company 云祯 is not 雲幀"
    assert choose_event([taipei], homophone_apart, DAY, RULES) is None
    assert choose_event([taipei, event(SIMPLIFIED)], facts(HOMOPHONE), DAY, RULES) is None


def test_a_chinese_and_an_english_report_of_one_round_are_one_event() -> None:
    chinese = event(HAN)
    english = facts(LATIN, amount=69_000_000.0, currency="USD")
    assert disagreement(chinese, english, RULES) is None
    assert choose_event([chinese], english, DAY + timedelta(days=1), RULES) is chinese
    # the other way round, and with a Traditional name: 生數 is "shengshu" too
    latin_event = event(LATIN)
    traditional = facts({"company": "生數科技", "company_key": "生數"})
    assert choose_event([latin_event], traditional, DAY, RULES) is latin_event
    # agreeing amounts are enough when one side gives no round
    no_round = facts(LATIN, round=None, amount=70_000_000.0, currency="USD", amount_usd=7e7)
    assert choose_event([chinese], no_round, DAY, RULES) is chinese
    assert articles_disagree(facts(HAN), english, RULES) is None


def test_the_pinyin_alone_joins_nothing() -> None:
    chinese = event(HAN)
    apart = facts(LATIN, amount=20_000_000.0, currency="USD", amount_usd=20_000_000.0)
    # same round (raised once) but amounts apart: one key would join, the pinyin does not
    assert disagreement(event({"company": "生数科技", "company_key": "生数"}), apart, RULES) == (
        "company shengshu is 生数 in another script, but neither round nor amount agrees"
    )
    assert choose_event([chinese], apart, DAY, RULES) is None
    same_key = facts(HAN, amount=20_000_000.0, amount_usd=2_800_000.0)
    assert choose_event([chinese], same_key, DAY, RULES) is chinese
    # nothing said either way (no round, no amount): not enough across scripts
    silent = facts(LATIN, round=None, amount=None, currency=None, amount_usd=None)
    assert choose_event([chinese], silent, DAY, RULES) is None
    # another round
    assert choose_event([chinese], facts(LATIN, round="B"), DAY, RULES) is None
    # another name, whatever agrees
    other = facts({"company": "Shengshi", "company_key": "shengshi"})
    assert disagreement(chinese, other, RULES) == "company shengshi is not 生数"
    assert articles_disagree(facts(HAN), other, RULES) == "company shengshi is not 生数"
    # outside the window
    assert choose_event([chinese], facts(LATIN), DAY + timedelta(days=60), RULES) is None


def test_an_event_of_its_own_key_comes_before_one_of_the_other_script() -> None:
    chinese, english = event(HAN), event(LATIN)
    report = facts(LATIN)
    assert choose_event([chinese, english], report, DAY, RULES) is english
    assert choose_event([english, chinese], facts(HAN), DAY, RULES) is chinese


def test_two_writers_of_one_round_in_two_scripts_share_a_lock() -> None:
    def company_locks(key: str) -> set[int]:
        return set(lock_keys(key, _NO_PRINT, key)) - set(lock_keys(key, _NO_PRINT, None))

    assert company_locks("生数") & company_locks("shengshuai")
    assert not company_locks("生数") & company_locks("aisphere")
    assert company_locks("雲幀") & company_locks("云帧")


class _NoPrint:
    content_hash = None
    sketch = None


_NO_PRINT: Any = _NoPrint()


BODIES = {
    1: "生数科技完成新一轮融资。本轮由多家机构参与,资金将用于视频生成模型的研发与商业化。",
    2: "ShengShu closes a Series A. The video model maker says the money goes to research.",
    3: "Aishi Tech, a video generation startup, raised a Series A from two funds.",
    4: "A Beijing startup named ShengShu takes a small cheque from a strategic backer.",
    5: "Months later, ShengShu is said to be talking to investors about another raise.",
    6: "愛詩完成A輪融資,由多家美元基金參與,將加快PixVerse的全球推廣與模型迭代。",
    7: "雲幀科技完成A輪融資,資金將用於影片生成模型的研發與海外市場拓展。",
    8: "云帧科技完成A轮融资,资金将用于视频生成模型的研发与海外市场拓展。",
    9: "云祯科技完成A轮融资,这家视频生成公司称资金将用于招聘。",
    10: "云帧科技获得战略投资,投资方为一家产业基金。",
}


def store(sessions: sessionmaker[Session], n: int, when: datetime, **facts: Any) -> IngestResult:
    base: dict[str, Any] = {
        "flag": True,
        "is_funding": True,
        "is_ai_video": True,
        "score": 0.9,
        "round": "A",
        "amount": 500_000_000.0,
        "currency": "CNY",
        "amount_usd": 69_000_000.0,
    }
    record = records.Article(
        url=f"https://outlet{n}.example/story",
        source=f"outlet{n}.example",
        title=BODIES[n].split(".")[0],
        body=BODIES[n],
        published_at=when,
        fetched_at=when,
        detection=records.Detection(**(base | facts)),
    )
    with sessions.begin() as session:
        return ingest_article(session, record)


def test_the_database_finds_the_event_of_the_other_script(database_url: str) -> None:
    sessions = session_factory(create_db_engine(database_url))
    chinese = store(sessions, 1, DAY, **HAN)
    english = store(
        sessions, 2, DAY + timedelta(days=1), **LATIN, amount=69_000_000.0, currency="USD"
    )
    assert english.event_id == chinese.event_id and not english.event_created
    # the other way round, with a Traditional name: 愛詩 ("aishi") finds the event of "aishi"
    aishi = store(sessions, 3, DAY, company="Aishi Tech", company_key="aishi")
    traditional = store(sessions, 6, DAY + timedelta(days=2), company="愛詩", company_key="愛詩")
    assert traditional.event_id == aishi.event_id != chinese.event_id
    # the same pinyin with another amount, and a report long after: events of their own
    apart = store(sessions, 4, DAY + timedelta(days=2), **LATIN, amount=9e6, amount_usd=9e6)
    late = store(sessions, 5, DAY + timedelta(days=90), **LATIN)
    assert len({chinese.event_id, apart.event_id, late.event_id}) == 3
    with sessions() as session:
        rows = session.execute(select(FundingEvent.company_key, FundingEvent.article_count))
        assert sorted(rows, key=str) == [
            ("aishi", 2),
            ("shengshu", 1),
            ("shengshu", 1),
            ("生数", 2),
        ]


def test_the_database_joins_a_traditional_and_a_simplified_report(database_url: str) -> None:
    sessions = session_factory(create_db_engine(database_url))
    taipei = store(sessions, 7, DAY, **TRADITIONAL)
    beijing = store(sessions, 8, DAY + timedelta(days=1), **SIMPLIFIED)
    assert beijing.event_id == taipei.event_id and not beijing.event_created
    # the homophone with the same round and amount, and the Simplified name with amounts
    # apart: events of their own
    homophone = store(sessions, 9, DAY + timedelta(days=1), **HOMOPHONE)
    apart = store(sessions, 10, DAY + timedelta(days=2), **SIMPLIFIED, amount=5e7, amount_usd=7e6)
    assert len({taipei.event_id, homophone.event_id, apart.event_id}) == 3
    with sessions() as session:
        rows = session.execute(select(FundingEvent.company_key, FundingEvent.article_count))
        assert sorted(rows, key=str) == [("云帧", 1), ("云祯", 1), ("雲幀", 2)]
