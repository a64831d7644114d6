"""The wheel holds every subpackage and the templates: setup.cfg lists them by hand, and tests that
import from the source tree would not notice one missing (``pip install .`` then fails at the first
import, or the first page)."""
import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_setup_cfg_lists_every_subpackage_of_autoconv():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    listed = set(config["options"]["packages"].split())
    # every folder of modules, with or without __init__.py (autoconv/model has none)
    on_disk = {".".join(module.parent.relative_to(ROOT).parts) for module in (ROOT / "autoconv").rglob("*.py")}
    assert on_disk <= listed, sorted(on_disk - listed)
    assert "autoconv.builtin_samples" in listed


def test_setup_cfg_ships_every_template_and_their_engine():
    """The HTML pages come from ``autoconv/render/templates``: a template the wheel left out fails
    only once installed, at the first page."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    patterns = config["options.package_data"]["autoconv.render"].split()
    package = ROOT / "autoconv" / "render"
    templates = [path.relative_to(package) for path in (package / "templates").rglob("*") if path.is_file()]
    assert templates and all(any(path.match(pattern) for pattern in patterns) for path in templates), templates
    assert "jinja2" in config["options"]["install_requires"].split()


def test_setup_cfg_ships_the_explorers_static_files_and_its_extra():
    """``autoconv serve``'s page loads its editor bundle, script and stylesheet from the package."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    patterns = config["options.package_data"]["autoconv.serve"].split()
    package = ROOT / "autoconv" / "serve"
    static = [path.relative_to(package) for path in (package / "static").iterdir()]
    assert {"editor.js", "editor.LICENSE.txt", "explorer.js", "explorer.css"} <= {path.name for path in static}
    assert all(any(path.match(pattern) for pattern in patterns) for path in static), static
    extras = config["options.extras_require"]
    assert any(line.startswith("aiohttp") for line in extras["serve"].split())
    assert any(line.startswith("aiohttp") for line in extras["test"].split())
