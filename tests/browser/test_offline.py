"""The offline download works opened from disk (file://), search included, with no network."""


def test_search_works_from_disk(visit, unzipped_site):
    page = visit.page
    page.goto((unzipped_site / "index.html").as_uri(), wait_until="load")
    page.keyboard.press("/")
    page.keyboard.type("bandit policy")
    chapter_14_result = "a.md-search-result__link[href*='14-hyperparameter-tuning.html']"
    page.locator(chapter_14_result).first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://") and page.inner_text("h1").rstrip("¶") == "14. Hyperparameter tuning"
    assert [url for url in visit.requests if not url.startswith(("file://", "data:", "blob:"))] == []


def test_diagrams_render_from_disk(visit, unzipped_site):
    page = visit.page
    page.goto((unzipped_site / "01-design-ml-solution" / "01-data-ingestion.html").as_uri(), wait_until="load")
    page.locator("figure.diagram").scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('.diagram-light').naturalWidth > 0")
