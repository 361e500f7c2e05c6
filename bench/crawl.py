"""Crawl benchmark: the full pipeline vs a bare spider on a generated local site, then a re-crawl.

    python bench/crawl.py [--articles 2000] [--per-page 50] [--rounds 3]

1. Generates a site shaped like the seed site (one listing with N/per-page pages, N articles)
   and serves it with the fixture server on 127.0.0.1.
2. Bare spider (fetch only: same listing and article requests, no extraction, no pipeline,
   no database) and `fundwatch crawl` (extraction -> normalize -> detect -> store into a
   fresh SQLite file) on the same site, interleaved (bare, full, bare, full, ...) so that both
   sides see the same machine load; prints for each round the load average, pages/s and the
   CPU seconds of each side (all processes it started), and the median ratio (target >= 0.75).
3. Re-crawls the unchanged site: prints article pages fetched (target 0) and wall time vs the
   first crawl.
Both crawls use the same Scrapy settings (no download delay, AutoThrottle off, 16 per domain).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from harness.server import RunningServer  # noqa: E402

SPEED = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
}
WORDS = [
    "卖家",
    "平台",
    "物流",
    "仓库",
    "订单",
    "客户",
    "市场",
    "价格",
    "成本",
    "利润",
    "广告",
    "流量",
    "品牌",
    "产品",
    "工厂",
    "供应链",
    "海外",
    "退货",
    "评价",
    "库存",
    "运费",
    "关税",
    "汇率",
    "旺季",
    "淡季",
    "直播",
    "短视频",
    "用户",
    "数据",
    "团队",
    "运营",
    "服务",
    "支付",
    "结算",
    "欧洲",
    "北美",
    "东南亚",
    "中东",
    "拉美",
    "日本",
    "韩国",
    "澳洲",
    "今年",
    "去年",
    "下半年",
    "第一季度",
    "同比",
    "环比",
    "增长",
    "下降",
    "明显",
    "稳定",
    "调整",
    "优化",
    "扩大",
    "缩减",
    "提升",
    "降低",
    "计划",
    "推出",
    "上线",
    "测试",
    "合作",
    "签约",
    "开设",
    "关闭",
    "迁移",
    "系统",
    "工具",
    "软件",
    "模型",
    "算法",
    "自动化",
    "人工智能",
    "翻译",
    "客服",
    "设计",
    "包装",
    "质检",
    "认证",
    "合规",
    "税务",
    "中小企业",
    "头部公司",
    "新手",
    "老店",
    "代运营",
    "服务商",
    "协会",
    "展会",
    "园区",
    "港口",
    "航线",
    "快递",
    "专线",
    "海运",
    "空运",
    "家居",
    "服装",
    "鞋包",
    "电子",
    "玩具",
    "宠物",
    "美妆",
    "母婴",
    "户外",
    "运动",
    "厨房",
    "园艺",
    "汽配",
    "灯具",
    "文具",
    "乐器",
]
FUNDING = (
    "{company}宣布完成{amount}万元{round}融资，由{investor}领投，资金将用于AI视频生成模型研发。"
)


def _sentence(rng: random.Random) -> str:
    """Common words mixed with random CJK characters, so that articles differ like real ones
    (a small vocabulary alone makes every article a near-duplicate of every other)."""
    parts = []
    for _ in range(rng.randint(8, 16)):
        if rng.random() < 0.5:
            parts.append(rng.choice(WORDS))
        else:
            parts.append("".join(chr(0x4E00 + rng.randrange(6000)) for _ in range(2)))
    return "".join(parts) + "。"


def generate_site(root: Path, count: int, per_page: int) -> None:

    rng = random.Random(7)
    site = root / "bench"
    site.mkdir(parents=True)
    for number in range(1, count + 1):
        company = f"测试{number}号科技"
        paragraphs = ["".join(_sentence(rng) for _ in range(3)) for _ in range(5)]
        if number % 10 == 0:  # one in ten is a funding story
            paragraphs.insert(
                0,
                FUNDING.format(
                    company=company,
                    amount=rng.randint(500, 90000),
                    round=rng.choice(["天使轮", "A轮", "B轮"]),
                    investor=f"资本{rng.randint(1, 300)}号",
                ),
            )
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        title = f"{company}：{_sentence(rng)[:-1]}"
        (site / f"{100000 + number}.html").write_text(
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>'
            '<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/bench/">快讯</a></div>'
            f'<h1 class="article-title">{title}</h1>'
            f'<div class="article-meta"><span class="time">2024-03-22 12:{number % 60:02d}</span>'
            '<span class="author">编辑</span></div>'
            f'<div class="article-content">{body}<p>原文地址:https://news.example.org/{number}</p>'
            "<p>欢迎分享,转载请注明来源:测试站</p></div></body></html>",
            "utf-8",
        )
    pages = (count + per_page - 1) // per_page
    for page in range(1, pages + 1):
        first = count - (page - 1) * per_page
        ids = range(first, max(first - per_page, 0), -1)
        links = "".join(f'<li><a href="/bench/{100000 + n}.html">第{n}篇</a></li>' for n in ids)
        pager = (
            f'<div class="pagination"><a class="next" href="/bench/page/{page + 1}/">'
            "下一页</a></div>"
            if page < pages
            else ""
        )
        folder = site if page == 1 else site / "page" / str(page)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(
            '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
            f'<ul class="article-list">{links}</ul>{pager}</body></html>',
            "utf-8",
        )
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")


def write_catalog(path: Path, base: str, count: int) -> None:
    seed = yaml.safe_load((REPO / "seeds" / "sources" / "jinhanchuan.yaml").read_text("utf-8"))
    entry = dict(seed["sources"][0])
    entry.update(
        name="bench",
        start_urls=[f"{base}/bench/"],
        max_articles=count,
        listing=dict(entry["listing"], max_pages=1000),
    )
    path.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True), "utf-8")


BARE = """
import json, sys
sys.path.insert(0, %r)
from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

