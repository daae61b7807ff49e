"""What a reader sees in Chromium: diagrams, tabs, copy buttons, hover definitions."""

import re
import textwrap

from tests.site.pages import DOCS, SNIPPETS
from tests.site.tabs import all_tab_groups

DIAGRAM_PAGE = "01-design-ml-solution/01-data-ingestion/"
TABS_PAGE = "02-workspace/08-compute-targets/"


def shown_diagram(page) -> dict:
    """The diagram image the reader sees: its file and whether it was drawn."""
    return page.eval_on_selector_all(
        "figure.diagram img",
        "images => images.filter(i => i.checkVisibility()).map(i => ({src: i.currentSrc, drawn: i.naturalWidth > 0}))",
    )


def test_diagrams_show_the_svg_for_the_colour_scheme(visit):
    page = visit.open(DIAGRAM_PAGE)
    page.locator("figure.diagram").scroll_into_view_if_needed()
    page.wait_for_function("[...document.querySelectorAll('figure.diagram img')].some(i => i.naturalWidth > 0)")
    assert [(d["src"].rsplit("/", 1)[-1], d["drawn"]) for d in shown_diagram(page)] == [("01-data-ingestion.svg", True)]
    page.locator("label[for='__palette_1']").click()  # Material's toggle: switch to dark mode
    page.wait_for_function("[...document.querySelectorAll('.diagram-dark')].some(i => i.naturalWidth > 0)")
    assert [(d["src"].rsplit("/", 1)[-1], d["drawn"]) for d in shown_diagram(page)] == [
        ("01-data-ingestion.dark.svg", True)]


def test_no_page_loads_mermaid(visit):
    visit.open(DIAGRAM_PAGE)
    assert not [url for url in visit.requests if "mermaid" in url]


def test_abbreviations_have_hover_definitions(visit):
    page = visit.open("01-design-ml-solution/03-deployment-solution/")
    titles = page.eval_on_selector_all("abbr[title]", "nodes => nodes.map(n => n.textContent + ': ' + n.title)")
    assert any(title.startswith("AKS: ") for title in titles), titles


def test_copy_button_copies_exactly_the_snippet(visit):
    page = visit.open(TABS_PAGE)
    block = page.locator("div.language-python", has_text="AmlCompute(").first
    block.hover()
    block.locator('button[data-md-type="copy"]').click()
    copied = page.evaluate("navigator.clipboard.readText()")
    source = (SNIPPETS / "ch08_compute_targets/compute_cluster.py").read_text()
    shown = source.split("# --8<-- [start:cluster]\n")[1].split("# --8<-- [end:cluster]")[0]
    assert copied.strip("\n") == textwrap.dedent(shown).strip("\n")


def test_tabs_switch_together_and_stay_linked_across_pages(visit):
    pages_with_tabs = sorted({group.page for group in all_tab_groups()})
    assert len(pages_with_tabs) >= 2
    first, second = (p.relative_to(p.parents[1]).with_suffix("").as_posix() + "/" for p in pages_with_tabs[:2])
    page = visit.open(first)
    assert _selected_labels(page) == {"Python SDK"}
    page.locator(".tabbed-labels label", has_text="YAML").first.click()
    assert _selected_labels(page) == {"YAML"}
    page = visit.open(second)
    assert _selected_labels(page) == {"YAML"}


def _selected_labels(page) -> set[str]:
    return set(page.evaluate("""() => [...document.querySelectorAll('.tabbed-set')].map(set => {
        const checked = set.querySelector(':scope > input:checked');
        return set.querySelector(`label[for="${checked.id}"]`).textContent.trim();
    })"""))


def test_a_definition_shows_when_tapped_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + "01-design-ml-solution/03-deployment-solution/", wait_until="networkidle")
    term = page.locator("article > p abbr").first
    term.tap()
    page.wait_for_selector(".md-tooltip2--active")
    definitions = (DOCS / "includes" / "abbreviations.md").read_text(encoding="utf-8")
    definition = re.search(rf"^\*\[{re.escape(term.inner_text())}\]: (.+)$", definitions, re.M)[1]
    assert page.locator(".md-tooltip2--active").inner_text() == definition
    context.close()


