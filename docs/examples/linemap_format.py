"""A new output format in one class: tab-separated line links, for spreadsheets and scripts.

Saved as ``autoconv/render/linemap.py`` this is all it takes: ``autoconv show TARGET --format
linemap`` works, because the CLI's choices are the formats that can show a conversion.
"""
from __future__ import annotations

from autoconv.model.check import SampleReport
from autoconv.model.conversion import Conversion
from autoconv.render import Formatter


class LineMapFormatter(Formatter):
    name = "linemap"

    def conversion(self, conversion: Conversion, report: SampleReport | None = None) -> str:
        rows = ["converted\toriginal\tcode"]
        for number, code in enumerate((conversion.converted or "").splitlines(), 1):
            origin = conversion.line_map.get(number, "")
            rows.append(f"{number}\t{origin}\t{code}")
        return "\n".join(rows) + "\n"
