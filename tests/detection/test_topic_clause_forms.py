"""A Chinese topic clause names the raiser of the clause of adverbs after it: one invented case
per form (no corpus text), simplified and traditional.

"Glimra,刚募得…", "新创Glimra,近日完成…", "由三名前动画师创立的Glimra,剛募得…": the clause
after the comma holds only words of time and manner, so its subject is the sentence's opening
clause (the topic), read up to its name. A topic that is a clause of its own ("公司专注…",
"在…的背景下", "据悉") names nobody. An ordinal ("第二次募资") counts raises and is never a
company. A date opening the sentence does not make the raise history when the raise's clause
says it is news ("2024年初由…創立的新創X,剛募得…"), and "前" in "两名前工程师" means former,
not before.
"""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector
from tests.detection.form_checks import check_not_raise, check_raise

# titles that tell no raise and name no company: the body alone must name the raiser
TITLE = "想让每个品牌都拥有自己的片场"
TITLE_HANT = "想讓每個品牌都擁有自己的片場"

RAISES = [
    # a Latin name alone as the topic
    (
        TITLE,
        "Glimra,刚募得8000万美元,估值达到12亿美元。它做AI视频生成,帮品牌拍广告。",
        "Glimra",
        80_000_000,
        "USD",
    ),
    # a Latin name after 新创 as the topic, 近日 + 完成
    (
        TITLE,
        "新创Glimra,近日完成8000万美元融资,估值达到12亿美元。它做AI视频生成,帮品牌拍广告。",
        "Glimra",
        80_000_000,
        "USD",
    ),
    # a relative clause before the name, traditional script, 前 meaning "former"
    (
        TITLE_HANT,
        "由三名前動畫師創立的Glimra,剛募得8000萬美元,估值達到12億美元。它做AI影片生成,幫品牌拍廣告。",
        "Glimra",
        80_000_000,
        "USD",
    ),
    # "两名前工程师": former engineers, no raise dated before, with and without the comma
    (
        TITLE,
        "由两名前工程师创立的Glimra刚募得8000万美元。它做AI视频生成,帮品牌拍广告。",
        "Glimra",
        80_000_000,
        "USD",
    ),
    (
        TITLE,
        "由两名前工程师创立的Glimra,刚募得8000万美元。它做AI视频生成,帮品牌拍广告。",
        "Glimra",
        80_000_000,
        "USD",
    ),
    # a Chinese name after 初创 as the topic, 已 + 获得
    (
        TITLE,
        "专注AI视频的初创光栅影像,已获得5000万元融资。",
        "光栅影像",
        50_000_000,
        "CNY",
    ),
    # a lead-in of reporting before the topic leaves it the opening clause
    (
        TITLE_HANT,
        "據了解,新創Glimra,剛募得8000萬美元。它做AI影片生成。",
        "Glimra",
        80_000_000,
        "USD",
    ),
    # a Chinese name with a company suffix alone as the topic, 日前 + 拿下 (traditional)
    (
        TITLE_HANT,
        "幀域科技,日前拿下2000萬美元融資。它做AI影片生成。",
        "幀域科技",
        20_000_000,
        "USD",
    ),
    # a date in the opening clause, the raise's clause says 剛: news, not history (the rule
    # of 97c1710); the topic ends in its name, not at "在深圳"
    (
        TITLE_HANT,
        "2024年初由兩位前導演在深圳創立的新創幀域科技,剛募得2000萬美元,估值達到2億美元。"
        "它做AI影片生成。",
        "幀域科技",
        20_000_000,
        "USD",
    ),
    # ... followed by an ordinal: "第二次募資" is no company, the round stays 幀域科技's
    (
        TITLE_HANT,
        "2024年初由兩位前導演在深圳創立的新創幀域科技,剛募得2000萬美元,估值達到2億美元。"
        "這是它一年內的第二次募資。它做AI影片生成。",
        "幀域科技",
        20_000_000,
        "USD",
    ),
    # a date clause alone, then the topic, then 刚 in the raise's own (third) clause
    (
        TITLE,
        "2024年底,由两位前导演创立的新创帧域,刚募得2000万美元。它做AI视频生成。",
        "帧域",
        20_000_000,
        "USD",
    ),
]


@pytest.mark.parametrize(("title", "text", "company", "amount", "currency"), RAISES)
def test_topic_names_the_raiser(
    detector: Detector, title: str, text: str, company: str, amount: int, currency: str
) -> None:
    check_raise(detector, title, text, company, amount, currency, "undisclosed")


NOT_RAISES = [
    # a phrase of circumstance before the comma is no topic: no name
    "在资本回暖的背景下,刚完成融资的AI视频公司越来越多,估值也水涨船高。",
    # a raise word opening its clause is a noun, no subjectless verb
    "资本回暖的当口,融资接连发生,AI视频公司成了香饽饽。",
    # a clause with its own subject and verb is no topic
    "公司专注视频生成,刚完成1亿元融资。",
    # a lead-in of reporting is no topic
    "據悉,剛完成1億美元融資。它做AI影片生成。",
    # an ordinal counts raises and names no company
    "它做AI影片生成。這是它一年內的第二次募資。",
]


@pytest.mark.parametrize("text", NOT_RAISES)
def test_no_topic_no_raiser(detector: Detector, text: str) -> None:
    check_not_raise(detector, TITLE, text)


def test_ordinal_is_never_a_company(detector: Detector) -> None:
    assert detector.companies.subject_zh("这是它一年内的第二次", "这是它一年内的第二次") is None
    assert detector.companies.subject_zh("今年的第3轮", "今年的第3轮") is None
