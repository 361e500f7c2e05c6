"""The source catalog: YAML entries under seeds/sources validated by pydantic models.

A source is one of three kinds: `site` (listing pages -> article pages, selectors from YAML),
`feed` (RSS/Atom) and `sitemap` (incl. Google News sitemaps). Adding a site is a YAML entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from parsel import Selector
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from fundwatch.configuration.cadence import parse_duration, validate_cron
from fundwatch.configuration.errors import CatalogError

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available

NAME_PATTERN = r"^[a-z][a-z0-9_\-]{0,62}$"
_PROBE = Selector(text="<html><body></body></html>")


def check_selector(value: str) -> str:
    """Validate a CSS selector (or an XPath one written as `xpath:<expr>`)."""
    value = value.strip()
    if not value:
        raise ValueError("selector is empty")
    try:
        if value.startswith("xpath:"):
            _PROBE.xpath(value.removeprefix("xpath:"))
        else:
            _PROBE.css(value)
    except Exception as exc:  # parsel raises several selector error types
        raise ValueError(f"invalid selector {value!r}: {exc}") from None
    return value


def check_http_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value.strip()


def _duration(value: str | None) -> str | None:
    """A duration as written ("15m", "30d"), checked; None when not given."""
    if value is not None:
        parse_duration(value)
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_DOTTED = re.compile(r"[\w$@-]+(\.[\w$@-]+)*")  # keys of letters, digits, _ - $ @
_JSON_ONLY = ("items", "item_url", "item_title", "item_published")


def check_dotted_path(value: str) -> str:
    """A dotted path into a JSON document: `data.items`, `author.name`, `list.0.url`."""
    value = value.strip()
    if value != "." and not _DOTTED.fullmatch(value):
        raise ValueError(
            f"invalid dotted path {value!r}: keys joined by dots, e.g. data.items or "
            "author.name (a list index is a number: items.0.url; '.' is the whole document)"
        )
    return value


class ListingSelectors(_Strict):
    """How to find article links and the next page on a listing page.

    `format: html` (default): `article_links` and `next_page` are selectors. `format: json`
    (a listing served by an API): `items` is the dotted path to the list of articles,
    `item_url` / `item_title` / `item_published` dotted paths inside each item, `next_page`
    a dotted path to the next page's URL. `page_param` (either format) walks the pages by
    counting up a query parameter."""

    format: Literal["html", "json"] = "html"
    article_links: str | None = None
    article_url_pattern: str | None = None
    next_page: str | None = None
    page_param: str | None = None
    items: str | None = None
    item_url: str | None = None
    item_title: str | None = None
    item_published: str | None = None
    max_pages: int = Field(default=5, ge=1, le=1000)
    # how deep the first crawl of a listing walks (default: max_pages); raising max_pages
    # later makes the next crawl walk the new depth once
    initial_pages: int | None = Field(default=None, ge=1, le=1000)

    @field_validator("article_links")
    @classmethod
    def _selector(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("format") == "json":
            raise ValueError(
                "a json listing has no selectors: give items (the dotted path to the list of "
                "articles, e.g. data.items) and item_url (the path to each article's URL)"
            )
        return None if value is None else check_selector(value)

    @field_validator("next_page")
    @classmethod
    def _next_page(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        if info.data.get("format") == "json":
            return check_dotted_path(value)
        return check_selector(value)

    @field_validator(*_JSON_ONLY)
    @classmethod
    def _dotted(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        if info.data.get("format") != "json":
            raise ValueError(
                f"{info.field_name} is a dotted path into a JSON listing: only with format: json"
            )
        return check_dotted_path(value)

    @field_validator("page_param")
    @classmethod
    def _param(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[\w\-\[\]]+", value.strip()):
            raise ValueError(f"invalid query parameter name {value!r} (e.g. page, p, offset)")
        return None if value is None else value.strip()

    @field_validator("article_url_pattern")
    @classmethod
    def _pattern(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {value!r}: {exc}") from None
        return value

    @model_validator(mode="after")
    def _needs_a_way_to_links(self) -> ListingSelectors:
        if self.format == "json":
            if self.item_url is None:
                raise ValueError(
                    "a json listing needs item_url: the dotted path to each article's URL in "
                    "an item (and items: the path to the list of items, unless the document "
                    "is that list)"
                )
        elif not self.article_links and not self.article_url_pattern:
            raise ValueError("give article_links (a selector) or article_url_pattern (a regex)")
        if self.next_page and self.page_param:
            raise ValueError("give either next_page or page_param, not both")
        return self


class ArticleSelectors(_Strict):
    """Field selectors on an article page; `strip` removes boilerplate lines from the body."""

    title: str = "h1::text"
    published: str | None = None
    published_format: str | None = None
    body: str = "article"
    breadcrumb: str | None = None
    author: str | None = None
    source_link: str | None = None
    # the origin line of a repost ("来源：36氪", "來源:中央社", "原文地址:", "Source:"): a name,
    # URL or host; without it the body's own origin line is looked for (crawler/outlets.py)
    origin: str | None = None
    # the link to the article's next page when it is split over several (下一页); without it,
    # a "下一页" / "next page" link to `N_2.html` or `?page=2` is followed (crawler/article_pages)
    next_page: str | None = None
    strip: list[str] = Field(default_factory=list)

    @field_validator(
        "title", "published", "body", "breadcrumb", "author", "source_link", "origin", "next_page"
    )
    @classmethod
    def _selector(cls, value: str | None) -> str | None:
        return None if value is None else check_selector(value)


class _SourceBase(_Strict):
    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    language: str = "zh-Hans"
    timezone: str = "UTC"
    every: str | None = None
    cron: str | None = None
    jitter: str | None = None
    enabled: bool = True
    description: str = ""
    homepage: str | None = None
    encoding: str | None = None
    obey_robots: bool = True
    max_articles: int = Field(default=200, ge=1, le=100_000)
    article: ArticleSelectors | None = None

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as Asia/Shanghai)"
            ) from None
        return value

    _durations = field_validator("every", "jitter")(classmethod(lambda cls, v: _duration(v)))

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        return None if value is None else validate_cron(value)

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, value: str | None) -> str | None:
        if value is not None:
            import codecs

            try:
                codecs.lookup(value)
            except LookupError:
                raise ValueError(f"unknown encoding {value!r}") from None
        return value

    @model_validator(mode="after")
    def _one_cadence(self) -> _SourceBase:
        if self.every and self.cron:
            raise ValueError("give either every or cron, not both")
        return self

    @property
    def interval(self) -> timedelta | None:
        """The `every:` cadence; None when the source runs on `cron:`."""
        if self.cron:
            return None
        return parse_duration(self.every or "1h")

    @property
    def jitter_seconds(self) -> int:
        if self.jitter is not None:
            return int(parse_duration(self.jitter).total_seconds())
        interval = self.interval
        return min(300, int(interval.total_seconds() * 0.1)) if interval else 60

    @property
    def cadence_label(self) -> str:
        return f"cron {self.cron}" if self.cron else f"every {self.every or '1h'}"

    @property
    def domains(self) -> list[str]:
        hosts = {urlsplit(url).hostname or "" for url in self.entry_urls}
        return sorted(host for host in hosts if host)

    @property
    def entry_urls(self) -> list[str]:
        raise NotImplementedError


class SiteSource(_SourceBase):
    kind: Literal["site"]
    start_urls: list[str] = Field(min_length=1)
    listing: ListingSelectors
    article: ArticleSelectors = Field(default_factory=ArticleSelectors)

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, value: list[str]) -> list[str]:
        return [check_http_url(url) for url in value]

    @property
    def entry_urls(self) -> list[str]:
        return list(self.start_urls)


class FeedSource(_SourceBase):
    kind: Literal["feed"]
    url: str
    fetch_articles: bool = True

    _url = field_validator("url")(classmethod(lambda cls, v: check_http_url(v)))

    @property
    def entry_urls(self) -> list[str]:
        return [self.url]


class SitemapSource(_SourceBase):
    kind: Literal["sitemap"]
    url: str
    url_pattern: str | None = None
    news_only: bool = False
    # skip child sitemaps and URLs whose <lastmod> (or news:publication_date) is older than
    # this (e.g. 30d): an index that keeps years of monthly sitemaps is not read whole
    max_age: str | None = None

    _url = field_validator("url")(classmethod(lambda cls, v: check_http_url(v)))

    _age = field_validator("max_age")(classmethod(lambda cls, v: _duration(v)))

    @field_validator("url_pattern")
    @classmethod
    def _pattern(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {value!r}: {exc}") from None
        return value

    @property
    def max_age_delta(self) -> timedelta | None:
        return parse_duration(self.max_age) if self.max_age else None

    @property
    def entry_urls(self) -> list[str]:
        return [self.url]


Source = Annotated[SiteSource | FeedSource | SitemapSource, Field(discriminator="kind")]
_SOURCE_ADAPTER: TypeAdapter[SiteSource | FeedSource | SitemapSource] = TypeAdapter(Source)


class Catalog:
    """All sources, by name, with the file each came from."""

    def __init__(self, sources: list[tuple[Path, SiteSource | FeedSource | SitemapSource]]) -> None:
        self._by_name = {source.name: source for _, source in sources}
        self._files = {source.name: path for path, source in sources}

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    @property
    def names(self) -> list[str]:
        return list(self._by_name)

    def get(self, name: str) -> SiteSource | FeedSource | SitemapSource:
        try:
            return self._by_name[name]
        except KeyError:
            known = ", ".join(sorted(self._by_name)) or "none"
            raise KeyError(f"no source named {name!r} in the catalog (known: {known})") from None

    def file_of(self, name: str) -> Path:
        return self._files[name]

    def site_template_for(self, url: str) -> SiteSource | None:
        """The site entry whose domain serves this URL, if any (used by feeds and sitemaps)."""
        host = (urlsplit(url).hostname or "").lower()
        for source in self._by_name.values():
            if isinstance(source, SiteSource) and any(
                host == domain or host.endswith("." + domain) for domain in source.domains
            ):
                return source
        return None


def _catalog_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise CatalogError([f"{path}: no such file or folder (set FUNDWATCH_SEEDS to the catalog)"])
    folder = path / "sources" if (path / "sources").is_dir() else path
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _entries_of(path: Path, data: Any) -> list[Any]:
    if data is None:
        return []
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "sources" in data:
        entries = data["sources"]
        if not isinstance(entries, list):
            raise CatalogError([f"{path}: 'sources' must be a list of entries"])
        return entries
    if isinstance(data, dict) and "name" in data:
        return [data]
    raise CatalogError([f"{path}: expected a list of source entries or a mapping with 'sources:'"])


def _field_path(loc: tuple[Any, ...]) -> str:
    # the first element is the discriminator tag (site/feed/sitemap) for union errors
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("site", "feed", "sitemap"):
        parts = parts[1:]
    return ".".join(parts) or "(entry)"


def _describe(path: Path, index: int, entry: Any, error: ValidationError) -> list[str]:
    label = f"entry {index + 1}"
    if isinstance(entry, dict) and isinstance(entry.get("name"), str):
        label += f" '{entry['name']}'"
    problems = []
    for item in error.errors(include_url=False):
        field = _field_path(item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field (check the spelling; see README 'Adding a source')"
        elif item["type"] == "union_tag_invalid" or item["type"] == "union_tag_not_found":
            field = "kind"
            message = "must be one of: site, feed, sitemap"
        problems.append(f"{path}: {label}: field '{field}': {message}")
    return problems


@dataclass(frozen=True)
class EntryProblem:
    """One catalog entry (or a whole file) that is invalid; `name` when the entry has one."""

    name: str | None
    file: Path
    message: str


def load_catalog(path: Path) -> Catalog:
    """Read and validate every catalog file; raise CatalogError listing every problem."""
    catalog, problems = load_catalog_leniently(path)
    if problems:
        raise CatalogError([problem.message for problem in problems])
    return catalog


def load_catalog_leniently(path: Path) -> tuple[Catalog, list[EntryProblem]]:
    """The valid entries, and each invalid entry's problems: one bad entry disables only
    itself (the daemon and crawls run every valid source and report the rest). A missing
    catalog folder is still an error."""
    problems: list[EntryProblem] = []
    loaded: list[tuple[Path, SiteSource | FeedSource | SitemapSource]] = []
    seen: dict[str, Path] = {}
    for file in _catalog_files(path):
        try:
            data = yaml.load(file.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
            entries = _entries_of(file, data)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark is not None else ""
            problems.append(
                EntryProblem(
                    None, file, f"{file}:{where} not valid YAML: {getattr(exc, 'problem', exc)}"
                )
            )
            continue
        except UnicodeDecodeError:
            problems.append(EntryProblem(None, file, f"{file}: not UTF-8 text"))
            continue
        except CatalogError as exc:
            problems.extend(EntryProblem(None, file, text) for text in exc.problems)
            continue
        for index, entry in enumerate(entries):
            name = entry.get("name") if isinstance(entry, dict) else None
            name = name if isinstance(name, str) else None
            if not isinstance(entry, dict):
                problems.append(
                    EntryProblem(
                        None, file, f"{file}: entry {index + 1}: expected a mapping, got {entry!r}"
                    )
                )
                continue
            try:
                source = _SOURCE_ADAPTER.validate_python(entry)
            except ValidationError as exc:
                problems.extend(
                    EntryProblem(name, file, text) for text in _describe(file, index, entry, exc)
                )
                continue
            if source.name in seen:
                problems.append(
                    EntryProblem(
                        name,
                        file,
                        f"{file}: entry {index + 1} '{source.name}': field 'name': "
                        f"duplicate name, already defined in {seen[source.name]}",
                    )
                )
                continue
            seen[source.name] = file
            loaded.append((file, source))
    return Catalog(loaded), problems
