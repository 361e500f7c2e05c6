from __future__ import annotations

import email
import email.policy
import json
import re
from pathlib import Path
from types import SimpleNamespace

from fundwatch.alerts.mail import build_message, html_part
from fundwatch.alerts.payload import MAX_BODY_BYTES, encode, event_data, fit
from fundwatch.alerts.render import headline, plain_text, safe_url
from fundwatch.configuration.alerts import EmailChannel

EVIL_TITLE = (
    'Acme <script>alert(1)</script> raises <img src="https://track.example/p.gif" '
    'onerror="steal()"> $5M <a href="javascript:evil()">more</a> <form action=x>'
)


def _event(**fields: object) -> SimpleNamespace:
    base = dict(
        id=7,
        revision=0,
        company="HeyGen",
        company_key="heygen",
        round="A",
        amount=60_000_000.0,
        currency="USD",
        amount_usd=60_000_000.0,
        amount_approximate=False,
        amount_low=None,
        amount_high=None,
        valuation_usd=None,
        investors=["Benchmark", "Conviction"],
        lead_investors=["Benchmark"],
        first_seen_at=None,
        announced_at=None,
    )
    base.update(fields)
    return SimpleNamespace(**base)


def _article(
    title: str,
    url: str = "https://news.example.com/a",
    origin_url: str | None = None,
    duplicate_of: int | None = None,
) -> SimpleNamespace:
    return SimpleNamespace(
        title=title,
        url=url,
        origin_url=origin_url,
        duplicate_of=duplicate_of,
        source="example",
        published_at=None,
        language="en",
    )


def _payload(event: SimpleNamespace, articles: list[SimpleNamespace]) -> dict:
    return fit(
        {"type": "funding_event.created", "timestamp": "x", "data": event_data(event, articles)}
    )  # type: ignore[arg-type]


def _channel(tmp_path: Path) -> EmailChannel:
    return EmailChannel.model_validate(
        {
            "name": "mail",
            "type": "email",
            "host": "127.0.0.1",
            "from": "alerts@fundwatch.example",
            "to": ["ops@example.com"],
        }
    )


def test_subject_headline_reads_like_a_sentence() -> None:
    data = _payload(_event(), [_article("x")])["data"]
    assert headline(data) == "HeyGen raised $60M (Series A, led by Benchmark)"
    data = _payload(_event(round="seed", amount_usd=None, amount=None, lead_investors=[]), [])[
        "data"
    ]
    assert headline(data) == "HeyGen raised an undisclosed amount (Seed)"


def test_markup_in_crawled_text_becomes_plain_text() -> None:
    text = plain_text(EVIL_TITLE)
    assert "<" not in text and "alert(1)" not in text and "onerror" not in text
    assert text.startswith("Acme raises") and "$5M" in text
    assert plain_text("Breaking\r\nBcc: x@evil.example\u202e\x00") == "Breaking Bcc: x@evil.example"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://ok.example/a b") == "https://ok.example/a%20b"


def test_email_html_holds_only_our_tags_and_escaped_text(tmp_path: Path) -> None:
    payload = _payload(
        _event(company="<b onmouseover=x>Evil</b> & Co"),
        [
            _article(EVIL_TITLE),
            _article("&lt;script&gt;alert(2)&lt;/script&gt; plain", "javascript:x"),
        ],
    )
    markup = html_part([payload])
    tags = {t.lower() for t in re.findall(r"</?([a-zA-Z0-9]+)", markup)}
    assert tags <= {"html", "body", "h2", "p", "ul", "li", "a", "strong", "br", "hr"}
    assert "javascript:" not in markup and "onerror" not in markup and "onmouseover" not in markup
    assert "&lt;script&gt;alert(2)&lt;/script&gt; plain" in markup  # text/plain markup escaped
    assert markup.count("<a href=") == 1  # the javascript: link is not a link


def test_crlf_in_a_title_cannot_add_headers(tmp_path: Path) -> None:
    payload = _payload(_event(company="Breaking\r\nBcc: victim@evil.example\r\n\r\nbody"), [])
    raw = build_message(_channel(tmp_path), "fw-7-0-mail", [payload]).as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Bcc"] is None
    assert "\n" not in parsed["Subject"] and "\r" not in parsed["Subject"]
    assert parsed["Subject"].startswith("Breaking Bcc: victim@evil.example body raised $60M")
    assert parsed["Message-ID"] == "<fw-7-0-mail@fundwatch.example>"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]


def test_huge_title_and_many_articles_fit_in_20_kb(tmp_path: Path) -> None:
    articles = [_article("标题" * 50_000)] + [_article(f"story {i} " * 40) for i in range(300)]
    payload = _payload(_event(company="X" * 100_000, investors=["Fund"] * 5000), articles)
    assert len(encode(payload)) <= MAX_BODY_BYTES
    data = payload["data"]
    assert data["truncated"] is True and data["articles_total"] == 301
    assert 1 <= len(data["articles"]) < 301
    assert len(data["articles"][0]["title"]) <= 300
    json.loads(encode(payload))
    message = build_message(_channel(tmp_path), "fw-1-0-mail", [payload])
    assert len(message["Subject"]) <= 200


def test_outlets_come_from_the_origin_line_when_a_page_reposts_another_outlet(
    tmp_path: Path,
) -> None:
    articles = [
        _article("A raises", "https://www.wire.example/a"),
        _article(
            "A 融资", "https://repost.example/1.html", origin_url="https://www.36kr.example/p/9"
        ),
        _article(
            "A 融資", "https://repost.example/2.html", "https://36kr.example/p/9", duplicate_of=2
        ),
    ]
    data = _payload(_event(), articles)["data"]
    assert data["outlets"] == ["wire.example", "36kr.example"]
    assert [a["outlet"] for a in data["articles"]] == [
        "wire.example",
        "36kr.example",
        "36kr.example",
    ]
    assert [a["copy_of_earlier_article"] for a in data["articles"]] == [False, False, True]
    message = build_message(_channel(tmp_path), "fw-7-0-mail", [_payload(_event(), articles)])
    plain = message.get_body(("plain",))
    assert plain is not None
    assert "Reported by: wire.example, 36kr.example" in plain.get_content()
