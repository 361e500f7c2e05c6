"""What every alert channel and subscription shares: its filter, cadence and retry schedule."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from fundwatch.configuration.cadence import parse_duration

NAME_PATTERN = r"^[a-z0-9][a-z0-9_\-]{0,62}$"
Seconds = Annotated[float, Field(gt=0)]
_DAILY = re.compile(r"^daily(?:\s+(\d{1,2}:\d{2}))?(?:\s+(\S+))?$")


def as_seconds(value: Any) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    return parse_duration(value).total_seconds()


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RetrySchedule(Strict):
    """Exponential backoff with jitter; a row is given up once `give_up_after` has passed."""

    initial: Seconds = 30.0
    factor: float = Field(default=2.0, ge=1.0, le=10.0)
    max_delay: Seconds = 4 * 3600.0
    jitter: float = Field(default=0.2, ge=0.0, le=1.0)
    give_up_after: Seconds = 24 * 3600.0

    @field_validator("initial", "max_delay", "give_up_after", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return as_seconds(value)


class Filters(Strict):
    """Which funding events a channel or subscription wants; every rule given must hold, and an
    empty filter accepts everything. Lists match case-insensitively."""

    min_amount_usd: float | None = Field(default=None, ge=0)
    include_undisclosed_amount: bool = False
    languages: list[str] = Field(default_factory=list)
    rounds: list[str] = Field(default_factory=list)
    companies: list[str] = Field(default_factory=list)
    investors: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)

    def accepts(self, event: Any) -> bool:
        """Whether `event` (a FundingEvent, or any object with its attributes) passes."""
        return all(
            check(event)
            for check in (
                self._amount,
                self._round,
                self._company,
                self._investor,
                self._language,
                self._keyword,
            )
        )

    def _amount(self, event: Any) -> bool:
        if self.min_amount_usd is None:
            return True
        amount = getattr(event, "amount_usd", None)
        if amount is None:
            return self.include_undisclosed_amount
        return amount >= self.min_amount_usd

    def _round(self, event: Any) -> bool:
        wanted = {r.casefold() for r in self.rounds}
        return not wanted or (getattr(event, "round", None) or "").casefold() in wanted

    def _company(self, event: Any) -> bool:
        wanted = {c.casefold() for c in self.companies}
        names = {str(getattr(event, a, "") or "").casefold() for a in ("company", "company_key")}
        return not wanted or bool(wanted & names)

    def _investor(self, event: Any) -> bool:
        wanted = {i.casefold() for i in self.investors}
        if not wanted:
            return True
        names = [*(getattr(event, "investors", None) or [])]
        names += getattr(event, "lead_investors", None) or []
        names += list((getattr(event, "investor_keys", None) or {}).keys())
        return any(str(name).casefold() in wanted for name in names)

    def _language(self, event: Any) -> bool:
        if not self.languages:
            return True
        prefixes = tuple(lang.casefold() for lang in self.languages)
        return any(lang.casefold().startswith(prefixes) for lang in event_languages(event))

    def _keyword(self, event: Any) -> bool:
        if not self.keywords:
            return True
        text = " ".join([str(getattr(event, "company", "") or ""), *event_titles(event)]).casefold()
        return any(keyword.casefold() in text for keyword in self.keywords)


def _article_values(event: Any, given: str, column: str) -> list[str]:
    """A column of the articles that report `event` (an attribute, or asked of its session)."""
    values = getattr(event, given, None)
    if values is not None:
        return [str(value) for value in values if value]
    from sqlalchemy import text
    from sqlalchemy.orm import object_session

    session = object_session(event)
    event_id = getattr(event, "id", None)
    if session is None or event_id is None:
        return []
    rows = session.execute(
        text(f"SELECT DISTINCT {column} FROM articles WHERE event_id = :id"), {"id": event_id}
    )
    return [row[0] for row in rows if row[0]]


def event_languages(event: Any) -> set[str]:
    return set(_article_values(event, "languages", "language"))


def event_titles(event: Any) -> list[str]:
    return _article_values(event, "titles", "title")


class Cadence(Strict):
    """When a channel's alerts leave: `immediate`; `hourly` (a digest at the top of each hour);
    `daily 08:30 Asia/Shanghai` (a digest at that local time); `every 6h` (a digest once the
    oldest waiting alert is that old)."""

    kind: Literal["immediate", "hourly", "daily", "every"] = "immediate"
    at: time = time(9, 0)
    timezone: str = "UTC"
    period: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = " ".join(value.split())
        if text in ("immediate", "hourly"):
            return {"kind": text}
        if text.startswith("every "):
            return {"kind": "every", "period": as_seconds(text[6:])}
        match = _DAILY.match(text)
        if match is None:
            raise ValueError(
                f"invalid cadence {value!r}: use immediate, hourly, 'daily 08:30 Asia/Shanghai' "
                "or 'every 6h'"
            )
        fields: dict[str, Any] = {"kind": "daily"}
        if match.group(1):
            fields["at"] = match.group(1)
        if match.group(2):
            fields["timezone"] = match.group(2)
        return fields

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name like Asia/Shanghai)"
            ) from None
        return value

    @property
    def is_digest(self) -> bool:
        return self.kind != "immediate"

    def due_at(self, oldest: datetime) -> datetime:
        """When a digest holding an alert queued at `oldest` (UTC) is sent."""
        oldest = oldest.astimezone(UTC)
        if self.kind == "every":
            return oldest + timedelta(seconds=self.period or 0)
        if self.kind == "hourly":
            return oldest.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        if self.kind == "daily":
            zone = ZoneInfo(self.timezone)
            local = oldest.astimezone(zone)
            for offset in range(3):
                day = local.date() + timedelta(days=offset)
                due = datetime.combine(day, self.at, tzinfo=zone).astimezone(UTC)
                if due > oldest:
                    return due
        return oldest

    def describe(self) -> str:
        if self.kind == "daily":
            return f"daily {self.at:%H:%M} {self.timezone}"
        if self.kind == "every":
            return f"every {self.period:g}s"
        return self.kind


Language = Literal["auto", "en", "zh-Hans", "zh-Hant"]


class ChannelBase(Strict):
    """Fields of every channel type: its own filter and cadence apply when no subscription
    names the channel."""

    name: str = Field(pattern=NAME_PATTERN)
    enabled: bool = True
    send_updates: bool = False
    filters: Filters = Field(default_factory=Filters)
    cadence: Cadence = Field(default_factory=Cadence)
    retry: RetrySchedule = Field(default_factory=RetrySchedule)

    def accepts(self, event: Any) -> bool:
        return self.enabled and self.filters.accepts(event)


class HttpChannelBase(ChannelBase):
    """A channel that POSTs to an HTTP API: bounded per attempt by `deadline`."""

    timeout: Seconds = 10.0
    deadline: Seconds = 15.0
    ca_file: Path | None = None

    @field_validator("timeout", "deadline", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return as_seconds(value)
