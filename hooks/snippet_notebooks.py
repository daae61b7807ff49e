"""Publish the notebooks kept in snippets/ as site pages.

The tests execute each notebook in snippets/; this hook makes that same file a
page (at /<chapter folder>/<notebook>/), so what readers see is what was tested.
"""

from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File


@event_priority(100)  # before mkdocs-jupyter turns .ipynb files into pages
def on_files(files, config):
    snippets = Path(config.config_file_path).parent / "snippets"
    for notebook in sorted(snippets.glob("*/*.ipynb")):
        uri = notebook.relative_to(snippets).as_posix()
        files.append(File(uri, str(snippets), config.site_dir, config.use_directory_urls))
    return files


def on_page_context(context, page, config, nav):
    """The edit button opens the notebook where it lives, in snippets/."""
    if page.file.src_uri.endswith(".ipynb") and config.repo_url:
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/snippets/{page.file.src_uri}"
    return context


def on_page_content(html, page, config, files):
    """A link to download the notebook itself (mkdocs-jupyter's include_source copies it beside the page)."""
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    page.meta.setdefault("search", {"boost": 0.5})  # its code cells would otherwise match most queries
    name = page.file.src_uri.rsplit("/", 1)[-1]
    return f'<p><a href="{name}" download>Download the notebook ({name})</a> to run it yourself.</p>\n' + html
