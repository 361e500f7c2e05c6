"""Every channel type behind one face for the relay: how many alerts one message may carry
(`pack`), how to send it (`deliver`), and the platform's rate limits (`rate_limits`)."""

from __future__ import annotations

from typing import Any

from fundwatch.alerts import (
    apprise_channel,
    dingtalk,
    discord,
    feishu,
    slack,
    teams,
    telegram,
    wecom,
)
from fundwatch.alerts.chat_platform import Platform
from fundwatch.alerts.chat_text import (
    DIGEST_LINKS,
    ChatMessage,
    EventBlock,
    compose,
    event_block,
)
from fundwatch.alerts.delivery import Delivery
from fundwatch.alerts.http_post import post
from fundwatch.alerts.mail import send_email
from fundwatch.alerts.webhook import send_webhook
from fundwatch.alerts.wording import reader_language
from fundwatch.configuration.alerts import Channel, EmailChannel, WebhookChannel
from fundwatch.configuration.chat_channels import AppriseChannel

PLATFORMS: dict[str, Platform] = {
    "feishu": feishu.PLATFORM,
    "lark": feishu.PLATFORM,
    "dingtalk": dingtalk.PLATFORM,
    "wecom": wecom.PLATFORM,
    "slack": slack.PLATFORM,
    "discord": discord.PLATFORM,
    "telegram": telegram.PLATFORM,
    "teams": teams.PLATFORM,
}
MAX_EMAIL_DIGEST = 200
APPRISE_RATE = ((1, 1.0),)


def is_chat(channel: Channel) -> bool:
    return channel.type in PLATFORMS or isinstance(channel, AppriseChannel)


def message_language(setting: str, payloads: list[dict[str, Any]]) -> str:
    """One language per message: a digest follows its first event."""
    return reader_language(setting, payloads[0]["data"]) if payloads else "en"


def _message(channel: Channel, language: str, payloads: list[dict[str, Any]]) -> ChatMessage:
    platform = PLATFORMS.get(channel.type)
    max_links = platform.max_links if platform else 5
    return compose(message_language(language, payloads), payloads, max_links)


def _fits(channel: Channel, message: ChatMessage) -> bool:
    if isinstance(channel, AppriseChannel):
        return apprise_channel.fits(message)
    platform = PLATFORMS[channel.type]
    return platform.fits(platform.build(channel, message))


def pack(
    channel: Channel, language: str, payloads: list[dict[str, Any]], *, digest: bool = False
) -> list[list[int]]:
    """Split payloads (in order) into messages. A webhook takes one event per request; e-mail
    one per alert, or up to 200 in a digest; a chat message as many as fit the platform's size
    limit and share one language (an event too big alone is sent alone, shortened)."""
    if isinstance(channel, WebhookChannel) or (isinstance(channel, EmailChannel) and not digest):
        return [[i] for i in range(len(payloads))]
    if isinstance(channel, EmailChannel):
        return [
            list(range(start, min(start + MAX_EMAIL_DIGEST, len(payloads))))
            for start in range(0, len(payloads), MAX_EMAIL_DIGEST)
        ]
    languages = [message_language(language, [p]) for p in payloads]
    blocks: dict[int, EventBlock] = {}

    def fits(start: int, end: int) -> bool:
        if end - start == 1:
            return True  # alone it is sent anyway (shortened if need be)
        for i in range(start, end):
            if i not in blocks:
                blocks[i] = event_block(languages[i], payloads[i], DIGEST_LINKS)
        message = compose(
            languages[start], payloads[start:end], blocks=[blocks[i] for i in range(start, end)]
        )
        return _fits(channel, message)

    groups: list[list[int]] = []
    start = 0
    while start < len(payloads):
        limit = start + 1
        while limit < len(payloads) and languages[limit] == languages[start]:
            limit += 1
        # the longest run from `start` that fits: gallop, then bisect (fitting is monotone)
        good, step = start + 1, 1
        while good < limit and fits(start, min(good + step, limit)):
            good = min(good + step, limit)
            step *= 2
        bad = min(good + step, limit + 1)
        while bad - good > 1:
            middle = (good + bad) // 2
            if fits(start, middle):
                good = middle
            else:
                bad = middle
        groups.append(list(range(start, good)))
        start = good
    return groups


def _shrunk(channel: Channel, language: str, payloads: list[dict[str, Any]]) -> ChatMessage:
    """The message, with fewer report links while it does not fit (one huge event)."""
    message = _message(channel, language, payloads)
    platform = PLATFORMS.get(channel.type)
    for links in (3, 1, 0):
        if platform is None or platform.fits(platform.build(channel, message)):
            break
        message = compose(message.lang, payloads, links)
    return message


def deliver(
    channel: Channel, language: str, message_id: str, payloads: list[dict[str, Any]]
) -> Delivery:
    """Send one message (one alert, or several as a digest); never raises."""
    if isinstance(channel, WebhookChannel):
        return send_webhook(channel, message_id, payloads[0])
    if isinstance(channel, EmailChannel):
        return send_email(channel, message_id, payloads)
    if isinstance(channel, AppriseChannel):
        return apprise_channel.send(channel, _message(channel, language, payloads))
    platform = PLATFORMS[channel.type]
    request = platform.build(channel, _shrunk(channel, language, payloads))
    answer, failure, elapsed = post(
        request.url,
        request.body,
        label=request.label,
        timeout=channel.timeout,
        deadline=channel.deadline,
        ca_file=channel.ca_file,
    )
    if answer is None:
        return (
            Delivery(failure.outcome, None, failure.error, None, elapsed)
            if failure
            else (Delivery("retry", None, "no answer", None, elapsed))
        )
    result = platform.interpret(answer)
    return Delivery(
        result.outcome,
        result.status_code,
        result.error,
        result.retry_after,
        elapsed,
        answer=answer.text.strip()[:300] or None,
    )


def rate_limits(channel: Channel) -> tuple[tuple[int, float], ...]:
    if isinstance(channel, AppriseChannel):
        return APPRISE_RATE
    platform = PLATFORMS.get(channel.type)
    return platform.rate_limits if platform else ()
