"""The ``autoconv.sphinx`` extension, in small Sphinx projects built under tmp_path."""
import html
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ABSOLUTE = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample


    @sample(inputs=[(tf.constant(1),), (tf.constant(-2),)])
    def absolute(x):
        if x > 0:
            return x
        return -x


    def helper(x):
        return x + 1
''')


def project(root: Path, index: str, **files: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text('extensions = ["autoconv.sphinx"]\n')
    (root / "index.rst").write_text(textwrap.dedent(index))
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    return root


def text_of(page: Path) -> str:
    """What a reader sees of the code: line-number gutters and tags dropped, entities decoded."""
    without_gutters = re.sub(r'<span class="linenos">\s*\d+</span>', "", page.read_text())
    return html.unescape(re.sub(r"<[^>]+>", "", without_gutters))


def test_a_page_shows_both_codes_line_links_annotations_and_verdicts(make_app, tmp_path):
    source = project(tmp_path / "docs", """
        Page
        ====

        .. autoconv:: samples/absolute.py:absolute
           :emphasize-lines: 30

        .. autoconv:: samples/absolute.py:absolute
           :hide-original:
           :no-check:
           :caption: Converted only

        .. autoconv:: samples/absolute.py:helper
    """, **{"samples/absolute.py": ABSOLUTE})
    app = make_app("html", srcdir=source)
    app.build()
    assert app._warning.getvalue() == ""
    page = (app.outdir / "index.html").read_text()
    text = text_of(app.outdir / "index.html")

    assert page.count('<div class="highlight-python notranslate">') == 5  # 3 original, 2 converted blocks
    assert "def absolute(x):\n    if x > 0:\n        return x\n    return -x" in text
    assert "def tf__absolute(x):" in text and "ag__.if_stmt(ag__.ld(x) > 0, if_body, else_body" in text
    assert re.search(r'<span class="hll"><span class="linenos">30</span>[^\n]*if_stmt', page)
    assert "Line links (original → converted): 2 → 1; 3 → 6, 9, 13, 22, 30;" in text
    assert "line 30 (from original line 3) if_stmt: Your if statement." in text
    assert text.count("Check: eager against graph") == 1  # :no-check: and a plain function have none
    assert "Check: eager against graph (2 cases: 2 as expected, 0 unexpected)" in text
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*tf\.constant\(-2\).*?</tr>", page, re.S).group(0)
    assert [html.unescape(c) for c in re.findall(r"<p>(.*?)</p>", row)] == [
        "tf.constant(-2)", "match", "match", "as expected", "none"]
    assert "Converted only" in text and "def tf__helper(x):" in text


def test_bad_targets_warn_with_document_line_and_target_and_the_build_finishes(make_app, tmp_path):
    index = """
        Page
        ====

        .. autoconv:: no_such_sample

        .. autoconv:: missing.py:f

        .. autoconv:: raises.py:f

        .. autoconv:: good.py:nothing_here

        .. autoconv:: syntax.py:f

        .. autoconv:: good.py:f
           :no-check:
    """
    source = project(tmp_path / "docs", index,
                     **{"raises.py": "raise RuntimeError('broken on purpose')\ndef f(x):\n    return x\n",
                        "good.py": "def f(x):\n    return x * 2\n", "syntax.py": "def f(x)\n    return x\n"})
    app = make_app("html", srcdir=source)
    app.build()
    warnings = app._warning.getvalue()
    lines = textwrap.dedent(index).splitlines()

    def line_of(target: str) -> int:
        return next(n for n, line in enumerate(lines, 1) if line.endswith(f":: {target}"))

    document = re.escape(str(source / "index.rst"))
    for target, why in [
        ("no_such_sample", "unknown sample"),
        ("missing.py:f", "no such file"),
        ("raises.py:f", r"loading raised RuntimeError: broken on purpose"),
        ("good.py:nothing_here", "has no 'nothing_here'"),
        ("syntax.py:f", "syntax.py:1: syntax error"),
    ]:
        assert re.search(rf"{document}:{line_of(target)}: WARNING: autoconv: cannot show '{re.escape(target)}': "
                         rf".*{why}", warnings), (target, warnings)
    assert warnings.count("WARNING") == 5
    assert "def tf__f(x):" in text_of(app.outdir / "index.html")


def test_an_incremental_rebuild_recomputes_only_the_changed_file(make_app, tmp_path):
    first = "from autoconv import sample\n\n@sample(inputs=[(1,)])\ndef first(x):\n    return x + 1\n"
    second = "from autoconv import sample\n\n@sample(inputs=[(2,)])\ndef second(x):\n    return x * 2\n"
    source = project(tmp_path / "docs", """
        One
        ===

        .. autoconv:: first.py:first
    """, **{"first.py": first, "second.py": second, "other.rst": """
        Two
        ===

        .. autoconv:: second.py:second
    """})
    (source / "index.rst").write_text((source / "index.rst").read_text() + "\n.. toctree::\n\n   other\n")
    app = make_app("html", srcdir=source)
    app.build()
    assert "autoconv: computed first.py:first" in app._status.getvalue()
    assert "autoconv: computed second.py:second" in app._status.getvalue()

    (source / "second.py").write_text(second.replace("x * 2", "x * 3"))
    later = time.time() + 5  # newer than the doctrees, whatever the file system's time resolution
    os.utime(source / "second.py", (later, later))
    again = make_app("html", srcdir=source)
    again.build()
    status = again._status.getvalue()
    assert "autoconv: computed second.py:second" in status
    assert "first.py:first" not in status
    assert "return x * 3" in text_of(again.outdir / "other.html")
    assert "Check: eager against graph (1 case: 1 as expected, 0 unexpected)" in text_of(again.outdir / "other.html")
    assert "return x + 1" in text_of(again.outdir / "index.html")


def test_setup_declares_parallel_safety_and_importing_it_does_not_import_tensorflow(make_app, tmp_path):
    import autoconv

    app = make_app("html", srcdir=project(tmp_path / "docs", "Empty\n=====\n"))
    extension = app.extensions["autoconv.sphinx"]
    assert (extension.version, extension.parallel_read_safe, extension.parallel_write_safe) == (
        autoconv.__version__, True, True)
    assert app.config.autoconv_check is True and app.config.autoconv_timeout == 60
    probe = "import sys, autoconv.sphinx\nprint('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("setting", [{"autoconv_check": False}])
def test_autoconv_check_false_shows_no_verdicts(make_app, tmp_path, setting):
    source = project(tmp_path / "docs", """
        Page
        ====

        .. autoconv:: absolute.py:absolute
    """, **{"absolute.py": ABSOLUTE})
    app = make_app("html", srcdir=source, confoverrides=setting)
    app.build()
    text = text_of(app.outdir / "index.html")
    assert "def tf__absolute(x):" in text and "Check: eager against graph" not in text
