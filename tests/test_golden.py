"""What autoconv says about its whole catalogue is what it said before the last refactor.

``tests/golden/expected`` holds ``check --json``, ``explain --json``, ``lint --format json``, the
text, HTML, Markdown and RST views of every sample and the whole HTML gallery, captured by
``tests/golden/capture.py`` (times and run-specific names left out). A change that means to
alter an output regenerates them with ``python tests/golden/capture.py tests/golden/expected``
and says so in its commit.
"""
from __future__ import annotations

import difflib
import gzip
import subprocess
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
KINDS = ("check", "explain", "lint", "views", "gallery")


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden")
    subprocess.run([sys.executable, str(GOLDEN / "capture.py"), str(out)], check=True, timeout=1200,
                   capture_output=True)
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_catalogue_output_is_unchanged(captured: Path, kind: str) -> None:
    expected = gzip.open(GOLDEN / "expected" / f"{kind}.json.gz").read().decode().splitlines()
    actual = gzip.open(captured / f"{kind}.json.gz").read().decode().splitlines()
    difference = list(difflib.unified_diff(expected, actual, "expected", "now", n=1, lineterm=""))
    assert not difference, "\n".join(line[:300] for line in difference[:60])
