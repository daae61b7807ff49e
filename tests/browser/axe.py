"""axe-core over every page of the built site, in the light and the dark colour scheme."""

from pathlib import Path

import axe_playwright_python

# The axe-core build shipped inside the pinned axe-playwright-python wheel (requirements.txt).
AXE_SCRIPT = Path(axe_playwright_python.__file__).parent / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}
MATERIAL_SCHEME = {"light": "default", "dark": "slate"}  # values of <body data-md-color-scheme>
# Every rule runs in the light scheme; only colours change in the dark one, so it re-runs just these.
RULES = {"light": None, "dark": ["color-contrast", "link-in-text-block"]}
# The frame (header, navigation, footer, search) and the code colours are the same on every page:
# these pages are checked whole; on the others axe reads the page's own content, code blocks aside.
WHOLE_PAGES = {"", "02-workspace/08-compute-targets/", "ch11_mlflow_notebooks/track_xgboost/"}
CONTENT_ONLY = {"include": [[".md-content"]], "exclude": [[".md-content .highlight"]]}
# Switch the scheme as Material's palette toggle does, with colour transitions off so axe reads
# the final colours, not a frame of the fade. axe finds a text's background by what is painted at
# its place; a table or code block below the screen is not drawn until it nears it
# (content-visibility in extra.css), so axe, scrolling to it, could read the footer that lay
# under the block's placeholder. Every block is drawn here, as it is by the time a reader sees it.
SWITCH_SCHEME = """scheme => {
    if (!document.getElementById("as-drawn")) {
        const style = Object.assign(document.createElement("style"), {id: "as-drawn"});
        style.textContent = "*, *::before, *::after { transition: none !important; }"
            + " .md-typeset :is(pre, table) { content-visibility: visible !important; }";
        document.head.append(style);
    }
    document.body.setAttribute("data-md-color-scheme", scheme);
}"""


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


def scan(browser, site_url: str, built_site: Path) -> dict[str, dict[str, list[str]]]:
    """Each page's blocking violations in each scheme: one load a page, then the body's colour
    scheme is switched the way Material's palette toggle switches it."""
    context = browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 900})
    context.add_init_script(path=AXE_SCRIPT)  # axe-core is in every page the tab opens
    # Each page would load and index the whole search index in a worker; axe never needs it.
    context.route("**/search/search_index.json", lambda route: route.abort())
    page = context.new_page()
    found = {scheme: {} for scheme in MATERIAL_SCHEME}
    for path in html_pages(built_site):
        page.goto(site_url + path, wait_until="load")
        scope = None if path in WHOLE_PAGES else CONTENT_ONLY
        for scheme, material_scheme in MATERIAL_SCHEME.items():
            page.evaluate(SWITCH_SCHEME, material_scheme)
            found[scheme][path or "/"] = blocking_violations(page, RULES[scheme], scope)
    context.close()
    return found


def assert_no_blocking_violations(found: dict[str, list[str]], scheme: str, built_site: Path) -> None:
    assert len(found) == len(html_pages(built_site)) > 30
    failing = {path: problems for path, problems in found.items() if problems}
    report = "\n".join(f"{path}\n  " + "\n  ".join(problems) for path, problems in failing.items())
    assert not failing, f"{len(failing)} pages fail axe-core in the {scheme} scheme:\n{report}"
