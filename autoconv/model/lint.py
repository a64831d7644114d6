"""The one record every lint rule produces.

Kept in the data layer so that renderers and the CLI can depend on it without pulling in the
checker.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class TraceStep:
    """One function on the way from a traced entry point to a finding: the function holding
    the finding (``line`` its ``def``), then each caller (``line`` the call)."""

    function: str
    path: str
    line: int

    def to_dict(self) -> dict[str, object]:
        return {"function": self.function, "path": self.path, "line": self.line}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place; ``line`` and ``col`` are both 1-based,
    like compilers and editors print them, so ``path:line:col`` is clickable."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str
    sample: str
    fixed_sample: str = ""
    # Empty when TensorFlow traces the function holding the finding itself; else the
    # function, its callers, and last the traced entry point (in any file of the project).
    chain: tuple[TraceStep, ...] = ()
    severity: str = "warning"  # error (fails under tf.function), warning (differs silently), info

    def to_dict(self) -> dict[str, object]:
        """The stable JSON shape: the seven original keys, then ``chain`` (added, a list,
        empty for an entry point) and ``severity``; ``fixed_sample`` stays out of it, the text renderer shows it."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "sample": self.sample,
            "chain": [step.to_dict() for step in self.chain],
            "severity": self.severity,
        }
