"""TensorFlow costs seconds to import; these entry points must not pay for it."""
import subprocess
import sys

import pytest


def _imports_tensorflow(code: str) -> bool:
    probe = f"{code}\nimport sys\nprint('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1] == "True"


def test_import_autoconv_does_not_import_tensorflow():
    assert not _imports_tensorflow("import autoconv\nfrom autoconv import sample, case")


def test_declaring_a_sample_does_not_import_tensorflow():
    code = "from autoconv import sample, case\n@sample(inputs=[(1,), case(2, k=3)])\ndef f(x, k=1):\n    return x"
    assert not _imports_tensorflow(code)


@pytest.mark.parametrize("argv", [["--help"], ["list"], ["list", "--json"], ["check", "--help"]])
def test_cli_commands_that_must_stay_fast(argv):
    code = (
        "import sys\nfrom autoconv.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass"
    )
    assert not _imports_tensorflow(code)
