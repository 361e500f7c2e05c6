"""E-mail delivery with smtplib: TLS with certificate verification (STARTTLS or implicit SSL),
no AUTH without TLS, plain-text + HTML parts built from escaped crawled text, one-line headers,
and a stable Message-ID per alert (the same across retries)."""

from __future__ import annotations

import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from fundwatch.alerts.changes import describe_changes
from fundwatch.alerts.delivery import Delivery
from fundwatch.alerts.render import escape, header_value, headline, money, plain_text, safe_url
from fundwatch.configuration.alerts import EmailChannel

SUBJECT_LIMIT = 200


def message_id_header(message_id: str, sender: str) -> str:
    domain = header_value(sender.rsplit("@", 1)[-1], 100).replace(" ", "") or "fundwatch"
    local = "".join(ch for ch in message_id if ch.isalnum() or ch in "-_.")
    return f"<{local}@{domain}>"


def _facts(data: dict[str, Any]) -> list[tuple[str, str]]:
    facts = [("Company", plain_text(data.get("company"), 120))]
    if data.get("round"):
        facts.append(("Round", str(data["round"])))
    facts.append(
        ("Amount", money(data.get("amount_usd"), data.get("amount"), data.get("currency")))
    )
    if data.get("amount") is not None and data.get("currency") not in (None, "USD"):
        facts.append(("Original amount", money(None, data["amount"], data.get("currency"))))
    if data.get("valuation_usd") is not None:
        facts.append(("Valuation", money(data["valuation_usd"])))
    if data.get("lead_investors"):
        facts.append(("Lead investors", ", ".join(data["lead_investors"])))
    if data.get("investors"):
        facts.append(("Investors", ", ".join(data["investors"])))
    if data.get("outlets"):
        facts.append(("Reported by", ", ".join(data["outlets"])))
    if data.get("first_seen"):
        facts.append(("First seen", str(data["first_seen"])))
    return facts


def text_part(payloads: list[dict[str, Any]]) -> str:
    blocks = []
    for payload in payloads:
        data = payload["data"]
        lines = [headline(data), ""]
        changes = describe_changes("en", payload.get("previous"), data)
        if changes:
            lines += ["What changed:", *[f"- {change}" for change in changes], ""]
        lines += [f"{label}: {value}" for label, value in _facts(data)]
        lines.append("")
        for article in data.get("articles", []):
            when = article.get("published") or "undated"
            where = article.get("outlet") or article["source"]
            lines.append(f"- {article['title']} ({where}, {when})")
            if article.get("url"):
                lines.append(f"  {article['url']}")
        blocks.append("\n".join(lines))
    return ("\n\n" + "-" * 40 + "\n\n").join(blocks) + "\n\n-- \nfundwatch\n"


def html_part(payloads: list[dict[str, Any]]) -> str:
    """HTML from an allowlist of our own tags (h2, p, ul, li, a, strong, br); every crawled
    value is escaped and only http(s) links become hrefs."""
    sections = []
    for payload in payloads:
        data = payload["data"]
        facts = "<br>".join(
            f"<strong>{escape(label)}:</strong> {escape(value)}" for label, value in _facts(data)
        )
        items = []
        for article in data.get("articles", []):
            title = escape(article["title"] or "(untitled)")
            url = safe_url(article.get("url"))
            link = f'<a href="{escape(url)}">{title}</a>' if url else title
            items.append(
                f"<li>{link} ({escape(article.get('outlet') or article['source'])}, "
                f"{escape(article.get('published') or 'undated')})</li>"
            )
        sections.append(f"<h2>{escape(headline(data))}</h2><p>{facts}</p><ul>{''.join(items)}</ul>")
    return "<html><body>" + "<hr>".join(sections) + "<p>fundwatch</p></body></html>"


def subject(payloads: list[dict[str, Any]]) -> str:
    if len(payloads) == 1:
        text = headline(payloads[0]["data"])
        if payloads[0].get("type") == "funding_event.updated":
            text = "Update: " + text
    else:
        text = f"{len(payloads)} AI-video funding rounds: " + "; ".join(
            headline(p["data"]) for p in payloads[:3]
        )
    return header_value(text, SUBJECT_LIMIT)


def build_message(
    channel: EmailChannel, message_id: str, payloads: list[dict[str, Any]]
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject(payloads)
    message["From"] = channel.sender
    message["To"] = ", ".join(channel.to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id_header(message_id, channel.sender)
    message["X-Fundwatch-Alert"] = header_value(message_id, 200)
    message.set_content(text_part(payloads))
    message.add_alternative(html_part(payloads), subtype="html")
    return message


def _tls_context(channel: EmailChannel) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(channel.ca_file) if channel.ca_file else None)


def _smtp_failure(code: int, detail: str) -> Delivery:
    outcome = "retry" if 400 <= code < 500 else "failed"
    return Delivery(outcome, code, f"SMTP {code}: {detail[:300]}")


def send_email(channel: EmailChannel, message_id: str, payloads: list[dict[str, Any]]) -> Delivery:
    """Send one message (one alert, or a digest of several); never raises."""
    message = build_message(channel, message_id, payloads)
    started = time.monotonic()
    result = _deliver(channel, message)
    elapsed = (time.monotonic() - started) * 1000
    return Delivery(result.outcome, result.status_code, result.error, None, elapsed)


def _deliver(channel: EmailChannel, message: EmailMessage) -> Delivery:
    context = _tls_context(channel)
    smtp: smtplib.SMTP | None = None
    accepted = False
    try:
        if channel.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                channel.host, channel.port, timeout=channel.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(channel.host, channel.port, timeout=channel.timeout)
        smtp.ehlo()
        if channel.security == "starttls":
            if not smtp.has_extn("starttls"):
                return Delivery(
                    "retry",
                    None,
                    f"{channel.host}:{channel.port} did not offer STARTTLS; refusing to send "
                    "credentials or mail in clear text",
                )
            smtp.starttls(context=context)
            smtp.ehlo()
        if channel.username and channel.password:
            smtp.login(channel.username, channel.password.get_secret_value())
        refused = smtp.send_message(message)
        accepted = True
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        who = ", ".join(f"{rcpt} ({code})" for rcpt, (code, _) in exc.recipients.items())
        temporary = all(400 <= code < 500 for code in codes)
        return Delivery(
            "retry" if temporary else "failed",
            codes[0] if codes else None,
            f"all recipients refused: {who}",
        )
    except smtplib.SMTPResponseException as exc:
        detail = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return _smtp_failure(exc.smtp_code, detail)
    except ssl.SSLCertVerificationError as exc:
        return Delivery(
            "retry", None, f"TLS certificate of {channel.host} rejected: {exc.verify_message}"
        )
    except (smtplib.SMTPException, OSError) as exc:
        return Delivery("retry", None, f"{type(exc).__name__}: {exc or 'no answer'}")
    finally:
        if smtp is not None:
            _close(smtp, polite=accepted)
    note = f"refused: {', '.join(refused)}" if refused else None
    return Delivery("sent", 250, note)


def _close(smtp: smtplib.SMTP, *, polite: bool) -> None:
    """QUIT after success (errors ignored: the mail is accepted); just drop it otherwise."""
    if polite:
        try:
            smtp.quit()
            return
        except (smtplib.SMTPException, OSError):
            pass
    smtp.close()
