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


PAGE = """
    Page
    ====

    .. autoconv:: samples/absolute.py:absolute
       :emphasize-lines: 30

    .. autoconv:: samples/absolute.py:absolute
       :hide-original:
       :no-check:
       :caption: Converted only

    .. autoconv:: samples/absolute.py:helper
"""


def test_html_pages_get_the_interactive_view_with_its_css_and_js_linked_once(make_app, tmp_path):
    source = project(tmp_path / "docs", PAGE, **{"samples/absolute.py": ABSOLUTE})
    app = make_app("html", srcdir=source)
    app.build()
    assert app._warning.getvalue() == ""
    page = (app.outdir / "index.html").read_text()
    text = text_of(app.outdir / "index.html")

    ids = re.findall(r'<section class="autoconv" id="([^"]+)"', page)
    assert len(ids) == 3 and len(set(ids)) == 3  # the same function twice: still its own ids
    assert '<div class="highlight-python notranslate">' not in page  # the view, not the printed blocks
    assert "def absolute(x):" in text and "ag__.if_stmt(ag__.ld(x) > 0, if_body, else_body" in text
    original_if = re.search(r'<div class="ac-line[^"]*"[^>]*data-orig="(\d+)"[^>]*><span class="ac-n"[^>]*>\d+</span>'
                            r'<code[^>]*>\s*<span class="ac-t-k">\s*if</span>', page)
    assert original_if and page.count(f'data-orig="{original_if.group(1)}"') > 2  # tied to its converted lines
    assert text.count("Check: eager against graph") == 1  # :no-check: and a plain function have none
    assert "Check: eager against graph (2 cases: 2 as expected, 0 unexpected)" in text
    assert "Converted only" in text and "def tf__helper(x):" in text.replace("\n", "")
    # the stylesheet and the script: two static files, linked once in the head, never inline
    assert page.count("_static/autoconv.css") == 1 and page.count("_static/autoconv.js") == 1
    assert "<style>" not in page and "ac-hit" not in page
    assert ".autoconv" in (app.outdir / "_static" / "autoconv.css").read_text()
    assert "ac-hit" in (app.outdir / "_static" / "autoconv.js").read_text()


@pytest.mark.parametrize("builder", ["text", "latex", "man"])
def test_other_builders_get_code_blocks_a_line_link_table_notes_and_verdicts(make_app, tmp_path, builder):
    source = project(tmp_path / "docs", PAGE, **{"samples/absolute.py": ABSOLUTE})
    app = make_app(builder, srcdir=source)
    app.build()
    assert app._warning.getvalue() == ""
    written = "\n".join(path.read_text() for path in Path(app.outdir).rglob("*")
                        if path.suffix in (".txt", ".tex", ".1"))
    written = re.sub(r"\\PYGZus\{\}|\\_|\\\(ru", "_", written)  # LaTeX's and troff's underscores
    assert "<section" not in written and "ac-line" not in written
    assert "tf__absolute" in written and "if_stmt" in written
    assert "Check: eager against graph" in written and "Line links" in written
    if builder == "text":
        assert "   def absolute(x):\n       if x > 0:\n           return x" in written
        assert re.search(r"\| original line\s+\| converted lines\s+\|", written)
        # the file's own line 8 (the if) became these converted lines
        assert re.search(r"\| 8\s+\| 6, 9, 13, 22, 30\s+\|", written), written
        assert 'line 30 (from original line 8) "if_stmt": Your if statement.' in written


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


def _sections(page: str) -> list[str]:
    starts = [match.start() for match in re.finditer(r'<section class="autoconv"', page)]
    return [page[start:end] for start, end in zip(starts, [*starts[1:], len(page)], strict=True)]


