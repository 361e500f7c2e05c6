from __future__ import annotations

import pytest
from sqlalchemy import select

from fundwatch import records
from fundwatch.storage import Article, create_db_engine, session_factory
from fundwatch.storage.dedup import DEFAULT_MAX_DISTANCE, DedupSettings
from fundwatch.storage.fingerprints import (
    content_hash,
    fingerprint,
    hamming,
    normalize_text,
    sketch,
)
from fundwatch.storage.ingest import ingest_article
from tests.storage.dedup_texts import (
    EN_ORIGINAL,
    EN_ORIGINAL_TITLE,
    EN_OTHER,
    EN_SPUN,
    EN_SPUN_TITLE,
    ZH_BOILERPLATE_HEAD,
    ZH_BOILERPLATE_TAIL,
    ZH_ORIGINAL,
    ZH_ORIGINAL_TITLE,
    ZH_OTHER_ROUND,
    ZH_OTHER_ROUND_TITLE,
    ZH_SPUN,
    ZH_SPUN_TITLE,
    ZH_UNRELATED,
)

ZH_WITH_BOILERPLATE = ZH_BOILERPLATE_HEAD + ZH_ORIGINAL + ZH_BOILERPLATE_TAIL


def test_normalization_folds_width_case_space_and_punctuation() -> None:
    assert normalize_text("ＡＩ视频，  完成 1亿元\tB轮！") == normalize_text("ai视频,完成1亿元b轮")
    assert content_hash("t", "PixVerse 完成融资。") == content_hash("other", "pixverse完成融资")
    assert content_hash("t", "PixVerse 完成融资") != content_hash("t", "PixVerse 完成投资")
    assert content_hash("", " ，。 ") is None


def test_short_texts_get_no_sketch() -> None:
    assert sketch("融资快讯") is None
    assert fingerprint("标题", "短").sketch is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (ZH_ORIGINAL_TITLE + ZH_ORIGINAL, ZH_SPUN_TITLE + ZH_SPUN),
        (ZH_ORIGINAL_TITLE + ZH_ORIGINAL, ZH_ORIGINAL_TITLE + ZH_WITH_BOILERPLATE),
        (
            ZH_ORIGINAL_TITLE + ZH_ORIGINAL,
            ZH_SPUN_TITLE + ZH_BOILERPLATE_HEAD + ZH_SPUN + ZH_BOILERPLATE_TAIL,
        ),
        (EN_ORIGINAL_TITLE + EN_ORIGINAL, EN_SPUN_TITLE + EN_SPUN),
        (EN_ORIGINAL, EN_ORIGINAL[: len(EN_ORIGINAL) * 3 // 4]),
    ],
    ids=["zh-spun", "zh-boilerplate", "zh-spun-boilerplate", "en-spun", "en-truncated"],
)
def test_rewrites_are_near_duplicates(first: str, second: str) -> None:
    a, b = sketch(first), sketch(second)
    assert a is not None and b is not None
    shared = sum(x == y for x, y in zip(a.bands, b.bands, strict=True))
    assert shared >= 2
    assert hamming(a.simhash, b.simhash) <= DedupSettings().limit(shared)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (ZH_ORIGINAL_TITLE + ZH_ORIGINAL, ZH_OTHER_ROUND_TITLE + ZH_OTHER_ROUND),
        (ZH_ORIGINAL, ZH_UNRELATED),
        (
            ZH_BOILERPLATE_HEAD + ZH_OTHER_ROUND + ZH_BOILERPLATE_TAIL,
            ZH_WITH_BOILERPLATE,
        ),
        (EN_ORIGINAL, EN_OTHER),
    ],
    ids=["zh-other-round", "zh-unrelated", "zh-shared-boilerplate", "en-same-company"],
)
def test_different_stories_are_not_near_duplicates(first: str, second: str) -> None:
    a, b = sketch(first), sketch(second)
    assert a is not None and b is not None
    assert hamming(a.simhash, b.simhash) > DEFAULT_MAX_DISTANCE


def _store(sessions, url: str, title: str, body: str, **kwargs):  # type: ignore[no-untyped-def]
    with sessions.begin() as session:
        return ingest_article(
            session,
            records.Article(url=url, source=url.split("/")[2], title=title, body=body),
            **kwargs,
        )


def test_copies_point_to_the_first_article(database_url: str) -> None:
    sessions = session_factory(create_db_engine(database_url))
    first = _store(sessions, "https://a.example/1", ZH_ORIGINAL_TITLE, ZH_ORIGINAL)
    assert first.status == "new" and first.duplicate_of is None

    exact = _store(
        sessions,
        "https://b.example/x",
        "转载：" + ZH_ORIGINAL_TITLE,
        ZH_ORIGINAL.replace("，", ", "),
    )
    assert (exact.status, exact.duplicate_of) == ("exact_duplicate", first.article_id)

    spun = _store(sessions, "https://c.example/y", ZH_SPUN_TITLE, ZH_WITH_BOILERPLATE)
    assert (spun.status, spun.duplicate_of) == ("near_duplicate", first.article_id)
    assert spun.distance is not None and spun.distance <= DEFAULT_MAX_DISTANCE

    copy_of_copy = _store(
        sessions,
        "https://d.example/z",
        ZH_SPUN_TITLE,
        ZH_BOILERPLATE_HEAD + ZH_SPUN + ZH_BOILERPLATE_TAIL,
    )
    assert copy_of_copy.duplicate_of == first.article_id  # the root, never a copy

    other = _store(sessions, "https://a.example/2", ZH_OTHER_ROUND_TITLE, ZH_OTHER_ROUND)
    assert (other.status, other.duplicate_of) == ("new", None)

    again = _store(sessions, "https://a.example/1?utm_source=rss", ZH_ORIGINAL_TITLE, ZH_ORIGINAL)
    assert (again.status, again.article_id) == ("seen_url", None)

    with sessions() as session:
        rows = {row.url: row for row in session.scalars(select(Article))}
    assert len(rows) == 5
    stored = rows["https://c.example/y"]
    assert stored.duplicate_of == first.article_id
    assert stored.simhash is not None and stored.lsh_band0 is not None
    assert rows["https://a.example/1"].content_hash == rows["https://b.example/x"].content_hash


def test_near_duplicate_matching_can_be_switched_off(sqlite_url: str) -> None:
    sessions = session_factory(create_db_engine(sqlite_url))
    _store(sessions, "https://a.example/1", EN_ORIGINAL_TITLE, EN_ORIGINAL)
    spun = _store(
        sessions,
        "https://b.example/1",
        EN_SPUN_TITLE,
        EN_SPUN,
        dedup=DedupSettings(max_distance=0),
    )
    assert (spun.status, spun.duplicate_of) == ("new", None)


def test_threshold_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 64"):
        DedupSettings(max_distance=70)
    with pytest.raises(ValueError, match="two_band_distance"):
        DedupSettings(two_band_distance=-1)
