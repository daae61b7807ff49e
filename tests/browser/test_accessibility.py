"""Accessibility: axe-core finds nothing serious on any page, in the light or the dark scheme,
and the search works from the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import MATERIAL_SCHEME, assert_no_blocking_violations, scan


@pytest.fixture(scope="module")
def findings(browser, site_url, built_site):
    return scan(browser, site_url, built_site)


@pytest.mark.parametrize("scheme", MATERIAL_SCHEME)
def test_no_serious_or_critical_axe_violations(findings, scheme, built_site):
    assert_no_blocking_violations(findings[scheme], scheme, built_site)


def test_search_works_from_the_keyboard(visit, site_url):
    page = visit.open("")
    page.keyboard.press("/")  # Material's search shortcut
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.type("batch endpoint")
    results = page.locator("a.md-search-result__link")
    # Results follow each key typed: wait for those of the whole query (their links carry it).
    expect(results.first).to_have_attribute("href", re.compile(r"h=batch\+endpoint"), timeout=15_000)
    page.keyboard.press("ArrowDown")  # from the box into the results
    expect(results.first).to_be_focused()
    result_page = results.first.evaluate("link => link.origin + link.pathname")
    assert result_page == site_url + "06-deploy-models/19-batch-endpoint/"
    page.keyboard.press("Enter")
    page.wait_for_url(result_page + "**")  # Material then drops the ?h= highlight query
