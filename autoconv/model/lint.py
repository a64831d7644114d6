"""The one record every lint rule produces.

Kept in the data layer so that renderers and the CLI can depend on it without pulling in the
checker.
"""

from __future__ import annotations

from dataclasses import dataclass


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

    def to_dict(self) -> dict[str, object]:
        """The stable JSON shape; ``fixed_sample`` stays out of it on purpose
        (the JSON contract is seven keys), the text renderer shows it."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "sample": self.sample,
        }
