"""An alert's words in the reader's language: English, Simplified or Traditional Chinese.

`auto` renders an event in the language of its first report: Chinese for zh-Hans/zh-Hant
articles, English otherwise. Only our own labels are translated; names and titles stay as crawled.
"""

from __future__ import annotations

from typing import Any

from fundwatch.alerts.render import headline as english_headline
from fundwatch.alerts.render import money, payload_money, plain_text, range_bounds, round_label

Lang = str  # "en" | "zh-Hans" | "zh-Hant"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "company": "Company",
        "round": "Round",
        "amount": "Amount",
        "original": "Original amount",
        "valuation": "Valuation",
        "leads": "Lead investors",
        "investors": "Investors",
        "outlets": "Reported by",
        "first_seen": "First seen",
        "update": "Update",
        "digest": "{count} AI-video funding rounds",
        "new_lead": "new lead investor",
        "undisclosed": "undisclosed",
        "more": "and {count} more",
        "sources": "Sources",
        "test": "fundwatch test alert",
    },
    "zh-Hans": {
        "company": "公司",
        "round": "轮次",
        "amount": "金额",
        "original": "原始金额",
        "valuation": "估值",
        "leads": "领投方",
        "investors": "投资方",
        "outlets": "报道来源",
        "first_seen": "首次发现",
        "update": "更新",
        "digest": "AI视频融资汇总：{count}起",
        "new_lead": "新增领投方",
        "undisclosed": "未披露",
        "more": "另有{count}条",
        "sources": "报道",
        "test": "fundwatch 测试消息",
    },
    "zh-Hant": {
        "company": "公司",
        "round": "輪次",
        "amount": "金額",
        "original": "原始金額",
        "valuation": "估值",
        "leads": "領投方",
        "investors": "投資方",
        "outlets": "報導來源",
        "first_seen": "首次發現",
        "update": "更新",
        "digest": "AI影片融資匯總：{count}起",
        "new_lead": "新增領投方",
        "undisclosed": "未披露",
        "more": "另有{count}條",
        "sources": "報導",
        "test": "fundwatch 測試訊息",
    },
}
_CURRENCIES = {
    "zh-Hans": {"USD": "美元", "CNY": "元人民币", "HKD": "港元", "EUR": "欧元", "JPY": "日元"},
    "zh-Hant": {"USD": "美元", "CNY": "元人民幣", "HKD": "港元", "EUR": "歐元", "JPY": "日圓"},
}
_ZH_ROUNDS = {
    "zh-Hans": {"seed": "种子轮", "angel": "天使轮", "pre-seed": "Pre-种子轮", "strategic": "战略"},
    "zh-Hant": {"seed": "種子輪", "angel": "天使輪", "pre-seed": "Pre-種子輪", "strategic": "戰略"},
}
_TRADITIONAL_REGIONS = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")


def language_of(tag: str | None) -> Lang:
    """en, zh-Hans or zh-Hant for an article language tag."""
    tag = (tag or "").casefold()
    if tag.startswith(_TRADITIONAL_REGIONS):
        return "zh-Hant"
    if tag.startswith("zh"):
        return "zh-Hans"
    return "en"


def reader_language(setting: str, data: dict[str, Any]) -> Lang:
    """The language to render `data` in for a channel whose `language` is `setting`."""
    if setting != "auto":
        return setting
    articles = data.get("articles") or []
    return language_of(articles[0].get("language")) if articles else "en"


def label(lang: Lang, key: str, **values: object) -> str:
    return LABELS.get(lang, LABELS["en"])[key].format(**values)


def _zh_number(value: float, lang: Lang) -> str:
    units = ((1e8, "億"), (1e4, "萬")) if lang == "zh-Hant" else ((1e8, "亿"), (1e4, "万"))
    for size, unit in units:
        if abs(value) >= size:
            return f"{value / size:.2f}".rstrip("0").rstrip(".") + unit
    return f"{value:,.0f}"


