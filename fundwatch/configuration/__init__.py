"""User configuration: settings from the environment / config file and the source catalog."""

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
