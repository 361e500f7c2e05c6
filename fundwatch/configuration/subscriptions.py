"""Subscriptions and routes: who gets which alerts, how often, over which channels.

A route is what the outbox keys rows by: a channel on its own filter and cadence (named like the
channel), or one channel of a subscription (named `subscription/channel`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import Field, field_validator

from fundwatch.configuration.alert_rules import (
    NAME_PATTERN,
    Cadence,
    Filters,
    Language,
    RetrySchedule,
    Strict,
)

if TYPE_CHECKING:
    from fundwatch.configuration.alerts import Channel


class Subscription(Strict):
    """One person's (or team's) view: which events, how often, in which language, over which
    channels. `language` overrides the channels' own."""

    name: str = Field(pattern=NAME_PATTERN)
    channels: list[str] = Field(min_length=1)
    enabled: bool = True
    send_updates: bool = False
    filters: Filters = Field(default_factory=Filters)
    cadence: Cadence = Field(default_factory=Cadence)
    language: Language | None = None

    @field_validator("channels", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


@dataclass(frozen=True)
class Route:
    """Where the outbox delivers: a channel with the filter and cadence that apply to it. Its
    `name` is the outbox row's `channel`: the channel's name, or `subscription/channel`."""

    name: str
    channel: Channel
    filters: Filters
    cadence: Cadence
    send_updates: bool
    enabled: bool
    language: str
    subscription: str | None = None

    @property
    def retry(self) -> RetrySchedule:
        return self.channel.retry

    def accepts(self, event: Any) -> bool:
        return self.enabled and self.channel.enabled and self.filters.accepts(event)


def route_of(channel: Channel) -> Route:
    """A channel delivering on its own filter and cadence."""
    return Route(
        name=channel.name,
        channel=channel,
        filters=channel.filters,
        cadence=channel.cadence,
        send_updates=channel.send_updates,
        enabled=channel.enabled,
        language=getattr(channel, "language", "en"),
    )


def subscription_routes(subscription: Subscription, channels: dict[str, Channel]) -> list[Route]:
    return [
        Route(
            name=f"{subscription.name}/{name}",
            channel=channels[name],
            filters=subscription.filters,
            cadence=subscription.cadence,
            send_updates=subscription.send_updates,
            enabled=subscription.enabled,
            language=subscription.language or getattr(channels[name], "language", "en"),
            subscription=subscription.name,
        )
        for name in subscription.channels
    ]


@dataclass(frozen=True)
class AlertSetup:
    channels: list[Channel]
    subscriptions: list[Subscription]

    @property
    def routes(self) -> list[Route]:
        by_name = {channel.name: channel for channel in self.channels}
        subscribed = {name for sub in self.subscriptions for name in sub.channels}
        routes = [route_of(c) for c in self.channels if c.name not in subscribed]
        for subscription in self.subscriptions:
            routes += subscription_routes(subscription, by_name)
        return routes