class Bare(Spider):
    name = "bare"
    def __init__(self, start, **kw):
        super().__init__(**kw)
        self.start_url = start
    async def start(self):
        yield Request(self.start_url, callback=self.parse_listing)
    def parse_listing(self, response):
        for href in response.css(".article-list a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_article)
        nxt = response.css(".pagination a.next::attr(href)").get()
        if nxt:
            yield response.follow(nxt, callback=self.parse_listing)
    def parse_article(self, response):
        return None

settings = Settings()
settings.setmodule("fundwatch.crawler.settings", priority="project")
settings.set("SPIDER_LOADER_CLASS", "scrapy.spiderloader.SpiderLoader")
settings.set("ITEM_PIPELINES", {})
settings.set("EXTENSIONS", {})
settings.set("DOWNLOADER_MIDDLEWARES", {})
settings.set("LOG_LEVEL", "WARNING")
for assignment in sys.argv[2:]:
    name, _, value = assignment.partition("=")
    settings.set(name, value)
process = CrawlerProcess(settings)
crawler = process.create_crawler(Bare)
process.crawl(crawler, start=sys.argv[1])
process.start()
stats = crawler.stats.get_stats()
print(json.dumps({"pages": stats.get("response_received_count", 0),
                  "seconds": stats.get("elapsed_time_seconds", 0.0)}))
"""


def child_cpu_seconds() -> float:
    """CPU time of every waited-for descendant so far (the writer process included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_bare(base: str, folder: Path) -> tuple[int, float]:
    script = folder / "bare_spider.py"  # a file: Scrapy inspects callback source code
    script.write_text(BARE % str(REPO), "utf-8")
    done = subprocess.run(
        [sys.executable, str(script), f"{base}/bench/", *(f"{k}={v}" for k, v in SPEED.items())],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return int(figures["pages"]), float(figures["seconds"])


def run_full(env: dict[str, str], store: str) -> tuple[int, float, float, str]:
    command = [
        sys.executable,
        "-m",
        "fundwatch",
        "crawl",
        "bench",
        "-s",
        f"FUNDWATCH_STORE_WORKER={store}",
    ]
    for name, value in SPEED.items():
        command += ["-s", f"{name}={value}"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"fundwatch crawl failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    from sqlalchemy import select

    from fundwatch.storage import CrawlRun, create_db_engine, session_factory

    engine = create_db_engine(env["FUNDWATCH_DATABASE_URL"])
    with session_factory(engine)() as session:
        run = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
        assert run is not None and run.finished_at is not None
        seconds = (run.finished_at - run.started_at).total_seconds()
        pages = run.pages
    engine.dispose()
    return pages, seconds, wall, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--per-page", type=int, default=50)
    parser.add_argument(
        "--store",
        choices=("process", "thread"),
        default="process",
        help="FUNDWATCH_STORE_WORKER for the full crawl",
    )
    parser.add_argument("--rounds", type=int, default=3, help="bare/full pairs, interleaved")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fundwatch-bench-") as folder:
        tmp = Path(folder)
        root = tmp / "www"
        generate_site(root, args.articles, args.per_page)
        with RunningServer(root) as server:
            catalog = tmp / "catalog.yaml"
            write_catalog(catalog, server.base, args.articles)
            env = dict(
                os.environ,
                FUNDWATCH_SEEDS=str(catalog),
                FUNDWATCH_DATABASE_URL=f"sqlite:///{tmp / 'bench.db'}",
                PYTHONPATH=str(REPO),
            )
            rounds = []
            for number in range(1, args.rounds + 1):
                load = os.getloadavg()[0]
                cpu = child_cpu_seconds()
                bare_pages, bare_seconds = run_bare(server.base, tmp)
                bare_cpu = child_cpu_seconds() - cpu
                database = tmp / f"bench-{number}.db"
                env["FUNDWATCH_DATABASE_URL"] = f"sqlite:///{database}"
                cpu = child_cpu_seconds()
                pages, seconds, wall, summary = run_full(env, args.store)
                full_cpu = child_cpu_seconds() - cpu
                ratio = (pages / seconds) / (bare_pages / bare_seconds)
                rounds.append(ratio)
                print(
                    f"round {number}: load {load:.2f} | bare {bare_pages} pages "
                    f"{bare_pages / bare_seconds:.0f} pages/s, {bare_cpu:.2f} CPU s | full "
                    f"{pages} pages {pages / seconds:.0f} pages/s, {full_cpu:.2f} CPU s "
                    f"(wall {wall:.2f} s) | ratio {ratio:.2f}",
                    flush=True,
                )
            server.clear_log()
            again_pages, again_seconds, again_wall, again_summary = run_full(env, args.store)
            article_hits = [p for p in server.paths() if p.endswith(".html")]
    print(
        f"site: {args.articles} articles, {args.per_page} per listing page, on 127.0.0.1; "
        f"articles stored by a {args.store}; {os.cpu_count()} CPUs"
    )
    print(f"  last full crawl: {summary}")
    print(
        f"ratio full/bare: median {statistics.median(rounds):.2f} over {len(rounds)} rounds "
        f"(min {min(rounds):.2f}, max {max(rounds):.2f}; target >= 0.75)"
    )
    print(
        f"re-crawl of the unchanged site: {len(article_hits)} article pages fetched (target 0), "
        f"{again_pages} responses, crawl {again_seconds:.2f} s vs {seconds:.2f} s "
        f"(process wall {again_wall:.2f} s vs {wall:.2f} s)"
    )
    print(f"  {again_summary}")


if __name__ == "__main__":
    main()
