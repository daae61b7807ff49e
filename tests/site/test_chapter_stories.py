"""Each chapter, read top to bottom: its scripts run in page order in one workspace, as a reader
runs them, and each finds what the chapter (or a chapter it says it builds on) created.

What a chapter's story is, and what the reader supplies along the way: ``tests/site/stories.py``.
The workspace's MLflow tracking server is a local SQLite store.
"""

from __future__ import annotations

import re

import pytest

from tests.fake_azure.workspace import GROUP, NAME
from tests.site import pages
from tests.site.stories import (
    ARGUMENTS,
    BEFORE_THE_WORKSPACE,
    BUILDS_ON,
    LOCAL_STEPS,
    RUN_AGAIN,
    STORIES,
    UPLOADS,
    chapter_pages,
    included_scripts,
    plain,
    story,
)

# The one part whose chapters may build on later ones, as its index page says.
AHEAD = ("01-design-ml-solution", "The scripts that talk to Azure need what later chapters build")


def test_every_local_step_is_a_script_its_chapter_includes():
    included = {snippet for page in chapter_pages().values() for snippet in included_scripts(page)}
    assert set(LOCAL_STEPS) <= included


def builds_ahead(page) -> bool:
    part, quote = AHEAD
    return page.parent.name == part and quote in plain(pages.prose(page.parent / "index.md"))


@pytest.mark.parametrize("number", sorted(BUILDS_ON))
def test_a_chapter_builds_only_on_earlier_chapters_its_page_names(number):
    prose = plain(pages.prose(chapter_pages()[number]))
    for earlier in BUILDS_ON[number]:
        assert earlier.chapter < number or builds_ahead(chapter_pages()[number])
        assert earlier.quote in prose, f"chapter {number}'s page does not say: {earlier.quote}"
        assert re.search(rf"\b[Cc]hapter {earlier.chapter}\b", earlier.quote)
        assert set(earlier.creates) <= set(STORIES[earlier.chapter]), "only that chapter's own steps"


@pytest.mark.parametrize("snippet", sorted(RUN_AGAIN))
def test_a_script_runs_again_where_its_page_says_so(snippet):
    again = RUN_AGAIN[snippet]
    number = int(snippet[2:4])
    assert again.quote in plain(pages.prose(chapter_pages()[number]))
    assert STORIES[number].index(again.script) < STORIES[number].index(snippet)


def test_arguments_come_from_steps_that_run_before():
    for snippet, argument in ARGUMENTS.items():
        order = story(int(snippet[2:4]))
        assert argument.step in order and order.index(argument.step) < order.index(snippet), snippet


@pytest.mark.parametrize("snippet", sorted(UPLOADS))
def test_a_file_is_uploaded_where_its_page_says_so(snippet):
    prose = plain(pages.prose(chapter_pages()[int(snippet[2:4])]))
    for upload in UPLOADS[snippet]:
        assert upload.quote in prose
        assert all(f"`{part}`" in upload.quote for part in (upload.datastore, *upload.path.split("/")))


@pytest.mark.parametrize("number", [n for n, story in sorted(STORIES.items()) if story])
def test_chapter_scripts_run_in_page_order_in_one_workspace(number, workspace, reader):
    if number in BEFORE_THE_WORKSPACE:
        workspace.azure.arm.delete(workspace.azure.workspace_path(GROUP, NAME))
    for snippet in story(number):
        try:
            reader.run(snippet)
        except (Exception, SystemExit) as error:  # a step that raises, or exits, fails its chapter's story
            pytest.fail(f"chapter {number}, step {snippet}: {type(error).__name__}: {error}", pytrace=False)