def amount_text(
    lang: Lang, amount_usd: float | None, amount: float | None = None, currency: str | None = None
) -> str:
    """$60M / 6000万美元; the original currency when no USD figure is known."""
    if lang == "en":
        return money(amount_usd, amount, currency)
    names = _CURRENCIES[lang] if lang in _CURRENCIES else _CURRENCIES["zh-Hans"]
    if amount_usd is not None:
        return _zh_number(amount_usd, lang) + names["USD"]
    if amount is not None:
        return _zh_number(amount, lang) + names.get(currency or "", f" {currency or ''}".rstrip())
    return label(lang, "undisclosed")


def round_text(lang: Lang, round_: str | None) -> str | None:
    if lang == "en":
        return round_label(round_)
    if not round_ or round_ == "undisclosed":
        return None
    rounds = _ZH_ROUNDS.get(lang, _ZH_ROUNDS["zh-Hans"])
    if round_ in rounds:
        return rounds[round_]
    suffix = "輪" if lang == "zh-Hant" else "轮"
    return (f"Pre-{round_[4:]}" if round_.startswith("pre-") else round_) + suffix


def amount_of(lang: Lang, data: dict[str, Any]) -> str:
    """The event's amount, or its approximate range (约2000万-1亿人民币) when only that is known."""
    bounds = range_bounds(data)
    if bounds is None:
        return amount_text(lang, data.get("amount_usd"), data.get("amount"), data.get("currency"))
    if lang == "en":
        return payload_money(data)
    names = _CURRENCIES[lang] if lang in _CURRENCIES else _CURRENCIES["zh-Hans"]
    currency = data.get("currency") or ""
    unit = names.get(currency, f" {currency}".rstrip())
    low, high = bounds
    about = "約" if lang == "zh-Hant" else "约"
    if low is not None and high is not None:
        return f"{about}{_zh_number(low, lang)}-{_zh_number(high, lang)}{unit}"
    if low is not None:
        return f"{_zh_number(low, lang)}{unit}以上"
    return f"{about}{_zh_number(high, lang)}{unit}以内"  # type: ignore[arg-type]


def headline(lang: Lang, data: dict[str, Any]) -> str:
    """`HeyGen raised $60M (Series A, led by Benchmark)` or, in Chinese,
    `HeyGen完成6000万美元A轮融资，Benchmark领投`."""
    if lang == "en":
        return english_headline(data)
    company = plain_text(data.get("company"), 80) or "某公司"
    amount_known = (
        data.get("amount_usd") is not None
        or data.get("amount") is not None
        or range_bounds(data) is not None
    )
    amount = amount_of(lang, data) if amount_known else ""
    financing = "融資" if lang == "zh-Hant" else "融资"
    text = f"{company}完成{amount}{round_text(lang, data.get('round')) or ''}{financing}"
    if not amount_known:
        text += f"（{label(lang, 'amount')}{label(lang, 'undisclosed')}）"
    leads = [plain_text(name, 60) for name in data.get("lead_investors") or []]
    if leads:
        led = "領投" if lang == "zh-Hant" else "领投"
        text += f"，{'、'.join(leads[:2])}{'等' if len(leads) > 2 else ''}{led}"
    return text


def facts(lang: Lang, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) lines under the headline."""
    rows: list[tuple[str, str]] = []
    round_ = round_text(lang, data.get("round"))
    if round_:
        rows.append((label(lang, "round"), round_))
    rows.append(
        (
            label(lang, "amount"),
            amount_of(lang, data),
        )
    )
    if data.get("amount") is not None and data.get("currency") not in (None, "USD"):
        original = amount_text(lang, None, data["amount"], data.get("currency"))
        rows.append((label(lang, "original"), original))
    if data.get("valuation_usd") is not None:
        rows.append((label(lang, "valuation"), amount_text(lang, data["valuation_usd"])))
    separator = ", " if lang == "en" else "、"
    if data.get("lead_investors"):
        rows.append((label(lang, "leads"), separator.join(data["lead_investors"][:10])))
    others = [i for i in data.get("investors") or [] if i not in (data.get("lead_investors") or [])]
    if others:
        rows.append((label(lang, "investors"), separator.join(others[:10])))
    if data.get("outlets"):
        rows.append((label(lang, "outlets"), separator.join(data["outlets"][:8])))
    return rows