def test_options_choose_what_is_shown_without_running_anything_again(make_app, tmp_path):
    index = """
        Page
        ====

        .. autoconv:: absolute
           :notes: none
           :case: 2

        .. autoconv:: absolute
           :notes: lesson
           :fold: no

        .. autoconv:: absolute
           :no-check:

        .. autoconv:: site_samples/absolute.py:helper
           :check:
    """
    source = project(tmp_path / "docs", index, **{"site_samples/absolute.py": ABSOLUTE})
    (source / "conf.py").write_text('extensions = ["autoconv.sphinx"]\nautoconv_samples = ["site_samples"]\n')
    app = make_app("html", srcdir=source)
    app.build()
    assert "autoconv: computed absolute" in app._status.getvalue()  # the site's sample, by its name
    warnings = app._warning.getvalue()
    assert warnings.count("WARNING") == 1 and re.search(
        r"index.rst:\d+: WARNING: autoconv: cannot check 'site_samples/absolute.py:helper': "
        r"it is not a sample with declared inputs", warnings)
    none, lesson, everything, helper = _sections((app.outdir / "index.html").read_text())

    def notes(section: str) -> list[str]:
        return re.findall(r'<details class="ac-note"[^>]*>', section)

    assert notes(none) == [] and "ac-note-ref" not in none
    # the lesson: each construct explained once, with no pointers back from its later uses
    assert len(notes(lesson)) == len(notes(everything)) > 0
    assert "ac-note-ref" not in lesson and "ac-note-ref" in everything
    # :case: 2 keeps the second case's verdict only (cases count from 1); :no-check: none at all
    assert "Check: eager against graph (1 case: 1 as expected, 0 unexpected)" in html.unescape(none)
    assert "tf.constant(-2)" in none and "tf.constant(1)" not in re.sub(r"<[^>]+>", "", none).split("Check:")[1]
    assert "Check:" not in everything and "Check:" not in helper and "Check:" in lesson
    assert none.count('class="ac-fold"') > lesson.count('class="ac-fold"')  # :fold: no keeps the machinery open

    # only the options changed: the page is read again, but nothing is converted or checked again
    (source / "index.rst").write_text(textwrap.dedent(index).replace(":notes: none", ":notes: all"))
    later = time.time() + 5
    os.utime(source / "index.rst", (later, later))
    again = make_app("html", srcdir=source)
    again.build()
    assert "autoconv: computed" not in again._status.getvalue()
    assert len(notes(_sections((again.outdir / "index.html").read_text())[0])) == len(notes(everything))


def test_a_parallel_build_shows_the_same_views(make_app, tmp_path):
    source = project(tmp_path / "docs", textwrap.dedent(PAGE) + "\n.. toctree::\n\n   other\n",
                     **{"samples/absolute.py": ABSOLUTE, "other.rst": "Other\n=====\n\n.. autoconv:: myadd\n"})
    app = make_app("html", srcdir=source, parallel=2)
    app.build()
    assert app._warning.getvalue() == ""
    assert len(_sections((app.outdir / "index.html").read_text())) == 3
    (other,) = _sections((app.outdir / "other.html").read_text())
    assert "myadd" in other and "Check: eager against graph (2 cases" in html.unescape(other)


EXPLAINED = """
    Page
    ====

    .. autoconv:: samples/absolute.py:absolute
       :explain: tf.constant(3)
       :no-check:

    .. autoconv:: samples/absolute.py:absolute
       :explain: undefined_name
       :no-check:

    .. autoconv:: samples/absolute.py:absolute
       :explain: tf.constant("text")
       :no-check:
"""


@pytest.mark.parametrize("builder", ["html", "text"])
def test_explain_shows_what_tracing_did_for_that_call_and_a_failing_call_warns(make_app, tmp_path, builder):
    source = project(tmp_path / "docs", EXPLAINED, **{"samples/absolute.py": ABSOLUTE})
    app = make_app(builder, srcdir=source)
    app.build()
    warnings = app._warning.getvalue()
    assert "cannot explain 'samples/absolute.py:absolute' with 'undefined_name'" in warnings
    assert "NameError" in warnings and warnings.count("WARNING") == 1
    # a call that fails is no warning: its partial explanation shows, the failing line marked
    if builder == "html":
        page = (Path(app.outdir) / "index.html").read_text()
        assert page.count("What happened: absolute") == 2
        assert "ac-x-staged" in page and "tf.cond" in html.unescape(page)
        assert "ac-x-error" in page and "the trace failed at line 8" in html.unescape(page)
    else:
        page = (Path(app.outdir) / "index.txt").read_text()
        assert "What happened for (tf.constant(\"text\"))" in page and "✗ raised" in page
        assert "What happened for (tf.constant(3))" in page
        assert "⇅ tf.cond (StatelessIf" in page or "⇅ tf.cond (If" in page
