"""Choosing the title among what a page states (og:title, JSON-LD headline, twitter:title,
<title>, the h1 and the headings shown): pages in the shapes real news sites use, written here."""

from __future__ import annotations

import json

from parsel import Selector

from fundwatch.crawler.extraction import page_title
from fundwatch.crawler.titles import choose_title, strip_site_name

URL = "https://www.dailyexample.test/news/2024/05/story"


def page(
    *,
    og: str = "",
    headline: str = "",
    twitter: str = "",
    title: str = "",
    body: str = "",
    site: str = "Daily Example",
) -> str:
    head = [f'<meta property="og:site_name" content="{site}">']
    if og:
        head.append(f'<meta property="og:title" content="{og}">')
    if twitter:
        head.append(f'<meta name="twitter:title" content="{twitter}">')
    if headline:
        data = {"@type": "NewsArticle", "headline": headline}
        head.append(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    if title:
        head.append(f"<title>{title}</title>")
    return f"<html><head>{''.join(head)}</head><body>{body}<p>Text.</p></body></html>"


def title_of(html: str) -> str:
    return page_title(Selector(html), URL)[0]


def test_a_leading_quotation_dash_is_part_of_the_title() -> None:
    # Scandinavian papers open a quoted headline with a dash: "- We will not give up"
    assert strip_site_name("- We will not give up", ["Daily Example"], URL) == (
        "- We will not give up"
    )
    html = page(
        og="- We will not give up",
        headline="- We will not give up",
        title="- We will not give up - Daily Example",
        body="<h1>- We will not give up</h1>",
    )
    assert title_of(html) == "- We will not give up"


def test_entities_in_json_ld_are_decoded_and_typographic_quotes_kept() -> None:
    # og:title ASCII-fied, the JSON-LD headline with HTML entities, the h1 as typeset
    html = page(
        og="Council calls the plan &#039;unworkable&#039;",
        headline="Council calls the plan &#8216;unworkable&#8217;",
        body="<h1>Council calls the plan \u2018unworkable\u2019</h1>",
    )
    assert title_of(html) == "Council calls the plan \u2018unworkable\u2019"


def test_quote_style_follows_most_candidates() -> None:
    html = page(
        og="Port&#039;s new crane arrives",
        headline="Port's new crane arrives",
        twitter="Port's new crane arrives",
        body="<h1>Port\u2019s new crane arrives</h1>",
    )
    assert title_of(html) == "Port's new crane arrives"


def test_og_title_and_json_ld_agreeing_outweigh_the_h1() -> None:
    html = page(
        og="Rates held: what savers should expect",
        headline="Rates held: what savers should expect",
        title="Rates held: what savers should expect from the bank | Daily Example",
        body="<h1>Rates held: what savers should expect from the bank</h1>",
    )
    assert title_of(html) == "Rates held: what savers should expect"


def test_the_visible_h1_and_json_ld_outweigh_a_social_title() -> None:
    html = page(
        og="You won't believe this harbour",
        twitter="You won't believe this harbour",
        headline="Harbour reopens after two-year rebuild",
        body="<h1>Harbour reopens after two-year rebuild</h1>",
    )
    assert title_of(html) == "Harbour reopens after two-year rebuild"


def test_a_kicker_the_metadata_states_is_kept_when_the_page_shows_none() -> None:
    html = page(
        og="Storm: Ferry service resumes",
        headline="Storm: Ferry service resumes",
        title="Storm: Ferry service resumes - Daily Example",
        body="<h1>Ferry service resumes</h1>",
    )
    assert title_of(html) == "Storm: Ferry service resumes"


def test_site_noise_around_the_h1_is_dropped() -> None:
    html = page(
        og="Ferry service resumes - Harbour Desk",
        body="<h1>Ferry service resumes</h1>",
    )
    assert title_of(html) == "Ferry service resumes"


def test_a_section_label_after_another_candidate_is_dropped() -> None:
    # "<headline>-Politics | Site" in og:title and <title>, the headline alone in JSON-LD
    html = page(
        og="시의회 예산안 통과-정치ㅣ데일리",
        twitter="시의회 예산안 통과-정치ㅣ데일리",
        title="시의회 예산안 통과-정치ㅣ데일리",
        headline="시의회 예산안 통과",
        site="데일리",
    )
    assert title_of(html) == "시의회 예산안 통과"


def test_a_subtitle_after_a_colon_is_not_a_label() -> None:
    html = page(og="Harbour reopens: what it means for ferries", headline="Harbour reopens")
    assert title_of(html) == "Harbour reopens: what it means for ferries"


def test_metadata_spacing_beats_an_h1_rebuilt_from_spans() -> None:
    html = page(
        og="Two arrested: stolen jewellery recovered - Metro Desk",
        headline="Two arrested: stolen jewellery recovered",
        body="<h1><span>Two arrested:</span>stolen jewellery recovered</h1>",
    )
    assert title_of(html) == "Two arrested: stolen jewellery recovered"


def test_kicker_and_headline_heading_gives_the_headline_the_metadata_states() -> None:
    # an SEO h1 "Kicker: headline", the shown heading as kicker + headline spans
    html = page(
        og="Mayor answers critics",
        headline="Budget row: Mayor answers critics",
        twitter="Budget row: Mayor answers critics",
        title="Budget row: Mayor answers critics - Daily Example",
        body=(
            "<h1>Budget row: Mayor answers critics</h1>"
            '<h2><span class="kicker">Budget row</span>'
            '<span class="headline">Mayor answers critics</span></h2>'
        ),
    )
    assert title_of(html) == "Mayor answers critics"


def test_an_h1_in_the_breadcrumb_trail_is_not_the_headline() -> None:
    html = page(
        og="Coach: we still believe",
        headline="Local club coach: we still believe",
        title="Local club coach: we still believe - Daily Example",
        body=(
            '<div class="article-header__crumb"><a href="/sport">Sport</a>'
            "<h1>Local club coach: we still believe</h1></div>"
            "<h2>Coach: we still believe</h2>"
        ),
    )
    assert title_of(html) == "Coach: we still believe"


def test_kicker_heading_whose_metadata_includes_the_kicker_keeps_it() -> None:
    html = page(
        og="Budget row: Mayor answers critics",
        headline="Budget row: Mayor answers critics",
        body=(
            '<h1><span class="kicker">Budget row</span>'
            '<span class="headline">Mayor answers critics</span></h1>'
        ),
    )
    assert title_of(html) == "Budget row: Mayor answers critics"


def test_the_h1_a_candidate_agrees_with_wins_over_a_logo_h1() -> None:
    html = page(
        og="Rail strike called off",
        title="Rail strike called off - photo 1 - World news: Daily Example",
        body="<h1>World news: Daily Example</h1><h1>Rail strike called off</h1>",
    )
    assert title_of(html) == "Rail strike called off"


def test_rule_names_the_agreement() -> None:
    title, rule = choose_title(
        [("Harbour reopens", "meta og:title"), ("Harbour reopens", "json-ld headline")],
        ["Harbour reopens"],
        [],
    )
    assert (title, rule) == ("Harbour reopens", "meta og:title (= h1)")
    title, rule = choose_title([("Harbour reopens", "meta og:title")], [], [])
    assert (title, rule) == ("Harbour reopens", "meta og:title (1 of 1 agree)")
    assert choose_title([], [], []) == ("", "none")
    assert choose_title([], ["Harbour reopens"], []) == ("Harbour reopens", "h1")
