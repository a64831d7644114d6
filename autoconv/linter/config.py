"""Which codes to report: ``--select``/``--ignore``, and the linted project's own
settings, ``[tool.autoconv.lint]`` in pyproject.toml or ``[autoconv.lint]`` in
setup.cfg, found by walking up from each linted file (as ruff and flake8 do).
"""

from __future__ import annotations

import configparser
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from autoconv.errors import AutoconvError
from autoconv.linter.pins import KERAS3, WALK_ON, PinFinder, nearest_above, parse_version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pyproject.toml settings need tomli
    try:
        import tomli as tomllib
    except ModuleNotFoundError:
        tomllib = None

_CODE = re.compile(r"AC\d{0,3}")
_KEYS = ("select", "ignore", "min-severity", "tensorflow")
SEVERITIES = ("info", "warning", "error")
ALWAYS = ("AC000", "AC001")  # a file that could not be checked is never silently skipped


class ConfigError(AutoconvError):
    """A setting that cannot be right: an unknown key or code, broken TOML."""


def _codes(value: object, where: str) -> tuple[str, ...]:
    items = re.split(r"[,\s]+", value) if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        raise ConfigError(f"{where}: expected a list of codes, got {value!r}")
    codes = tuple(str(item).strip().upper() for item in items if str(item).strip())
    for code in codes:
        if not _CODE.fullmatch(code):
            raise ConfigError(f"{where}: {code!r} is not a lint code or prefix (like AC101 or AC3)")
    return codes


@dataclass(frozen=True)
class Selection:
    """Codes are matched by prefix, so ``AC3`` means every AC3xx rule.  ``tensorflow`` is the
    (major, minor) the project runs, stated or pinned (None: unknown, maybe the newest)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    min_severity: str = "info"
    tensorflow: tuple[int, int] | None = None

    @property
    def keras2(self) -> bool:
        """The project runs TensorFlow < 2.16, whose tf.keras is Keras 2: Keras-3-only findings do not hold."""
        return self.tensorflow is not None and self.tensorflow < KERAS3

    @classmethod
    def of(cls, select: Iterable[str] | None, ignore: Iterable[str] | None, where: str = "option") -> Selection:
        return cls(
            None if select is None else _codes(list(select), f"{where} select"),
            () if ignore is None else _codes(list(ignore), f"{where} ignore"),
        )

    def override(
        self, select: Iterable[str] | None, ignore: Iterable[str] | None, min_severity: str | None = None
    ) -> Selection:
        """Options given on the command line replace the file's settings."""
        given = Selection.of(select, ignore)
        return Selection(
            self.select if select is None else given.select,
            self.ignore if ignore is None else given.ignore,
            self.min_severity if min_severity is None else _severity(min_severity, "option min-severity"),
            self.tensorflow,
        )

    def wants(self, code: str, severity: str = "error") -> bool:
        if code in ALWAYS:
            return not any(code.startswith(p) for p in self.ignore if len(p) == 5)
        if SEVERITIES.index(severity) < SEVERITIES.index(self.min_severity):
            return False
        selected = self.select is None or any(code.startswith(p) for p in self.select)
        return selected and not any(code.startswith(p) for p in self.ignore)


def _severity(value: object, where: str) -> str:
    if value not in SEVERITIES:
        raise ConfigError(f"{where}: {value!r} is not a severity ({', '.join(SEVERITIES)})")
    return str(value)


def read_config(folder: str) -> Selection | None:
    """The settings stored in ``folder`` itself, or None when it has none."""
    pyproject = os.path.join(folder, "pyproject.toml")
    if tomllib is not None and os.path.isfile(pyproject):
        try:
            with open(pyproject, "rb") as fh:
                data = tomllib.load(fh)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{pyproject}: {exc}") from None
        table = data.get("tool", {}).get("autoconv", {}).get("lint")
        if table is not None:
            return _selection(table, f"{pyproject} [tool.autoconv.lint]")
    setup_cfg = os.path.join(folder, "setup.cfg")
    if os.path.isfile(setup_cfg):
        parser = configparser.ConfigParser()
        try:
            parser.read(setup_cfg, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as exc:
            raise ConfigError(f"{setup_cfg}: {' '.join(str(exc).split())}") from None
        if parser.has_section("autoconv.lint"):
            return _selection(dict(parser["autoconv.lint"]), f"{setup_cfg} [autoconv.lint]")
    return None


def _selection(table: object, where: str) -> Selection:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table")
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(_KEYS)})")
    select = table.get("select")
    return Selection(
        None if select is None else _codes(select, f"{where} select"),
        _codes(table.get("ignore", ()), f"{where} ignore"),
        _severity(table.get("min-severity", "info"), f"{where} min-severity"),
        _tensorflow(table.get("tensorflow"), f"{where} tensorflow"),
    )


def _tensorflow(value: object, where: str) -> tuple[int, int] | None:
    """``tensorflow = "2.15"``: the release the project runs, which wins over what its files pin."""
    if value is None:
        return None
    version = parse_version(value) if isinstance(value, str) else None
    if version is None:
        raise ConfigError(f"{where}: expected a TensorFlow version like \"2.15\", got {value!r}")
    return version


def _or_walk_on(config: Selection | None) -> object:
    return WALK_ON if config is None else config


class ConfigFinder:
    """The nearest settings above each file, each folder read at most once, with the TensorFlow
    the nearest project root pins when the settings state none."""

    def __init__(self) -> None:
        self._by_folder: dict[str, Selection] = {}
        self._pins = PinFinder()

    def selection_for(self, path: str) -> Selection:
        found = self._settings_for(path)
        if found.tensorflow is None:
            pinned = self._pins.tensorflow_for(path)
            if pinned is not None:
                found = Selection(found.select, found.ignore, found.min_severity, pinned)
        return found

    def _settings_for(self, path: str) -> Selection:
        return nearest_above(path, self._by_folder, lambda folder: _or_walk_on(read_config(folder)), Selection())
