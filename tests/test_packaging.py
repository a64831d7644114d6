"""The wheel holds every subpackage: setup.cfg lists them by hand, and tests that import from the
source tree would not notice one missing (``pip install .`` then fails at the first import)."""
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
