"""Sphinx configuration for autoconv's own documentation.

Build with ``sphinx-build -W -b html docs docs/_build/html``. autodoc imports autoconv's modules
as they are: none imports TensorFlow at import time, so nothing needs mocking. The catalogue
page's table of every sample is generated here, at build time, from the samples' declarations.
"""
from __future__ import annotations

from pathlib import Path

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
html_theme_options = {"page_width": "1200px", "sidebar_width": "220px"}
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autoconv_timeout = 60

ALL_SAMPLES_MARKER = ".. all-samples-table"


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


def setup(app) -> None:
    app.connect("source-read", _fill_catalogue)
