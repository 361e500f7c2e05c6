"""The content of a chat message, apart from any platform's syntax: a title and one block per
funding event (headline, facts, what changed, links to the reports). Crawled text is plain text
already (payload.py); `neutral` makes it inert in markdown dialects as well."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fundwatch.alerts.changes import describe_changes
from fundwatch.alerts.render import plain_text, truncate
from fundwatch.alerts.wording import Lang, facts, headline, label

MAX_LINKS = 5
DIGEST_LINKS = 2
TITLE_LIMIT = 120

# Characters that start markup in Feishu lark_md, DingTalk/WeCom/Teams markdown or mentions
# (`<at user_id="all">`, `<@userid>`), mapped to look-alikes that no dialect interprets.
_NEUTRAL = str.maketrans(
    {
        "*": "∗",
        "_": "＿",
        "`": "ˋ",
        "[": "［",
        "]": "］",
        "<": "‹",
        ">": "›",
        "|": "¦",
        "~": "∼",
        "#": "＃",
        "\\": "＼",
    }
)


def neutral(text: str) -> str:
    return text.translate(_NEUTRAL)


def link_target(url: str) -> str:
    """A URL safe inside markdown `(…)`."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


@dataclass(frozen=True)
class Link:
    title: str
    url: str | None
    outlet: str


@dataclass(frozen=True)
class EventBlock:
    headline: str
    facts: list[tuple[str, str]]
    links: list[Link]
    more_links: int
    changes: list[str] = field(default_factory=list)
    is_update: bool = False


@dataclass(frozen=True)
class ChatMessage:
    lang: Lang
    title: str
    events: list[EventBlock]
    is_test: bool = False

    @property
    def single(self) -> bool:
        return len(self.events) == 1


def event_block(lang: Lang, payload: dict[str, Any], max_links: int = MAX_LINKS) -> EventBlock:
    data = payload["data"]
    articles = data.get("articles") or []
    links = [
        Link(
            plain_text(a.get("title"), TITLE_LIMIT) or "(untitled)",
            a.get("url"),
            a.get("outlet") or a.get("source") or "",
        )
        for a in articles[:max_links]
    ]
    total = max(int(data.get("articles_total") or len(articles)), len(articles))
    is_update = payload.get("type") == "funding_event.updated"
    title = headline(lang, data)
    if is_update:
        title = f"{label(lang, 'update')}{': ' if lang == 'en' else '：'}{title}"
    changes = describe_changes(lang, payload.get("previous"), data) if is_update else []
    return EventBlock(
        headline=title,
        facts=[] if changes else facts(lang, data),
        links=links[:1] if changes else links,
        more_links=0 if changes else max(total - len(links), 0),
        changes=changes,
        is_update=is_update,
    )


def compose(
    lang: Lang,
    payloads: list[dict[str, Any]],
    max_links: int = MAX_LINKS,
    blocks: list[EventBlock] | None = None,
) -> ChatMessage:
    """One message for `payloads`; `blocks` may hold their already rendered event blocks."""
    if blocks is None:
        links = max_links if len(payloads) == 1 else DIGEST_LINKS
        blocks = [event_block(lang, p, links) for p in payloads]
    is_test = any(p.get("type") == "funding_event.test" for p in payloads)
    title = blocks[0].headline if len(blocks) == 1 else label(lang, "digest", count=len(blocks))
    if is_test:
        title = f"[{label(lang, 'test')}] {title}"
    return ChatMessage(lang, truncate(title, 200), blocks, is_test)


def markdown_lines(message: ChatMessage, *, headline: str | None = "**{}**") -> str:
    """The message as common markdown (bold, links, lists): Feishu lark_md, DingTalk, WeCom,
    Teams and Discord all read this subset. A single event's headline is left out when
    `headline` is None (the platform shows the title itself)."""
    colon = ": " if message.lang == "en" else "："
    parts: list[str] = []
    for block in message.events:
        lines: list[str] = []
        if not message.single:
            lines.append(f"**{neutral(block.headline)}**")
        elif headline is not None:
            lines.append(headline.format(neutral(message.title)))
        lines += [f"- {neutral(change)}" for change in block.changes]
        lines += [f"**{neutral(name)}**{colon}{neutral(value)}" for name, value in block.facts]
        for link in block.links:
            title = neutral(link.title)
            where = f" ({neutral(link.outlet)})" if link.outlet else ""
            lines.append(
                f"- [{title}]({link_target(link.url)}){where}" if link.url else f"- {title}{where}"
            )
        if block.more_links:
            lines.append(neutral(label(message.lang, "more", count=block.more_links)))
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
