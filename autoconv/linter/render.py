"""Text and JSON views of findings; pure formatting, nothing is executed."""

from __future__ import annotations

import json
from collections.abc import Sequence

from autoconv.linter.finding import Finding


def render_text(findings: Sequence[Finding]) -> str:
    """``path:line:col: CODE message`` is the shape editors and pre-commit
    parse; the hint line is indented so such parsers skip it."""
    lines = []
    for f in findings:
        lines.append(f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}")
        see = f" (see sample '{f.sample}', fixed in '{f.fixed_sample}')" if f.sample else ""
        lines.append(f"  hint: {f.hint}{see}")
    return "\n".join(lines)


def render_json(findings: Sequence[Finding]) -> str:
    """One JSON list, so tools can ``json.loads`` the whole of stdout."""
    return json.dumps([f.to_dict() for f in findings], indent=2)


def summary(findings: Sequence[Finding]) -> str:
    files = len({f.path for f in findings})
    n = len(findings)
    return f"{n} finding{'s' * (n != 1)} in {files} file{'s' * (files != 1)}"
