"""What changed between the facts a route was last told and an event's current facts: the body
of a concise update message."""

from __future__ import annotations

from typing import Any

from fundwatch.alerts.wording import Lang, amount_text, label, round_text

SNAPSHOT_FIELDS = (
    "company",
    "round",
    "amount",
    "currency",
    "amount_usd",
    "valuation_usd",
    "lead_investors",
    "investors",
)


def snapshot(data: dict[str, Any]) -> dict[str, Any]:
    """The facts of a payload that an update is compared with (stored on the sent row)."""
    return {field: data.get(field) for field in SNAPSHOT_FIELDS}


def _amount(lang: Lang, facts: dict[str, Any]) -> str:
    return amount_text(lang, facts.get("amount_usd"), facts.get("amount"), facts.get("currency"))


def describe_changes(lang: Lang, before: dict[str, Any] | None, data: dict[str, Any]) -> list[str]:
    """One short line per material change; [] when nothing we show has changed (or there is
    no earlier message to compare with)."""
    if not before:
        return []
    lines: list[str] = []
    arrow = " → "
    colon = ": " if lang == "en" else "："
    separator = ", " if lang == "en" else "、"
    if (before.get("company") or "") != (data.get("company") or ""):
        lines.append(
            f"{label(lang, 'company')}{colon}{before.get('company')}{arrow}{data['company']}"
        )
    if before.get("round") != data.get("round"):
        old = round_text(lang, before.get("round")) or label(lang, "undisclosed")
        new = round_text(lang, data.get("round")) or label(lang, "undisclosed")
        lines.append(f"{label(lang, 'round')}{colon}{old}{arrow}{new}")
    if (before.get("amount_usd"), before.get("amount")) != (
        data.get("amount_usd"),
        data.get("amount"),
    ):
        lines.append(
            f"{label(lang, 'amount')}{colon}{_amount(lang, before)}{arrow}{_amount(lang, data)}"
        )
    if before.get("valuation_usd") != data.get("valuation_usd"):
        old = amount_text(lang, before.get("valuation_usd"))
        lines.append(
            f"{label(lang, 'valuation')}{colon}{old}{arrow}"
            f"{amount_text(lang, data.get('valuation_usd'))}"
        )
    known_leads = {name.casefold() for name in before.get("lead_investors") or []}
    new_leads = [n for n in data.get("lead_investors") or [] if n.casefold() not in known_leads]
    if new_leads:
        lines.append(f"{label(lang, 'new_lead')}{colon}{separator.join(new_leads)}")
    known = {name.casefold() for name in before.get("investors") or []} | known_leads
    added = [
        n for n in data.get("investors") or [] if n.casefold() not in known and n not in new_leads
    ]
    if added:
        lines.append(f"+ {label(lang, 'investors')}{colon}{separator.join(added)}")
    return lines
