"""Sphinx configuration for autoconv's own documentation.

Build with ``sphinx-build -W -b html docs docs/_build/html``. autodoc imports autoconv's modules
as they are: none imports TensorFlow at import time, so nothing needs mocking. The catalogue
page's table of every sample is generated here, at build time, from the samples' declarations.
The quickstart notebook is executed and converted to HTML by nbconvert in a child process that
runs while Sphinx reads the pages, and only when the notebook or autoconv's code changed.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sphinx.util import logging

import autoconv
from autoconv.catalogue import read_all

project = "autoconv"
author = "the autoconv authors"
copyright = "the autoconv authors"
version = release = autoconv.__version__

extensions = ["sphinx.ext.autodoc", "autoconv.sphinx"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_theme_options = {"page_width": "1200px", "sidebar_width": "220px"}
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autoconv_timeout = 60

ALL_SAMPLES_MARKER = ".. all-samples-table"
DOCS = Path(__file__).resolve().parent
QUICKSTART = DOCS / "examples" / "quickstart.ipynb"
QUICKSTART_PAGE = "examples/quickstart.html"  # next to examples/index.html, which links it
logger = logging.getLogger("autoconv.docs")
_notebook_runs: dict[str, tuple[Path, subprocess.Popen | None]] = {}


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("`", "\\`").replace("*", "\\*").replace("|", "\\|") or "\\-"


def _all_samples_table(app) -> str:
    """A list-table of every built-in sample, read from the declarations (nothing runs)."""
    declarations = read_all(None)
    rows = [
        f"   * - ``{d.name}``\n     - {_cell(d.title)}\n     - {_cell(', '.join(d.tags))}\n"
        f"     - {_cell(', '.join(sorted(set(d.expected))))}\n     - {Path(d.filename).name}:{d.line}"
        for d in declarations
    ]
    for filename in sorted({d.filename for d in declarations}):
        app.env.note_dependency(filename)
    header = (
        f".. list-table:: All {len(declarations)} built-in samples\n   :header-rows: 1\n   :widths: 25 35 20 10 10\n\n"
        "   * - name\n     - title\n     - tags\n     - expected\n     - where\n"
    )
    return header + "\n".join(rows) + "\n"


def _fill_catalogue(app, docname: str, source: list[str]) -> None:
    if docname == "catalogue" and ALL_SAMPLES_MARKER in source[0]:
        source[0] = source[0].replace(ALL_SAMPLES_MARKER, _all_samples_table(app))


def _quickstart_key() -> str:
    """The notebook's and autoconv's own sources: what its executed outputs depend on."""
    digest = hashlib.sha256(QUICKSTART.read_bytes())
    for source in sorted(Path(autoconv.__file__).parent.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _start_quickstart(app) -> None:
    if app.builder.format != "html":
        return
    key = _quickstart_key()
    cached = Path(app.doctreedir) / "quickstart" / f"{key}.html"
    running = None
    if not cached.exists():
        environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3",
                       "PYTHONPATH": os.pathsep.join([str(DOCS.parent), os.environ.get("PYTHONPATH", "")])}
        running = subprocess.Popen(
            [sys.executable, "-m", "nbconvert", "--execute", "--to", "html", "--output", key,
             "--output-dir", str(cached.parent), str(QUICKSTART)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=environment)
    _notebook_runs[app.outdir] = (cached, running)


def _finish_quickstart(app, exception) -> None:
    cached, running = _notebook_runs.pop(app.outdir, (None, None))
    if cached is None:
        return
    if running is not None:
        _, errors = running.communicate()
        if running.returncode != 0:
            last = errors.strip().splitlines()[-1:] or ["no message"]
            logger.warning("the quickstart notebook failed: %s", last[0], location=str(QUICKSTART))
            return
    if exception is None:
        target = Path(app.outdir) / QUICKSTART_PAGE
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)


def setup(app) -> None:
    app.connect("source-read", _fill_catalogue)
    app.connect("builder-inited", _start_quickstart)
    app.connect("build-finished", _finish_quickstart)
