"""Readers search for SDK names and exam terms: the right chapter must come up in the top three."""

from pathlib import Path

import pytest
import yaml

from tests.site.pages import DOCS

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text())
CHAPTER_URLS = {int(p.name[:2]): f"{p.parent.name}/{p.stem}/" for p in DOCS.glob("0[1-7]-*/[0-2][0-9]-*.md")}
REQUIRED_HIT_RATE = 0.95


def top_pages(page, query: str, count: int = 3) -> list[str]:
    """The site's own search box: type the query, wait for its results, read the first pages."""
    box = page.locator("input.md-search__input")
    page.evaluate("() => document.querySelector('.md-search-result__list').replaceChildren()")
    box.fill(query)
    box.press("End")  # a key press, as when typing, makes the search run
    page.wait_for_function("() => document.querySelector('.md-search-result__list').children.length > 0")
    links = page.eval_on_selector_all(
        "li.md-search-result__item > a.md-search-result__link", "links => links.map(a => a.href)"
    )
    pages = dict.fromkeys(link.split("#")[0].split("?")[0] for link in links)  # first pages, in order
    return list(pages)[:count]


@pytest.fixture(scope="module")
def search_results(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url, wait_until="networkidle")
    page.keyboard.press("/")  # the search shortcut opens and focuses the box
    results = {query: top_pages(page, query) for query in QUERIES}
    context.close()
    return results


def test_at_least_40_queries_cover_every_chapter():
    assert len(QUERIES) >= 40
    assert set(QUERIES.values()) == set(CHAPTER_URLS)


def test_the_right_chapter_is_in_the_top_three(search_results, site_url):
    misses = {
        query: [url.removeprefix(site_url) for url in found]
        for query, found in search_results.items()
        if site_url + CHAPTER_URLS[QUERIES[query]] not in found
    }
    hit_rate = 1 - len(misses) / len(QUERIES)
    assert hit_rate >= REQUIRED_HIT_RATE, f"hit rate {hit_rate:.0%}; misses: {misses}"


@pytest.mark.parametrize("query", ["data drift", "DefaultAzureCredential", "az ml compute create",
                                   "blue green deployment"])
def test_these_find_their_chapter_in_the_top_three(search_results, site_url, query):
    assert site_url + CHAPTER_URLS[QUERIES[query]] in search_results[query]
