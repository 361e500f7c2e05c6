"""Scrapy settings of fundwatch (`scrapy.cfg` points here).

Everything is data with a documented default. fundwatch's own settings (database, catalog) come
from the environment through `configuration.load_settings()`; the values below only shape how
Scrapy fetches. Per-source values (robots.txt, encoding) come from the catalog entry.
"""

from __future__ import annotations

from scrapy.settings.default_settings import EXTENSIONS_BASE as _scrapy_extensions

BOT_NAME = "fundwatch"

# Spiders are not modules: one class per catalog entry, made by the loader.
SPIDER_LOADER_CLASS = "fundwatch.crawler.loader.CatalogSpiderLoader"
SPIDER_MODULES: list[str] = []
NEWSPIDER_MODULE = "fundwatch.crawler.spiders"

# Identify ourselves; site owners can reach us through the URL.
USER_AGENT = "fundwatch/0.1 (+https://github.com/fundwatch/fundwatch)"

# Politeness. robots.txt is obeyed unless a source sets `obey_robots: false`.
ROBOTSTXT_OBEY = True
# robots.txt policy (crawler.middlewares.robots, RFC 9309 rather than Scrapy's allow-on-error):
# a 5xx or 429 answer, or a robots.txt that cannot be downloaded (timeout, refused, DNS error,
# larger than DOWNLOAD_MAXSIZE), disallows the whole host for that crawl ("allow" restores
# Scrapy's behaviour); a 4xx allows everything; only the first 512 KiB are parsed.
FUNDWATCH_ROBOTSTXT_UNREACHABLE = "disallow"
FUNDWATCH_ROBOTSTXT_MAX_BYTES = 512 * 1024
# A fetched robots.txt is reused for this long by later crawls of the same host: in memory in
# a worker, and in files under FUNDWATCH_ROBOTSTXT_CACHE_DIR (or the environment variable of
# that name, which the daemon sets for its crawl processes) across crawl processes; None: no
# files. 0 turns the cache off.
FUNDWATCH_ROBOTSTXT_CACHE_SECONDS = 3600
FUNDWATCH_ROBOTSTXT_CACHE_DIR = None
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
COOKIES_ENABLED = False
# Scrapy starts this many item workers (asyncio tasks) for every response, even one that yields
# one item; a page gives one article or a few dozen links. 4 instead of 16: bench/crawl.py's
# crawl process 4.51-4.75 -> 4.41-4.52 CPU s for 2,041 pages (the default, 100, cost more).
CONCURRENT_ITEMS = 4
TELNETCONSOLE_ENABLED = False

# Limits: an article page is a few hundred KB; anything beyond 10 MB is not news.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
DNS_TIMEOUT = 10
# A body shorter than its Content-Length raises ResponseDataLossError, which RETRY_EXCEPTIONS
# retries; a truncated page is never handed to the spider.
DOWNLOAD_FAIL_ON_DATALOSS = True
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 10  # a longer chain is an error; so is a loop (crawler.middlewares.redirects)
# Listing pages and feeds are fetched with If-None-Match / If-Modified-Since.
HTTPERROR_ALLOWED_CODES = [304]

# Address guard (crawler.middlewares.guard): only http(s); link-local and cloud-metadata
# addresses are always refused; loopback and private addresses are refused for any host that
# is not one of the source's configured hosts (set False only for a lab network).
FUNDWATCH_BLOCK_PRIVATE_ADDRESSES = True
# Extra hosts allowed even when they resolve to a private address.
FUNDWATCH_ALLOWED_PRIVATE_HOSTS: list[str] = []

# Where StorePipeline detects and writes articles: "process" (a child process: detection,
# fingerprinting and SQL run on another core; bench/crawl.py measured 368 vs 252 pages/s for
# "thread" on 2 cores) or "thread" (a writer thread in the crawl process; the long-lived
# workers use it).
FUNDWATCH_STORE_WORKER = "process"

# Crawl frontier (storage.frontier): an article URL whose fetch, extraction or storage failed
# stays pending and is retried by the next runs of its source (first retry: the next run, then
# after BASE, 2*BASE, 4*BASE ... seconds, at most 12 h), and is given up after MAX_ATTEMPTS
# failures (`fundwatch sources --requeue NAME` makes it pending again).
FUNDWATCH_FRONTIER_MAX_ATTEMPTS = 6
FUNDWATCH_FRONTIER_RETRY_BASE = 300
# Seconds to wait for the article writer to start before the crawl gives up (nothing fetched).
FUNDWATCH_STORE_START_TIMEOUT = 120
# Scrapy's HTTP/1.1 handler with a close() that cannot call back twice (crawler/download.py)
DOWNLOAD_HANDLERS = {
    "http": "fundwatch.crawler.download.HTTPDownloadHandler",
    "https": "fundwatch.crawler.download.HTTPDownloadHandler",
}

DOWNLOADER_MIDDLEWARES = {
    "fundwatch.crawler.middlewares.guard.AddressGuardMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "fundwatch.crawler.middlewares.robots.RobotsPolicyMiddleware": 100,
    "fundwatch.crawler.middlewares.conditional.ConditionalGetMiddleware": 580,
    # before RedirectMiddleware
    "fundwatch.crawler.middlewares.redirects.RedirectLoopMiddleware": 610,
}
ITEM_PIPELINES = {
    "fundwatch.crawler.pipelines.NormalizePipeline": 100,
    "fundwatch.crawler.outlets.OutletPipeline": 120,
    "fundwatch.crawler.health.TemplateHealthPipeline": 150,
    "fundwatch.crawler.pipelines.StorePipeline": 300,
}
EXTENSIONS = {
    "fundwatch.crawler.runs.CrawlRunExtension": 100,
}
# Scrapy's built-in extensions minus those fundwatch never uses. Listing one as None in
# EXTENSIONS is not enough: Scrapy imports every key of the map to normalize it, and Scrapy
# 2.19's remote control (scrapy.extensions.remote_control) imports aiohttp, the telnet console
# twisted.conch, the feed exporter boto/ftp helpers (~0.15 s of CPU per crawl process together).
_unused_extensions = {
    "scrapy.extensions.remote_control.RemoteControl",
    "scrapy.extensions.telnet.TelnetConsole",
    "scrapy.extensions.feedexport.FeedExporter",
    "scrapy.extensions.memdebug.MemoryDebugger",
    "scrapy.extensions.spiderstate.SpiderState",
}
EXTENSIONS_BASE = {
    name: order for name, order in _scrapy_extensions.items() if name not in _unused_extensions
}

LOG_LEVEL = "INFO"
# Scrapy's, minus the DEBUG messages of every page and item when they would be dropped
LOG_FORMATTER = "fundwatch.crawler.logformat.LogFormatter"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
