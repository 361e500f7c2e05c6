"""User configuration: settings from the environment / config file and the source catalog.

The names are imported on first use (PEP 562): a process that needs only the settings (the
crawl's writer process) does not import the catalog's models and their selector checks.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fundwatch.configuration.errors import CatalogError, ConfigError
    from fundwatch.configuration.settings import Settings, load_settings
    from fundwatch.configuration.sources import (
        ArticleSelectors,
        Catalog,
        FeedSource,
        ListingSelectors,
        SitemapSource,
        SiteSource,
        Source,
        load_catalog,
    )

_WHERE = {
    "CatalogError": "errors",
    "ConfigError": "errors",
    "Settings": "settings",
    "load_settings": "settings",
    "ArticleSelectors": "sources",
    "Catalog": "sources",
    "FeedSource": "sources",
    "ListingSelectors": "sources",
    "SitemapSource": "sources",
    "SiteSource": "sources",
    "Source": "sources",
    "load_catalog": "sources",
}

__all__ = [
    "ArticleSelectors",
    "Catalog",
    "CatalogError",
    "ConfigError",
    "FeedSource",
    "ListingSelectors",
    "Settings",
    "SiteSource",
    "SitemapSource",
    "Source",
    "load_catalog",
    "load_settings",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
