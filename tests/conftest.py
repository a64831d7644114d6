"""What the test files share: a samples file, the command line (in this process or a fresh one),
a Python environment that imports this checkout, and a headless Chromium.

Sphinx's testing fixtures (``make_app``, for tests/test_sphinx.py) are loaded here too: pytest
accepts ``pytest_plugins`` only in the root conftest.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROME_ARGUMENTS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    "--window-size=1400,1000",
)


class CliResult(NamedTuple):
    """One run of the command line: read as ``result.returncode`` or unpack as ``code, out, err``."""

    returncode: int
    stdout: str | bytes
    stderr: str | bytes


@pytest.fixture(scope="module")
def samples_file(request, tmp_path_factory) -> Path:
    """The test module's ``SAMPLES`` source, written once per module as ``samples/<SAMPLES_FILE>``
    (``samples.py`` unless the module names it).  The ``samples`` folder holds that file alone, so it
    can be given as a folder too; its parent is the module's own, free for an output folder."""
    folder = tmp_path_factory.mktemp(request.module.__name__.rpartition(".")[2]) / "samples"
    folder.mkdir()
    path = folder / getattr(request.module, "SAMPLES_FILE", "samples.py")
    path.write_text(request.module.SAMPLES)
    return path


@pytest.fixture
def run_cli(capsys):
    """``autoconv ARGV...`` in this process (``autoconv.cli.main``): a CliResult of what it printed."""
    from autoconv.cli import main

    def run(*argv: str) -> CliResult:
        capsys.readouterr()  # what the test printed before is not the command's output
        code = main(list(argv))
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


def _importing_this_checkout(environment: dict[str, str]) -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(REPO_ROOT), environment.get("PYTHONPATH")]))
    return {**environment, "PYTHONPATH": path}


@pytest.fixture(scope="session")
def python_env() -> dict[str, str]:
    """This process's environment with this checkout first on PYTHONPATH: a child Python, in any
    folder, imports the autoconv under test."""
    return _importing_this_checkout(dict(os.environ))


@pytest.fixture(scope="session")
def run_autoconv():
    """``python -m autoconv ARGV...`` in a fresh process, as a user runs it: a CliResult.

    ``env`` adds to (does not replace) this process's environment; ``text=False`` keeps bytes."""

    def run(*argv: str, cwd: Path | str | None = None, env: dict[str, str] | None = None,
            timeout: float = 600, text: bool = True) -> CliResult:
        environment = _importing_this_checkout({**os.environ, **(env or {})})
        result = subprocess.run([sys.executable, "-m", "autoconv", *argv], cwd=cwd, env=environment,
                                capture_output=True, text=text, timeout=timeout)
        return CliResult(result.returncode, result.stdout, result.stderr)

    return run


class _BrowserStartedOnFirstUse:
    """A selenium Chrome driver that starts when a test first touches it.

    Most browser tests first run autoconv (TensorFlow in worker processes) and only then load the
    page. A Chromium started before that work sits idle beside it, and when memory runs short the
    kernel's OOM killer picks Chromium's renderer first (Chromium marks it so), which surfaces
    later as "tab crashed". Starting the browser when the page is ready keeps the two apart.
    """

    def __init__(self, profile: Path) -> None:
        self._profile = profile
        self._driver = None

    def __getattr__(self, name: str):
        if self._driver is None:
            self._driver = self._start()
        return getattr(self._driver, name)

    def _start(self):
        """A browser whose first tab answers; one more try if the first one's tab crashed at
        start (a renderer lost to the machine, before any page of ours was loaded)."""
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for argument in (*CHROME_ARGUMENTS, f"--user-data-dir={self._profile}"):
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            driver.execute_script("return 1")
        except WebDriverException:
            driver.quit()
            driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        return driver

    def quit_if_started(self) -> None:
        if self._driver is not None:
            self._driver.quit()


@pytest.fixture
def browser(tmp_path):
    """A headless Chromium driven by selenium; skipped without Debian's chromium and chromium-driver."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip(f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian packages chromium and chromium-driver)")
    pytest.importorskip("selenium.webdriver")
    driver = _BrowserStartedOnFirstUse(tmp_path / "chromium-profile")
    yield driver
    driver.quit_if_started()