def _colours(page) -> dict:
    """The scheme the page shows and what it tells the browser (overrides/partials/javascripts/palette.html)."""
    return page.evaluate("""() => ({
        scheme: document.body.dataset.mdColorScheme,
        meta: document.querySelector('meta[name=color-scheme]').content,
        bar: document.querySelector('meta[name=theme-color]').content,
        header: getComputedStyle(document.querySelector('header')).backgroundColor,
        toggles: [...document.querySelectorAll('[data-palette] label')].filter(l => !l.hidden).map(l => l.htmlFor),
    })""")


def test_the_colour_toggle_holds_across_pages_and_reloads(visit):
    page = visit.open(DIAGRAM_PAGE)
    light = _colours(page)
    assert (light["scheme"], light["meta"], light["toggles"]) == ("default", "light", ["__palette_1"])
    page.locator("label[for='__palette_1']").click()
    dark = _colours(page)
    assert (dark["scheme"], dark["meta"], dark["toggles"]) == ("slate", "dark", ["__palette_0"])
    assert dark["bar"] == dark["header"]  # the phone's browser bar takes the header's colour
    for path in (DIAGRAM_PAGE, TABS_PAGE):
        assert _colours(visit.open(path))["scheme"] == "slate"
    page.focus("#__palette_0")
    page.keyboard.press("Enter")  # as Material's toggle: Enter switches to the next scheme
    assert _colours(page)["scheme"] == "default"
    assert _colours(visit.open(TABS_PAGE))["scheme"] == "default"


def test_the_colour_scheme_follows_the_system_until_the_reader_chooses(browser, site_url):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(site_url + TABS_PAGE, wait_until="load")
    assert _colours(page)["scheme"] == "slate"
    assert _colours(page)["toggles"] == ["__palette_0"]
    context.close()


def test_a_code_block_not_yet_drawn_is_as_tall_as_when_it_is(browser, site_url):
    """Blocks off screen skip layout (extra.css) and stand in at the height of their lines
    (hooks/code_blocks.py): if the two differed, the page would change length as the reader
    scrolls, and a link to a heading would land beside it."""
    for viewport, mobile in (({"width": 390, "height": 844}, True), ({"width": 1440, "height": 900}, False)):
        context = browser.new_context(viewport=viewport, is_mobile=mobile)
        page = context.new_page()
        page.goto(site_url + "12-genai-optimization/35-optimize-retrieval/", wait_until="load")
        heights = "[...document.querySelectorAll('.md-typeset pre')].map(p => p.getBoundingClientRect().height)"
        standing_in = page.evaluate(heights)
        skipped = page.evaluate("""[...document.querySelectorAll('.md-typeset pre > code')]
            .filter(c => c.checkVisibility() && !c.checkVisibility({contentVisibilityAuto: true})).length""")
        page.add_style_tag(content=".md-typeset pre { content-visibility: visible !important; }")
        drawn = page.evaluate(heights)
        context.close()
        assert skipped > len(drawn) / 2  # most blocks start off screen, not laid out
        # Within 0.2 %: the browser rounds each line's height to its layout unit (1/64 px).
        assert [abs(h - d) <= d / 500 for h, d in zip(standing_in, drawn, strict=True)] == [True] * len(drawn), viewport


def test_a_link_to_a_heading_below_many_code_blocks_lands_on_it(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + "12-genai-optimization/35-optimize-retrieval/#key-points-for-the-exam", wait_until="load")
    page.wait_for_timeout(500)  # blocks near the heading are drawn; the heading must not move
    top = page.evaluate("document.getElementById('key-points-for-the-exam').getBoundingClientRect().top")
    header = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
    context.close()
    assert header <= top <= header + 40
