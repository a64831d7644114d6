"""A new output format is one ``Formatter`` class: the registry and the CLI find it, nothing else changes."""
from __future__ import annotations

import contextlib
import importlib.util
import io
from pathlib import Path

import pytest

from autoconv.cli import build_parser, main
from autoconv.errors import AutoconvError
from autoconv.render import Formatter, formats_for, formatters, get_formatter

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "linemap_format.py"


@pytest.fixture
def linemap_format():
    """The contributor guide's worked example, loaded as a module of its own."""
    spec = importlib.util.spec_from_file_location("linemap_format", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module.LineMapFormatter
    module.LineMapFormatter.name = ""  # unnamed formatters are not registered: leave the registry as found


def test_every_format_is_found_with_the_kinds_it_shows():
    assert {"text", "html", "markdown", "rst", "json", "dot", "svg"} <= set(formatters())
    assert formats_for("conversion") == ["text", "html", "json", "markdown", "rst"]
    assert formats_for("findings") == ["text", "json"]
    assert "dot" in formats_for("graph") and "dot" not in formats_for("conversion")


def test_a_kind_a_format_cannot_show_is_a_clear_error():
    with pytest.raises(AutoconvError, match="the dot format cannot show conversions; choose from text, html"):
        get_formatter("dot").conversion(None)
    with pytest.raises(AutoconvError, match="unknown format 'nope'"):
        get_formatter("nope")


def test_the_guides_new_format_works_from_the_cli_with_no_other_change(linemap_format):
    assert issubclass(linemap_format, Formatter) and "linemap" in formats_for("conversion")
    show = build_parser().parse_args(["show", "myadd", "--format", "linemap"])
    assert show.format == "linemap"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["show", "myadd", "--format", "linemap"]) == 0
    rows = [row.split("\t") for row in out.getvalue().splitlines()]
    assert rows[0] == ["converted", "original", "code"]
    assert rows[1][0] == "1" and rows[1][2] == "def tf__myadd(a, b):" and rows[1][1].isdigit()
    assert any("ag__.for_stmt(" in code for _, _, code in rows[1:])
