"""Raise sentences composed from independent slots, to find which form the detector misses.

Shared by tests/detection/test_form_matrix.py (a fixed sample, each case checked) and
bench/form_matrix.py (any sample size; failures counted by slot value), so the two cannot
drift apart. Every text is invented here (the company Vidora / 影帧科技 / 帧影 does not exist).

A raise case fills each slot of its language with one value: Chinese (simplified and
traditional, each value written in both scripts) has opening, company, verb, amount, round,
investors, sector and headline; English has opening, company, verb, amount, round, form
(amount before the round or the round's attribute), investors, sector and headline. Every
value states what it contributes to the expected detection (company, amount, currency,
round), so a case's expectation is the sum of its values. A lookalike case (a launch, an
acquisition, a fund close, an IPO, a price rise ...) fills company, opening, sector and
headline around a lookalike sentence and must not be flagged.

``sample_cases(seed, n)`` draws ``n`` cases per language from the full product with a seeded
generator; ``single_slot_cases()`` varies one slot at a time from a base sentence;
``lookalike_cases()`` gives every lookalike in every company form of each language.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import product

HANS, HANT, EN = "zh-Hans", "zh-Hant", "en"
# "(以下简称“影帧科技”)": a legal name's note, left out of a title
LATIN_ROUND_AFTER_NAME = re.compile(r"([a-z])((?:Pre-)?[A-Z][\d+]*[轮輪])")
LEGAL_NOTE = re.compile(r"^.*?[((]以下[简簡][称稱][“「]?(.*?)[”」]?[))]$")


@dataclass(frozen=True)
class Value:
    """One value of a slot: its label, its text per script, and what it makes expected."""

    label: str
    text: tuple[str, ...]  # (simplified, traditional) for Chinese, (English,) for English
    company: str | None = None
    amount: int | float | None = None
    currency: str | None = None
    round: str | None = None

    def in_script(self, lang: str) -> str:
        return self.text[1] if lang == HANT else self.text[0]


def _v(label: str, hans: str, hant: str | None = None, **expect: object) -> Value:
    return Value(label, (hans, hans if hant is None else hant), **expect)  # type: ignore[arg-type]


def _e(label: str, text: str, **expect: object) -> Value:
    return Value(label, (text,), **expect)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Case:
    id: str
    lang: str
    slots: tuple[tuple[str, str], ...]  # (slot, value label)
    title: str
    text: str
    flag: bool
    company: str | None = None
    amount: int | float | None = None
    currency: str | None = None
    round: str | None = None


# -- Chinese slots (simplified, traditional) -----------------------------------------------
ZH_OPENINGS = [
    _v("none", ""),
    _v("date", "2025年6月18日,"),
    _v("据悉", "据悉,", "據悉,"),
    _v("36氪获悉", "36氪获悉,", "36氪獲悉,"),
    _v("近日", "近日,"),
    _v("日前", "日前,"),
    _v("location", "总部位于上海的", "總部位於上海的"),
    _v("6月18日", "6月18日,"),
    _v("据36氪报道", "据36氪报道,", "據36氪報導,"),
    _v("今日", "今日,"),
]
ZH_COMPANIES = [
    _v("latin", "Vidora", company="Vidora"),
    _v("zh+suffix", "影帧科技", "影幀科技", company="影帧科技"),
    _v("zh", "帧影", "幀影", company="帧影"),
    _v("zh+公司", "帧影公司", "幀影公司", company="帧影"),
    _v("described", "AI视频生成公司Vidora", "AI影片生成公司Vidora", company="Vidora"),
    _v("「」", "「Vidora」", company="Vidora"),
    _v("zh(Latin)", "影帧科技(Vidora)", "影幀科技(Vidora)", company="影帧科技"),
    _v(
        "以下简称",
        "上海影帧科技有限公司(以下简称“影帧科技”)",
        "上海影幀科技有限公司(以下簡稱「影幀科技」)",
        company="影帧科技",
    ),
    _v("described zh", "AI视频公司帧影", "AI影片公司幀影", company="帧影"),
    _v("topic,", "Vidora,", company="Vidora"),
    _v("「zh」", "「帧影」", "「幀影」", company="帧影"),
    _v("platform zh", "AI视频生成平台帧影", "AI影片生成平台幀影", company="帧影"),
    _v("Latin(zh)", "Vidora(影帧科技)", "Vidora(影幀科技)", company="Vidora"),
]
ZH_VERBS = [
    _v("完成", "完成"),
    _v("宣布完成", "宣布完成"),
    _v("获得", "获得", "獲得"),
    _v("拿下", "拿下"),
    _v("斩获", "斩获", "斬獲"),
    _v("募得", "募得"),
    _v("完成了", "完成了"),
    _v("已完成", "已完成"),
    _v("顺利完成", "顺利完成", "順利完成"),
    _v("获", "获", "獲"),
    _v("刚完成", "刚完成", "剛完成"),
    _v("正式完成", "正式完成"),
    _v("宣布获得", "宣布获得", "宣布獲得"),
    _v("完成总额", "完成总额", "完成總額"),
    _v("宣布完成了", "宣布完成了"),
    _v("近日完成", "近日完成"),
    _v("再获", "再获", "再獲"),
    _v("获得了", "获得了", "獲得了"),
]
ZH_AMOUNTS = [
    _v("1.2亿元", "1.2亿元", "1.2億元", amount=120_000_000, currency="CNY"),
    _v("数千万元", "数千万元", "數千萬元", currency="CNY"),
    _v("近亿元", "近亿元", "近億元", amount=100_000_000, currency="CNY"),
    _v("1000万美元", "1000万美元", "1000萬美元", amount=10_000_000, currency="USD"),
    _v("5000万人民币", "5000万人民币", "5000萬人民幣", amount=50_000_000, currency="CNY"),
    _v("数亿新台币", "数亿新台币", "數億新台幣", currency="TWD"),
    _v("2亿港元", "2亿港元", "2億港元", amount=200_000_000, currency="HKD"),
    _v("超1亿元", "超1亿元", "超1億元", amount=100_000_000, currency="CNY"),
    _v("数百万美元", "数百万美元", "數百萬美元", currency="USD"),
    _v("千万级人民币", "千万级人民币", "千萬級人民幣", amount=10_000_000, currency="CNY"),
    _v("2000万美金", "2000万美金", "2000萬美金", amount=20_000_000, currency="USD"),
    _v("5亿日元", "5亿日元", "5億日元", amount=500_000_000, currency="JPY"),
    _v("1.2亿人民币", "1.2亿人民币", "1.2億人民幣", amount=120_000_000, currency="CNY"),
    _v("数千万美元", "数千万美元", "數千萬美元", currency="USD"),
    _v("上亿元", "上亿元", "上億元", amount=100_000_000, currency="CNY"),
    _v("亿元级", "亿元级", "億元級", amount=100_000_000, currency="CNY"),
    _v("数亿元人民币", "数亿元人民币", "數億元人民幣", currency="CNY"),
    _v("none", ""),
]
ZH_ROUNDS = [
    _v("天使轮", "天使轮融资", "天使輪融資", round="angel"),
    _v("Pre-A轮", "Pre-A轮融资", "Pre-A輪融資", round="pre-A"),
    _v("A+轮", "A+轮融资", "A+輪融資", round="A+"),
    _v("B1轮", "B1轮融资", "B1輪融資", round="B1"),
    _v("战略融资", "战略融资", "戰略融資", round="strategic"),
    _v("新一轮融资", "新一轮融资", "新一輪融資", round="undisclosed"),
    _v("种子轮", "种子轮融资", "種子輪融資", round="seed"),
    _v("C轮", "C轮融资", "C輪融資", round="C"),
    _v("天使+轮", "天使+轮融资", "天使+輪融資", round="angel+"),
    _v("Pre-B轮", "Pre-B轮融资", "Pre-B輪融資", round="pre-B"),
    _v("A轮", "A轮融资", "A輪融資", round="A"),
    _v("Pre-A+轮", "Pre-A+轮融资", "Pre-A+輪融資", round="pre-A+"),
    _v("B2轮", "B2轮融资", "B2輪融資", round="B2"),
    _v("C+轮", "C+轮融资", "C+輪融資", round="C+"),
]
ZH_INVESTORS = [
    _v("none", ""),
    _v("领投跟投", ",由岚山资本领投,远川创投跟投", ",由嵐山資本領投,遠川創投跟投"),
    _v("投资方为", ",投资方为岚山资本", ",投資方為嵐山資本"),
    _v("独家投资", ",由岚山资本独家投资", ",由嵐山資本獨家投資"),
    _v("联合领投", ",岚山资本、远川创投联合领投", ",嵐山資本、遠川創投聯合領投"),
    _v("老股东加注", ",老股东岚山资本持续加注", ",老股東嵐山資本持續加注"),
]
ZH_SECTORS = [
    _v("AI视频生成", "该公司专注AI视频生成。", "該公司專注AI視頻生成。"),
    _v("文生视频", "公司主打文生视频模型。", "公司主打文生視頻模型。"),
    _v("数字人", "该公司主要提供AI数字人视频服务。", "該公司主要提供AI數字人影片服務。"),
]
ZH_HEADLINES = [
    _v("plain", "AI视频生成赛道又添新玩家", "AI視頻生成賽道又添新玩家"),
    _v("raise", "{company}完成{amount}{round}", "{company}完成{amount}{round}"),
    _v("首发", "36氪首发|{company}完成{amount}{round}", "36氪首發|{company}完成{amount}{round}"),
]

# how the sentence is built around the slots ({opening}, {company}, {verb}, {amount}, {of},
# {round}, {investors}); an investor as the subject ignores the verb and investors slots
ZH_STRUCTURES = [
    _v("inline", "{opening}{company}{verb}{amount}{of}{round}{investors}。"),
    _v(
        "amount after",
        "{opening}{company}{verb}{round},融资金额为{amount}{investors}。",
        "{opening}{company}{verb}{round},融資金額為{amount}{investors}。",
    ),
    _v(
        "amount next sentence",
        "{opening}{company}{verb}{round}{investors}。本轮融资金额为{amount}。",
        "{opening}{company}{verb}{round}{investors}。本輪融資金額為{amount}。",
    ),
    _v(
        "investor subject",
        "{opening}岚山资本领投{company}{amount}{round}。",
        "{opening}嵐山資本領投{company}{amount}{round}。",
    ),
]

# -- English slots -------------------------------------------------------------------------
EN_OPENINGS = [
    _e("none", ""),
    _e("on Tuesday", "On Tuesday, "),
    _e("location", "San Francisco-based "),
    _e("today", "Today, "),
    _e("London's", "London's "),
]
EN_COMPANIES = [
    _e("Vidora", "Vidora", company="Vidora"),
    _e("described", "AI video startup Vidora", company="Vidora"),
    _e("Vidora AI", "Vidora AI", company="Vidora AI"),
    _e("apposition", "Vidora, a text-to-video startup,", company="Vidora"),
    _e("Vidora Inc.", "Vidora Inc.", company="Vidora"),
    _e("which-clause", "Vidora, which makes AI video tools,", company="Vidora"),
    _e("the startup", "The AI video startup Vidora", company="Vidora"),
]
EN_VERBS = [
    _e("raises", "raises"),
    _e("has raised", "has raised"),
    _e("secured", "secured"),
    _e("closes", "closes"),
    _e("lands", "lands"),
    _e("bags", "bags"),
    _e("announced it has raised", "announced it has raised"),
    _e("said on Tuesday it raised", "said on Tuesday it raised"),
    _e("raised", "raised"),
    _e("has closed", "has closed"),
    _e("picks up", "picks up"),
    _e("nabs", "nabs"),
    _e("today announced", "today announced"),
    _e("has secured", "has secured"),
    _e("announces", "announces"),
    _e("gets", "gets"),
    _e("snags", "snags"),
    _e("has landed", "has landed"),
    _e("is raising", "is raising"),
]
EN_AMOUNTS = [
    _e("$12M", "$12M", amount=12_000_000, currency="USD"),
    _e("$12 million", "$12 million", amount=12_000_000, currency="USD"),
    _e("US$12m", "US$12m", amount=12_000_000, currency="USD"),
    _e("€5m", "€5m", amount=5_000_000, currency="EUR"),
    _e("£3.5 million", "£3.5 million", amount=3_500_000, currency="GBP"),
    _e("$1.2B", "$1.2B", amount=1_200_000_000, currency="USD"),
    _e("undisclosed", "an undisclosed amount"),
    _e("$12.5 million", "$12.5 million", amount=12_500_000, currency="USD"),
    _e("USD 12 million", "USD 12 million", amount=12_000_000, currency="USD"),
    _e("$500K", "$500K", amount=500_000, currency="USD"),
    _e("CHF 10m", "CHF 10m", amount=10_000_000, currency="CHF"),
    _e("$12,000,000", "$12,000,000", amount=12_000_000, currency="USD"),
    _e("€5 million", "€5 million", amount=5_000_000, currency="EUR"),
    _e("12 million dollars", "12 million dollars", amount=12_000_000, currency="USD"),
]
# (in-form text, attributive text): "raises $12M in a seed round" / "raises a $12M seed round"
EN_ROUNDS = [
    Value("seed", ("a seed round", "seed round"), round="seed"),
    Value("Series A", ("a Series A round", "Series A round"), round="A"),
    Value("Series A-1", ("a Series A-1 round", "Series A-1 round"), round="A1"),
    Value("Series B extension", ("a Series B extension", "Series B extension"), round="B"),
    Value("pre-seed", ("a pre-seed round", "pre-seed round"), round="pre-seed"),
    Value("new round", ("a new funding round", "funding round"), round="undisclosed"),
    Value("Series C", ("a Series C round", "Series C round"), round="C"),
    Value("seed funding", ("seed funding", "seed round"), round="seed"),
    Value("pre-Series A", ("a pre-Series A round", "pre-Series A round"), round="pre-A"),
    Value("seed extension", ("a seed extension", "seed extension"), round="seed"),
    Value("Series A-2", ("a Series A-2 round", "Series A-2 round"), round="A2"),
    Value("Series B+", ("a Series B+ round", "Series B+ round"), round="B+"),
    Value("strategic", ("a strategic round", "strategic round"), round="strategic"),
]
EN_FORMS = [_e("in", "in"), _e("attributive", "attributive")]
EN_INVESTORS = [
    _e("none", ""),
    _e("led by", " led by Northgate Ventures"),
    _e("from X and Y", " from Northgate Ventures and Halvard Capital"),
    _e("co-led", ", co-led by Northgate Ventures and Halvard Capital"),
    _e("with participation", " led by Northgate Ventures, with participation from Halvard Capital"),
]
EN_SECTORS = [
    _e("AI video generation", "The company makes AI video generation tools."),
    _e("text-to-video", "Its text-to-video model turns prompts into short clips."),
    _e("avatars", "It builds AI avatars that present marketing videos."),
]
# ({raised}: amount and round as the form slot puts them; {a_round}: the round with its
# amount as an attribute; {round}: the round alone)
EN_STRUCTURES = [
    _e("svo", "{opening}{company} {verb} {raised}{investors}."),
    _e("the company said", "{opening}{company} {verb} {raised}{investors}, the company said."),
    _e(
        "at a valuation",
        "{opening}{company} {verb} {raised}{investors} at a $300 million valuation.",
    ),
    _e("investor subject", "{opening}Northgate Ventures led {a_round} in {company}."),
    _e(
        "amount next sentence",
        "{opening}{company} {verb} {round}{investors}. The round totals {amount}.",
    ),
]
EN_HEADLINES = [
    _e("plain", "Inside the race to make AI video cheap"),
    _e("raise", "{company} raises {amount} to scale AI video generation"),
    _e("Title Case", "{company} Raises {amount} To Scale AI Video Generation"),
    _e("Exclusive:", "Exclusive: {company} raises {amount} for its AI video platform"),
]

# -- lookalikes: the company's news is no raise --------------------------------------------
ZH_LOOKALIKES = [
    _v("发布模型", "{company}发布了视频生成模型", "{company}發布了視頻生成模型"),
    _v("产品升级", "{company}完成了产品升级", "{company}完成了產品升級"),
    _v(
        "收购",
        "{company}宣布完成对光栅影像的收购,交易金额1.2亿元",
        "{company}宣布完成對光柵影像的收購,交易金額1.2億元",
    ),
    _v(
        "IPO",
        "{company}正式在港交所挂牌上市,IPO募资2亿港元",
        "{company}正式在港交所掛牌上市,IPO募資2億港元",
    ),
    _v(
        "基金募集",
        "岚山资本宣布完成5亿元新基金的募集,{company}是其已投企业",
        "嵐山資本宣布完成5億元新基金的募集,{company}是其已投企業",
    ),
    _v("获奖", "{company}获得年度最佳AI视频产品奖", "{company}獲得年度最佳AI影片產品獎"),
    _v(
        "加速器",
        "{company}入选岚山加速器,入选公司将获得一定投资资金",
        "{company}入選嵐山加速器,入選公司將獲得一定投資資金",
    ),
    _v(
        "赛道多家公司",
        "今年以来,AI视频赛道已有多家公司完成新一轮融资,{company}仍在观望",
        "今年以來,AI視頻賽道已有多家公司完成新一輪融資,{company}仍在觀望",
    ),
    _v(
        "投资方旧投",
        "岚山资本曾领投{company}2000万元A轮融资,如今推出了新基金",
        "嵐山資本曾領投{company}2000萬元A輪融資,如今推出了新基金",
    ),
    _v(
        "领投过",
        "岚山资本领投过{company}的A轮融资,如今转向硬件",
        "嵐山資本領投過{company}的A輪融資,如今轉向硬體",
    ),
    _v(
        "去年融资",
        "{company}去年完成了1.2亿元A轮融资,今年推出新产品",
        "{company}去年完成了1.2億元A輪融資,今年推出新產品",
    ),
]
EN_LOOKALIKES = [
    _e("launch", "{company} launches its new text-to-video model"),
    _e("acquisition", "{company} completes acquisition of Clipnest for $12 million"),
    _e("raises prices", "{company} raises prices for its AI video plans by 20%"),
    _e(
        "fund close",
        "Northgate Ventures closes its $100M fund, whose first check went to {company}",
    ),
    _e("IPO", "{company} raises $100 million in its IPO on Nasdaq"),
    _e("IPO filing", "{company} files for an IPO"),
    _e("fund raise", "Northgate Ventures raises a $100M fund to back startups like {company}"),
    _e("last year", "Last year, {company} raised $12M in a seed round; today it launched a model"),
]

ZH_SLOTS: dict[str, list[Value]] = {
    "opening": ZH_OPENINGS,
    "company": ZH_COMPANIES,
    "verb": ZH_VERBS,
    "amount": ZH_AMOUNTS,
    "round": ZH_ROUNDS,
    "investors": ZH_INVESTORS,
    "sector": ZH_SECTORS,
    "headline": ZH_HEADLINES,
    "structure": ZH_STRUCTURES,
}
EN_SLOTS: dict[str, list[Value]] = {
    "opening": EN_OPENINGS,
    "company": EN_COMPANIES,
    "verb": EN_VERBS,
    "amount": EN_AMOUNTS,
    "round": EN_ROUNDS,
    "form": EN_FORMS,
    "investors": EN_INVESTORS,
    "sector": EN_SECTORS,
    "headline": EN_HEADLINES,
    "structure": EN_STRUCTURES,
}
SLOTS = {HANS: ZH_SLOTS, HANT: ZH_SLOTS, EN: EN_SLOTS}


def _expected(values: Iterable[Value]) -> dict[str, object]:
    out: dict[str, object] = {"company": None, "amount": None, "currency": None, "round": None}
    for v in values:
        for key in out:
            if getattr(v, key) is not None:
                out[key] = getattr(v, key)
    return out


def _zh_text(lang: str, s: dict[str, Value]) -> tuple[str, str]:
    def t(slot: str) -> str:
        return s[slot].in_script(lang)

    # "完成总额1.2亿元的A轮融资": a total is told as the round's attribute
    of = "的" if s["verb"].label == "完成总额" else ""
    fields = {k: t(k) for k in ("opening", "company", "verb", "amount", "round", "investors")}
    body = t("structure").format(of=of, **fields) + t("sector")
    # "Vidora A轮融资": a Latin name and a Latin round letter are written apart
    body = LATIN_ROUND_AFTER_NAME.sub(r"\1 \2", body)
    name = LEGAL_NOTE.sub(r"\1", t("company")).rstrip(",")  # the title's short name
    title = t("headline").format(company=name, amount=t("amount"), round=t("round"))
    return title, body


def _en_text(s: dict[str, Value]) -> tuple[str, str]:
    company = s["company"].text[0]
    if s["opening"].text[0].endswith(", "):
        company = company.replace("The ", "the ", 1)
    a_round = f"a {s['amount'].text[0]} {s['round'].text[1]}"
    if s["form"].label == "attributive":
        raised = a_round
    else:
        raised = f"{s['amount'].text[0]} in {s['round'].text[0]}"
    sentence = (
        s["structure"]
        .text[0]
        .format(
            opening=s["opening"].text[0],
            company=company.rstrip(",") if s["structure"].label == "investor subject" else company,
            verb=s["verb"].text[0],
            raised=raised,
            a_round=a_round,
            round=s["round"].text[0],
            amount=s["amount"].text[0],
            investors=s["investors"].text[0],
        )
    )
    if s["structure"].label == "investor subject":
        sentence = sentence.replace(" in The ", " in the ")
    body = f"{sentence} {s['sector'].text[0]}"
    name = company.split(",")[0].split("startup ")[-1]
    amount = "new funding" if s["amount"].amount is None else s["amount"].text[0]
    title = s["headline"].text[0].format(company=name, amount=amount)
    return title, body


def natural(lang: str, s: dict[str, Value]) -> bool:
    """Combinations no writer would put down are not drawn."""
    if lang == EN:
        # "raises a an undisclosed amount ...": an undisclosed amount is no attribute;
        # "San Francisco-based The AI video startup"
        structure = s["structure"].label
        return not (
            (s["form"].label == "attributive" and s["amount"].label == "undisclosed")
            or (
                s["opening"].label in ("location", "London's")
                and s["company"].label == "the startup"
            )
            # "San Francisco-based Northgate Ventures led ...": the place is the investor's
            or (structure == "investor subject" and s["opening"].label in ("location", "London's"))
            or (structure == "investor subject" and s["amount"].label == "undisclosed")
            or (structure == "amount next sentence" and s["amount"].label == "undisclosed")
            # "Acme said it raised $5M, the company said"
            or (
                structure == "the company said"
                and s["verb"].label.startswith(("said", "announced"))
            )
        )
    # "募得天使轮融资": 募得 states the money it raised
    structure = s["structure"].label
    return not (
        (s["verb"].label in ("募得", "完成总额") and s["amount"].label == "none")
        or (structure in ("amount after", "amount next sentence") and s["amount"].label == "none")
        or (structure != "inline" and s["verb"].label == "完成总额")
        # "总部位于上海的岚山资本领投…": the place is the investor's; "领投Vidora,…"
        or (
            structure == "investor subject"
            and (s["opening"].label == "location" or s["company"].label == "topic,")
        )
    )


def build_case(lang: str, s: dict[str, Value], tag: str = "") -> Case:
    title, text = _en_text(s) if lang == EN else _zh_text(lang, s)
    slots = tuple((k, v.label) for k, v in s.items())
    case_id = f"{lang}{tag}:" + "|".join(v.label for v in s.values())
    expect = _expected(s.values())
    return Case(case_id, lang, slots, title, text, True, **expect)  # type: ignore[arg-type]


def sample_cases(seed: int, n: int, langs: Iterable[str] = (HANS, HANT, EN)) -> list[Case]:
    """``n`` natural raise cases per language, drawn from the full product of its slots."""
    rng = random.Random(seed)
    out: list[Case] = []
    for lang in langs:
        slots = SLOTS[lang]
        seen: set[str] = set()
        tries = 0
        while len(seen) < n and tries < 50 * n:
            tries += 1
            s = {name: rng.choice(values) for name, values in slots.items()}
            if not natural(lang, s):
                continue
            case = build_case(lang, s)
            if case.id in seen:
                continue
            seen.add(case.id)
            out.append(case)
    return out


def single_slot_cases(langs: Iterable[str] = (HANS, HANT, EN)) -> list[Case]:
    """From a base sentence (each slot's first value), every value of one slot at a time."""
    out: list[Case] = []
    for lang in langs:
        slots = SLOTS[lang]
        base = {name: values[0] for name, values in slots.items()}
        seen: set[str] = set()
        for name, values in slots.items():
            for v in values:
                s = {**base, name: v}
                case = build_case(lang, s)
                if natural(lang, s) and case.id not in seen:
                    seen.add(case.id)
                    out.append(case)
    return out


def lookalike_cases(langs: Iterable[str] = (HANS, HANT, EN)) -> list[Case]:
    """Each lookalike sentence in each company form, after each opening that is no place, with
    a plain headline and with the lookalike itself as the headline."""
    out: list[Case] = []
    for lang in langs:
        slots = SLOTS[lang]
        lookalikes = EN_LOOKALIKES if lang == EN else ZH_LOOKALIKES
        sectors = slots["sector"]
        for i, (look, company, head) in enumerate(
            product(lookalikes, slots["company"], ("plain", "self"))
        ):
            name = company.in_script(lang)
            sentence = look.in_script(lang).format(company=name).rstrip(",")
            sector = sectors[i % len(sectors)].in_script(lang)
            end = ". " if lang == EN else "。"
            text = f"{sentence}{end}{sector}"
            title = slots["headline"][0].in_script(lang) if head == "plain" else sentence
            labels = (("lookalike", look.label), ("company", company.label), ("headline", head))
            case_id = f"{lang}:not:" + "|".join(label for _, label in labels)
            out.append(Case(case_id, lang, labels, title, text, False))
    return out


@dataclass(frozen=True)
class Outcome:
    case: Case
    ok: bool
    got: tuple[object, ...]  # flag, company, amount, currency, round


Detect = Callable[[str, str], tuple[bool, str | None, object, object, object]]


def judge(case: Case, got: tuple[bool, str | None, object, object, object],
          key: Callable[[str], str]) -> bool:  # fmt: skip
    """The detection is the case's expectation (the company compared through its key)."""
    flag, company, amount, currency, round_ = got
    if not case.flag:
        return not flag
    return (
        flag
        and key(company or "") == key(case.company or "")
        and (amount, currency, round_) == (case.amount, case.currency, case.round)
    )


def run(cases: Iterable[Case], detect: Detect, key: Callable[[str], str]) -> Iterator[Outcome]:
    for case in cases:
        got = detect(case.title, case.text)
        yield Outcome(case, judge(case, got, key), got)


def failures_by_slot(outcomes: Iterable[Outcome]) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(language group, slot, value) -> (failures, cases)."""
    fails: Counter[tuple[str, str, str]] = Counter()
    totals: Counter[tuple[str, str, str]] = Counter()
    for o in outcomes:
        group = _group(o.case)
        for slot, label in o.case.slots:
            totals[(group, slot, label)] += 1
            fails[(group, slot, label)] += not o.ok
    return {k: (fails[k], totals[k]) for k in totals}


def peel(outcomes: Iterable[Outcome]) -> list[tuple[tuple[str, str, str], int, int]]:
    """The slot values that break detection, one at a time: the value with the worst failure
    rate, then the worst among the cases without it, and so on until no case fails. A value
    that fails only beside another (a place before a bare name) is not blamed for it."""
    remaining = list(outcomes)
    found: list[tuple[tuple[str, str, str], int, int]] = []
    while True:
        counts = {k: v for k, v in failures_by_slot(remaining).items() if v[0]}
        if not counts:
            return found
        worst = max(counts, key=lambda k: (counts[k][0] / counts[k][1], counts[k][0]))
        found.append((worst, *counts[worst]))
        group, slot, label = worst
        remaining = [
            o for o in remaining if _group(o.case) != group or (slot, label) not in o.case.slots
        ]


def _group(case: Case) -> str:
    return case.lang if case.flag else f"{case.lang} lookalike"
