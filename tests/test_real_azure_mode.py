"""``pytest --real-azure`` (the real-Azure workflow's mode) collects the chosen snippets and
nothing else, and runs them with the fake off; the normal run leaves them out."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

REAL_AZURE_TESTS = ROOT / "tests" / "real_azure"


def pytest_run(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "pytest", "--no-cov", "-n", "0", "-q", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    return done.stdout + done.stderr


def collected(*args: str) -> set[str]:
    return {line for line in pytest_run("--collect-only", *args).splitlines() if "::" in line}


def real_azure_test_names() -> set[str]:
    source = (REAL_AZURE_TESTS / "test_snippets_on_azure.py").read_text()
    return {line.split("(")[0].removeprefix("def ") for line in source.splitlines() if line.startswith("def test_")}


def test_real_azure_mode_collects_only_the_real_azure_tests():
    nodes = collected("--real-azure", "tests")
    assert {node.split("::")[-1] for node in nodes} == real_azure_test_names()
    assert all(Path(node.split("::")[0]).parent == REAL_AZURE_TESTS.relative_to(ROOT) for node in nodes)


def test_the_normal_run_leaves_the_real_azure_tests_out():
    assert collected(str(REAL_AZURE_TESTS.relative_to(ROOT))) == set()


def test_under_real_azure_the_fake_is_off():
    output = pytest_run("--real-azure", "tests/real_azure", "-k", "fake_is_off")
    assert "1 passed" in output, output
