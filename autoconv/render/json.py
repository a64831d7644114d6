"""The JSON format: each kind of data as the one document its ``to_dict`` defines.

Other tools parse these (``check --json``, ``explain --json``, ``lint --format json``), so the
shapes are contracts: they change only with the data class that defines them.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from autoconv._version import __version__
from autoconv.render import Formatter

if TYPE_CHECKING:
    from autoconv.model.check import CheckReport, SampleReport
    from autoconv.model.conversion import Conversion
    from autoconv.model.explanation import Explanation
    from autoconv.model.graph import GraphView
    from autoconv.model.lint import Finding
    from autoconv.model.trace import BenchReport, TraceReport


def _document(data: Any) -> str:
    """One JSON document. An object names the autoconv that wrote it, first, as ``check --json``
    always has, so a tool reading it can tell which shape it holds; a list (the lint's findings,
    which pre-commit hooks and editors read as a plain array) stays a list."""
    if isinstance(data, dict) and "autoconv" not in data:
        data = {"autoconv": __version__, **data}
    return json.dumps(data, indent=2) + "\n"


class JsonFormatter(Formatter):
    name = "json"

    def conversion(self, conversion: Conversion, report: SampleReport | None = None) -> str:
        data = conversion.to_dict()
        if report is not None:
            data["check"] = report.to_dict()
        return _document(data)

    def check_report(self, report: CheckReport) -> str:
        return _document(report.to_dict())

    def sample_report(self, report: SampleReport) -> str:
        return _document(report.to_dict())

    def explanation(self, explanation: Explanation, conversion: Conversion | None = None,
                    helpers: Sequence[Conversion] = (), report: SampleReport | None = None) -> str:
        return _document(explanation.to_dict())

    def trace(self, report: TraceReport) -> str:
        return _document(report.to_dict())

    def graph(self, view: GraphView) -> str:
        return _document(view.to_dict())

    def bench(self, report: BenchReport) -> str:
        return _document(report.to_dict())

    def findings(self, findings: Sequence[Finding]) -> str:
        """One JSON list, so tools can ``json.loads`` the whole of stdout."""
        return json.dumps([finding.to_dict() for finding in findings], indent=2)
