"""`fundwatch add URL`: discover feeds and sitemaps, infer a site template, print the YAML
entry and its preview (nothing is written; paste the entry into your catalog)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "add",
        help="from a homepage, category page or feed URL: print a ready catalog entry and its "
        "preview",
    )
    parser.add_argument("url", help="homepage, category/listing page or feed URL")
    parser.add_argument("--name", help="entry name (default: from the host)")
    parser.add_argument("--no-preview", action="store_true", help="print the entry only")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import yaml
    from pydantic import TypeAdapter, ValidationError

    from fundwatch.configuration import FeedSource, SitemapSource, SiteSource
    from fundwatch.crawler.discover import discover
    from fundwatch.crawler.preview import preview_source, render

    if not args.url.startswith(("http://", "https://")):
        print(f"fundwatch add: {args.url!r} is not an http(s) URL", file=sys.stderr)
        return 2
    found = discover(args.url)
    for feed in found.feeds:
        print(f"# feed: {feed}")
    for sitemap in found.sitemaps:
        news = " (Google News sitemap)" if sitemap in found.news_sitemaps else ""
        print(f"# sitemap: {sitemap}{news}")
    for note in found.notes:
        print(f"# {note}")
    if found.entry is None:
        print(f"fundwatch add: no listing, feed or sitemap found at {args.url}", file=sys.stderr)
        return 1
    if args.name:
        found.entry["name"] = args.name
    print(yaml.safe_dump({"sources": [found.entry]}, allow_unicode=True, sort_keys=False))
    try:
        source = TypeAdapter(SiteSource | FeedSource | SitemapSource).validate_python(found.entry)
    except ValidationError as exc:
        print(f"fundwatch add: the inferred entry is invalid: {exc}", file=sys.stderr)
        return 1
    if not args.no_preview:
        print(render(preview_source(source)))
    return 0
