"""The notebook page is styled by the site (hooks/notebook_styles.py), not by the ~600 KiB of
CSS and the MathJax and Mermaid loaders mkdocs-jupyter puts into it."""

NOTEBOOK_PAGE = "ch11_mlflow_notebooks/track_xgboost/index.html"


def test_notebook_page_links_the_site_stylesheet_and_inlines_nothing(built_site):
    html = (built_site / NOTEBOOK_PAGE).read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="../../assets/stylesheets/notebook.css">' in html
    assert (built_site / "assets/stylesheets/notebook.css").is_file()
    assert "<style" not in html
    assert "mathjax" not in html.lower() and "mermaid" not in html.lower()


def test_notebook_code_is_coloured_by_materials_rules(built_site):
    html = (built_site / NOTEBOOK_PAGE).read_text(encoding="utf-8")
    assert '<div class="highlight-ipynb hl-python highlight"><pre tabindex="0">' in html
    assert '<span class="kn">import</span>' in html
