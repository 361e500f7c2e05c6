"""Title rules shown on small pages written for these tests (tests/fixtures/titles): the
document <title> is not the titles of icons, a byline after the site name goes, a twitter:title
copied from og:title counts once, and a section label goes when the page's data names the
headline without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from parsel import Selector

from fundwatch.crawler.extraction import document_title, page_title
from fundwatch.crawler.structured import script_titles
from fundwatch.crawler.titles import choose_title, strip_site_name

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "titles"
URL = "https://www.harbourgazette.test/news/2024/05/story"
SITE = ["Harbour Gazette"]


def load(name: str) -> Selector:
    return Selector(text=(FIXTURES / name).read_text(encoding="utf-8"))


def title_of(name: str) -> tuple[str, str]:
    return page_title(load(name), URL)


def test_the_document_title_is_not_an_icon_title() -> None:
    selector = load("svg-icons.html")
    assert document_title(selector) == (
        "Night ferry returns to the island after a winter pause | Harbour Gazette"
    )
    assert title_of("svg-icons.html") == (
        "Night ferry returns to the island after a winter pause",
        "<title> (1 of 1 agree)",
    )


def test_a_byline_after_the_site_name_goes() -> None:
    assert title_of("byline.html")[0] == "Ferry fares rise for the second time this year"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Ferry fares rise | by Jane Doe", "Ferry fares rise"),
        ("Ferry fares rise | By JANE DOE", "Ferry fares rise"),
        # a headline's own words after a dash, not a name
        ("Ferry fares rise - by the numbers", "Ferry fares rise - by the numbers"),
        (
            "Ferry fares rise | by Jane Doe and the team",
            "Ferry fares rise | by Jane Doe and the team",
        ),
    ],
)
def test_byline_segments(title: str, expected: str) -> None:
    assert strip_site_name(title, SITE, URL) == expected


def test_a_twitter_title_copied_from_og_title_counts_once() -> None:
    # og:title and its copy in twitter:title against JSON-LD and <title>, the h1 agreeing with
    # neither: two declarations of the headline outweigh one stated twice
    assert title_of("social-copy.html") == (
        "Dredger finds a wartime anchor in the harbour mouth",
        "json-ld headline (2 of 4 agree)",
    )


def test_a_twitter_title_of_its_own_still_counts() -> None:
    # og:title 1 against JSON-LD 1 + a twitter:title of its own that agrees with it 0.5
    candidates = [
        ("Dredger finds a wartime anchor", "meta og:title"),
        ("A wartime anchor in the harbour", "meta twitter:title"),
        ("A wartime anchor in the harbour", "json-ld headline"),
    ]
    assert choose_title(candidates, [], SITE, URL)[0] == "A wartime anchor in the harbour"


def test_the_embedded_state_names_the_headline_without_its_section_label() -> None:
    selector = load("section-label-embedded.html")
    assert "시의회, 항만 예산안 첫 회의서 통과시켜" in script_titles(selector)
    assert title_of("section-label-embedded.html")[0] == "시의회, 항만 예산안 첫 회의서 통과시켜"
    assert title_of("section-label-english.html")[0] == "Council approves the new harbour budget"


def test_a_label_stays_when_nothing_names_the_headline_without_it() -> None:
    candidates = [("시의회, 항만 예산안 첫 회의서 통과시켜-정치ㅣ항구일보", "meta og:title")]
    assert choose_title(candidates, [], ["항구일보"], URL)[0] == (
        "시의회, 항만 예산안 첫 회의서 통과시켜-정치"
    )
    stated = ["시의회, 항만 예산안 첫 회의서 통과시켜"]
    assert choose_title(candidates, [], ["항구일보"], URL, stated=lambda: stated)[0] == (
        "시의회, 항만 예산안 첫 회의서 통과시켜"
    )


def test_a_short_head_before_a_dash_is_not_cut_to() -> None:
    # "Brexit - Live": the page naming "Brexit" (a tag) does not make "- Live" a label
    candidates = [("Brexit - Live", "meta og:title")]
    assert choose_title(candidates, [], SITE, URL, stated=lambda: ["Brexit"])[0] == "Brexit - Live"


def test_script_titles_are_read_only_when_a_label_could_go() -> None:
    read: list[bool] = []

    def stated() -> list[str]:
        read.append(True)
        return []

    choose_title(
        [("Council approves the new harbour budget", "meta og:title")], [], SITE, URL, stated=stated
    )
    assert read == []
    choose_title(
        [("Council approves the new harbour budget - Politics", "meta og:title")],
        [],
        SITE,
        URL,
        stated=stated,
    )
    assert read == [True]


def test_a_headline_shown_under_another_kicker_than_the_metadata_states() -> None:
    # the page shows "Harbour works" over the headline, the metadata says "Port strike: …"
    assert title_of("other-kicker.html")[0] == "«We will finish the new quay by spring»"
    html = (FIXTURES / "other-kicker.html").read_text(encoding="utf-8")
    # the metadata names the kicker the page shows: it stays (see test_title_choice)
    same_kicker = html.replace("Port strike:", "Harbour works:")
    assert page_title(Selector(text=same_kicker), URL)[0] == (
        "Harbour works: «We will finish the new quay by spring»"
    )
