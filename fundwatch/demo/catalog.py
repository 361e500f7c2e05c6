"""The demo's configuration, written at run time: a catalog pointing at the local demo site
and feed, and an alert channels file pointing at the local webhook receiver."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import yaml

from fundwatch.configuration import load_catalog
from fundwatch.configuration.settings import DEFAULT_SEEDS
from fundwatch.demo.content import FEED_PATH, DemoContent

SITE_SOURCE = "demo_site"
FEED_SOURCE = "demo_wire"
DEMO_SOURCES = (SITE_SOURCE, FEED_SOURCE)
TEMPLATE_SOURCE = "jinhanchuan"
CHANNEL_NAME = "demo-webhook"
SECRET_VARIABLE = "FUNDWATCH_DEMO_WEBHOOK_SECRET"


def template_selectors(seeds: Path = DEFAULT_SEEDS) -> dict[str, Any]:
    """The `listing` and `article` selectors of the seed-site template, as catalog data."""
    template = load_catalog(seeds / "sources" / f"{TEMPLATE_SOURCE}.yaml").get(TEMPLATE_SOURCE)
    return {
        "listing": template.listing.model_dump(exclude_none=True),  # type: ignore[union-attr]
        "article": template.article.model_dump(exclude_none=True),  # type: ignore[union-attr]
    }


def demo_catalog(content: DemoContent, base_url: str) -> dict[str, Any]:
    """One `site` entry (the jinhanchuan template's selectors) and one `feed` entry."""
    return {
        "sources": [
            {
                "name": SITE_SOURCE,
                "kind": "site",
                "description": f"{content.site_name} — the bundled demo site (seed-site template)",
                "homepage": f"{base_url}/",
                "language": "zh-Hans",
                "timezone": "Asia/Shanghai",
                "every": "30m",
                "start_urls": [f"{base_url}/{c.slug}/" for c in content.categories],
                **template_selectors(),
            },
            {
                "name": FEED_SOURCE,
                "kind": "feed",
                "description": content.feed_title,
                "homepage": f"{base_url}/wire/",
                "url": base_url + FEED_PATH,
                "language": "en",
                "timezone": "UTC",
                "every": "15m",
            },
        ]
    }


def write_demo_seeds(folder: Path, content: DemoContent, base_url: str) -> Path:
    """Write `<folder>/sources/demo.yaml`; returns the folder to use as FUNDWATCH_SEEDS."""
    sources = folder / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    text = (
        "# Written by `fundwatch demo`: the bundled demo site and feed on this machine.\n"
        + yaml.safe_dump(demo_catalog(content, base_url), allow_unicode=True, sort_keys=False)
    )
    (sources / "demo.yaml").write_text(text, encoding="utf-8")
    return folder


def new_webhook_secret() -> str:
    return "whsec_" + base64.b64encode(os.urandom(24)).decode("ascii")


def write_alert_channels(path: Path, receiver_url: str) -> Path:
    """A channels file with one webhook channel; its secret is read from SECRET_VARIABLE."""
    channels = {
        "channels": [
            {
                "name": CHANNEL_NAME,
                "type": "webhook",
                "url": receiver_url,
                "secret": "${" + SECRET_VARIABLE + "}",
                "timeout": "5s",
                "deadline": "10s",
                "retry": {"initial": "1s", "max_delay": "5s", "give_up_after": "2m"},
            }
        ]
    }
    path.write_text(
        "# Written by `fundwatch demo`: alerts go to its local webhook receiver.\n"
        + yaml.safe_dump(channels, sort_keys=False),
        encoding="utf-8",
    )
    return path
