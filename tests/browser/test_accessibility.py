"""Accessibility: axe-core finds nothing serious on any page, in the light or the dark scheme,
and the search works from the keyboard alone."""

import re
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import expect

# The axe-core build shipped inside the pinned axe-playwright-python wheel (requirements.txt).
AXE_SCRIPT = Path(axe_playwright_python.__file__).parent / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}
MATERIAL_SCHEME = {"light": "default", "dark": "slate"}
# Every rule runs in the light scheme; only colours change in the dark one, so it re-runs just these.
RULES = {"light": None, "dark": ["color-contrast", "link-in-text-block"]}
# The frame (header, navigation, footer, search) and the code colours are the same on every page:
# these pages are checked whole; on the others axe reads the page's own content, code blocks aside.
WHOLE_PAGES = {"", "02-workspace/08-compute-targets/", "ch11_mlflow_notebooks/track_xgboost/"}
CONTENT_ONLY = {"include": [[".md-content"]], "exclude": [[".md-content .highlight"]]}


def html_pages(site: Path) -> list[str]:
    """Every page of the built site, as a path relative to its root ("" for the home page)."""
    return sorted(page.relative_to(site).as_posix().removesuffix("index.html") for page in site.rglob("*.html"))


def blocking_violations(page, rules: list[str] | None, context: dict | None) -> list[str]:
    """axe-core's serious and critical findings on the open page: rule, impact, element."""
    options = {"resultTypes": ["violations"], "runOnly": rules} if rules else {"resultTypes": ["violations"]}
    violations = page.evaluate(
        "([context, options]) => axe.run(context || document, options).then(results => results.violations)",
        [context, options],
    )
    return [
        f"{violation['id']} ({violation['impact']}): {' '.join(node['target'])}"
        for violation in violations
        if violation["impact"] in BLOCKING_IMPACTS
        for node in violation["nodes"]
    ]


@pytest.fixture(scope="module")
def findings(browser, site_url, built_site) -> dict[str, dict[str, list[str]]]:
    """For each colour scheme, each page's blocking violations (one tab visits them all)."""
    found = {}
    for scheme, material_scheme in MATERIAL_SCHEME.items():
        # Material shows the scheme of the reader's system setting (and remembers it: a context each).
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        context.add_init_script(path=AXE_SCRIPT)  # axe-core is in every page the tab opens
        page = context.new_page()
        found[scheme] = {}
        for path in html_pages(built_site):
            page.goto(site_url + path, wait_until="load")
            shown = page.get_attribute("body", "data-md-color-scheme")
            wrong_scheme = [] if shown == material_scheme else [f"shown in the {shown} scheme"]
            scope = None if path in WHOLE_PAGES else CONTENT_ONLY
            found[scheme][path or "/"] = wrong_scheme + blocking_violations(page, RULES[scheme], scope)
        context.close()
    return found


@pytest.mark.parametrize("scheme", MATERIAL_SCHEME)
def test_no_serious_or_critical_axe_violations(findings, scheme, built_site):
    assert len(findings[scheme]) == len(html_pages(built_site)) > 30
    failing = {path: problems for path, problems in findings[scheme].items() if problems}
    report = "\n".join(f"{path}\n  " + "\n  ".join(problems) for path, problems in failing.items())
    assert not failing, f"{len(failing)} pages fail axe-core in the {scheme} scheme:\n{report}"


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
