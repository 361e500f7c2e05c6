"""`fundwatch redetect` on a filled database: seconds to plan and to apply, per article.

    python bench/redetect.py                      # 2,000 briefs in a temporary SQLite file
    python bench/redetect.py --articles 5000 --database-url postgresql+psycopg://postgres@127.0.0.1/bench

Stores formulaic funding briefs (English and Chinese, many companies, some reposts) with the
shipped keyword lists, then re-detects all of them: detection, planning (loading and regrouping)
and applying are timed apart. Prints the figures; asserts nothing. The PostgreSQL database must
exist and be empty.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from fundwatch import records
from fundwatch.configuration.settings import DEFAULT_SEEDS
from fundwatch.crawler.verdict import judge
from fundwatch.detection import load_detector
from fundwatch.storage import Article, create_db_engine, session_factory
from fundwatch.storage.ingest import ingest_article
from fundwatch.storage.redetect import apply_plan, lock_events, plan_redetect

EN = (
    "{c} raises ${m} million {r} for AI video generation",
    "{c}, a startup building AI video generation tools for marketing teams, has raised ${m} "
    "million in a {r} round led by {l}. The company will use the funds to grow its research "
    "team. Founded in 2023, {c} turns scripts into short videos with generated footage.",
)
ZH = (
    "{c}完成{m}万元{r}融资,{l}领投",
    "AI视频生成公司{c}近日完成{m}万元{r}融资,本轮由{l}领投。本轮融资将用于模型研发和海外市场拓展。"
    "{c}成立于2023年,专注于AI视频生成技术,为品牌客户提供从脚本到成片的视频创作工具。",
)
SYLLABLES = ["var", "fen", "lum", "zor", "kip", "tal", "mer", "dov", "ryn", "sol", "quin", "bex"]
HANZI = "影幻星绘帧光图灵云智象锐"
ROUNDS_EN = ["seed", "pre-Series A", "Series A", "Series B"]
ROUNDS_ZH = ["天使轮", "Pre-A轮", "A轮", "B轮"]
LEADS = ["Stonebridge Capital", "Redpine Capital", "Northgate Ventures", "Cedar Partners"]


def brief(rng: random.Random, n: int) -> tuple[str, str]:
    if n % 2:
        name = "".join(rng.sample(HANZI, 2)) + "科技" + str(n)
        title, body = ZH
        values = {"c": name, "m": rng.randint(1, 90) * 1000, "r": rng.choice(ROUNDS_ZH)}
    else:
        name = ("".join(rng.sample(SYLLABLES, 2)) + f"vid{n}").capitalize()
        title, body = EN
        values = {"c": name, "m": rng.randint(2, 90), "r": rng.choice(ROUNDS_EN)}
    values["l"] = rng.choice(LEADS)
    return title.format(**values), body.format(**values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        sessions = session_factory(create_db_engine(url))
        detector = load_detector(DEFAULT_SEEDS / "detection")
        rng = random.Random(7)
        day = datetime(2026, 1, 1, tzinfo=UTC)
        started = time.perf_counter()
        texts: list[tuple[str, str]] = []
        for n in range(args.articles):
            if n % 10 == 9:  # every tenth: a repost of an earlier brief with a new title
                title, body = texts[n - 3]
                title, body = f"Repost: {title}", f"{body} (via Tech Wire)"
            else:
                title, body = brief(rng, n)
            texts.append((title, body))
            verdict = judge(detector, title, body, None)
            article = records.Article(
                url=f"https://outlet{n % 7}.example/{n}",
                source=f"outlet{n % 7}.example",
                title=title,
                body=body,
                published_at=day + timedelta(hours=n),
                detection=verdict.detection,
            )
            with sessions.begin() as session:
                ingest_article(session, article)
        filled = time.perf_counter() - started

        started = time.perf_counter()
        with sessions() as session:
            texts = session.execute(select(Article.id, Article.title, Article.body)).all()
        detections = {r.id: judge(detector, r.title, r.body, None).detection for r in texts}
        detected = time.perf_counter() - started
        with sessions.begin() as session:
            lock_events(session)
            started = time.perf_counter()
            plan = plan_redetect(session, detections)
            planned = time.perf_counter() - started
            started = time.perf_counter()
            applied = apply_plan(session, plan)
            writing = time.perf_counter() - started
        n = len(detections)
        print(
            f"database: {url.split(':')[0]}; articles: {n}; events: {len(plan.regrouping.groups)}"
        )
        print(f"fill (detect + ingest): {filled:.1f} s")
        print(f"re-detect: {detected:.2f} s ({detected / n * 1000:.2f} ms/article)")
        print(f"plan (load + regroup): {planned:.2f} s ({planned / n * 1000:.2f} ms/article)")
        print(f"apply: {writing:.2f} s ({writing / n * 1000:.2f} ms/article)")
        print(f"changes: {len(plan.regrouping.changes)} events; {applied}")
        with sessions.begin() as session:
            started = time.perf_counter()
            again = apply_plan(session, plan_redetect(session, detections))
            took = time.perf_counter() - started
            print(f"second run (plan + apply, nothing to change): {took:.2f} s; {again}")


if __name__ == "__main__":
    main()
