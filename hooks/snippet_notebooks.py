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
