"""Layout on a wide screen and on a phone: code that fits, nothing past the screen's edge,
tables that keep their key column, diagrams drawn large enough to read."""

import pytest

from tests.browser.axe import html_pages

WIDE, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
CODE_BLOCKS = ".md-content pre > code, .md-content .highlight-ipynb pre"


@pytest.fixture(scope="module")
def pages(built_site) -> list[str]:
    return html_pages(built_site)


def open_page(browser, site_url, viewport, path):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(site_url + path, wait_until="load")
    return context, page


def test_at_most_five_percent_of_code_blocks_scroll_sideways_at_1440(browser, site_url, pages):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    blocks = []
    for path in pages:
        page.goto(site_url + path, wait_until="load")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        blocks += page.eval_on_selector_all(CODE_BLOCKS, "codes => codes.map(c => c.scrollWidth > c.clientWidth + 1)")
    context.close()
    assert len(blocks) > 300
    assert sum(blocks) / len(blocks) <= 0.05, f"{sum(blocks)} of {len(blocks)} code blocks scroll sideways"


def test_nothing_is_wider_than_a_phone(browser, site_url, pages):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    too_wide = {}
    for path in pages:
        page.goto(site_url + path, wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    context.close()
    assert too_wide == {}


@pytest.mark.parametrize("path", ["", "exam-map/"])
def test_tables_keep_their_key_column_readable_on_a_phone(browser, site_url, path):
    context, page = open_page(browser, site_url, PHONE, path)
    keys = page.eval_on_selector_all(
        ".md-typeset__scrollwrap table tbody tr td:first-child",
        "cells => cells.map(c => { const r = c.getBoundingClientRect(); return [r.left, r.right, r.width]; })")
    context.close()
    assert keys
    assert all(left >= 0 and right <= PHONE["width"] and width >= 100 for left, right, width in keys)


def test_diagrams_are_drawn_at_least_at_65_percent_on_a_phone(browser, site_url):
    context, page = open_page(browser, site_url, PHONE, "05-manage-models/17-responsible-ai-dashboard/")
    image = page.locator("figure.diagram img.diagram-light")
    image.scroll_into_view_if_needed()
    scale = image.evaluate("i => i.getBoundingClientRect().width / Number(i.getAttribute('width'))")
    context.close()
    assert scale >= 0.64
