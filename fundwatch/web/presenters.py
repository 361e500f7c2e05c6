"""One funding event as plain data: the stable field set of the API, the feeds and the CSV."""

from __future__ import annotations

from typing import Any

from fundwatch.web.formatting import iso, money
from fundwatch.web.queries import EventRow


def headline(row: EventRow) -> str:
    event = row.event
    parts = [event.company]
    amount = money(event.amount, event.currency, event.amount_approximate)
    if amount:
        parts.append(f"raises {amount}")
    if event.round:
        parts.append(f"({event.round})")
    return " ".join(parts)


def event_record(row: EventRow) -> dict[str, Any]:
    event = row.event
    return {
        "id": event.id,
        "company": event.company,
        "company_key": event.company_key,
        "aliases": row.aliases,
        "round": event.round,
        "amount": event.amount,
        "currency": event.currency,
        "amount_usd": event.amount_usd,
        "amount_approximate": bool(event.amount_approximate),
        "valuation_usd": event.valuation_usd,
        "lead_investors": list(event.lead_investors or []),
        "investors": list(event.investors or []),
        "outlets": row.outlets,
        "article_count": event.article_count,
        "languages": row.languages,
        "first_seen_at": iso(event.first_seen_at),
        "last_seen_at": iso(event.last_seen_at),
        "announced_at": iso(event.announced_at) or None,
        "revision": event.revision,
    }
