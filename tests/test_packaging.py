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
    on_disk = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "autoconv").rglob("__init__.py")}
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
