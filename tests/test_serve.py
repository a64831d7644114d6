"""``autoconv serve``: a real server on a free loopback port, real workers, real Chromium.

One server serves the module (its worker imports TensorFlow once); the SIGTERM test starts its own.
"""
from __future__ import annotations

import asyncio
import http.client
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import pytest

from autoconv.catalogue import editor_code, read_all
from autoconv.errors import AutoconvError
from autoconv.model.check import CaseReport
from autoconv.serve.explorer import sample_menu, starting_code

aiohttp = pytest.importorskip("aiohttp")

TIMEOUT = 10  # the server's --timeout: long enough for a first trace on a busy machine
ANSWER_WAIT = 180  # an answer may wait for a worker to import TensorFlow


class Served(NamedTuple):
    process: subprocess.Popen[str]
    url: str
    port: int
    token: str


def start_server(python_env: dict[str, str], scratch: Path) -> Served:
    scratch.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "autoconv", "serve", "--no-browser", "--port", "0", "--timeout", str(TIMEOUT)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**python_env, "TMPDIR": str(scratch)})
    for line in process.stdout:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=(\w+)", line)
        if found:
            return Served(process, found.group(0), int(found.group(1)), found.group(2))
    process.kill()
    raise AssertionError("autoconv serve printed no URL")


def stop_server(served: Served) -> int:
    served.process.send_signal(signal.SIGTERM)
    return served.process.wait(timeout=60)


@pytest.fixture(scope="module")
def served(python_env, tmp_path_factory):
    server = start_server(python_env, tmp_path_factory.mktemp("serve") / "scratch")
    yield server
    stop_server(server)


async def _answers(served: Served, edits: list[dict], wanted: str = "calls", headers: dict | None = None) -> list[dict]:
    """Send ``edits`` over one WebSocket; every message until the last edit's ``wanted`` message."""
    received = []
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"http://127.0.0.1:{served.port}/ws?token={served.token}",
                                      headers=headers or {}) as connection:
            for edit in edits:
                await connection.send_json(edit)
            while True:
                message = await asyncio.wait_for(connection.receive_json(), ANSWER_WAIT)
                received.append(message)
                if message["id"] == edits[-1]["id"] and message["type"] == wanted:
                    return received


def answers(served: Served, edits: list[dict], wanted: str = "calls") -> list[dict]:
    return asyncio.run(_answers(served, edits, wanted))


def edit(number: int, source: str, arguments: str = "", function: str | None = None) -> dict:
    return {"id": number, "source": source, "arguments": arguments, "function": function}


def _status(served: Served, path: str, headers: dict[str, str] | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    connection.putrequest("GET", path, skip_host=True)
    for name, value in {"Host": f"127.0.0.1:{served.port}", **(headers or {})}.items():
        connection.putheader(name, value)
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


WEBSOCKET_HEADERS = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                     "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


def test_requests_without_the_token_or_from_a_foreign_host_or_origin_get_403_and_run_nothing(served, tmp_path):
    marker = tmp_path / "ran"
    source = f"open({str(marker)!r}, 'w').close()\n\ndef f(x):\n    return x\n"
    token = f"token={served.token}"
    assert _status(served, f"/?{token}") == 200
    refused = [
        ("/", {}), ("/?token=wrong", {}), ("/static/editor.js", {}),
        (f"/?{token}", {"Host": "evil.example"}), (f"/?{token}", {"Host": f"evil.example:{served.port}"}),
        (f"/?{token}", {"Origin": "http://evil.example"}), (f"/?{token}", {"Origin": f"http://evil.example:{served.port}"}),
        ("/ws", WEBSOCKET_HEADERS), (f"/ws?{token}", {**WEBSOCKET_HEADERS, "Origin": "http://evil.example"}),
        (f"/ws?{token}", {**WEBSOCKET_HEADERS, "Host": "rebound.example"}),
    ]
    for path, headers in refused:
        assert _status(served, path, headers) == 403, (path, headers)
    time.sleep(1)
    assert not marker.exists()
    # the same edit through the front door runs (so the refusals above are what kept it from running)
    answers(served, [edit(1, source)], wanted="conversion")
    assert marker.exists()


def test_an_infinite_loop_times_out_with_a_message_and_the_next_edit_is_answered(served):
    looping = answers(served, [edit(1, "while True:\n    pass\n\ndef f(x):\n    return x\n")], wanted="conversion")[-1]
    assert looping["html"] is None
    assert f"ran past the {TIMEOUT} s timeout" in looping["failure"]["message"]
    answered = answers(served, [edit(2, "def g(x):\n    return x + 1\n", "3")])
    conversion, explanation, calls = answered[-3:]
    assert [m["type"] for m in answered[-3:]] == ["conversion", "explanation", "calls"]
    assert explanation["explain_html"] and conversion["function"] == "g" and "tf__g" in conversion["html"]
    assert "ac-v-match" in calls["check_html"]


def test_a_call_that_takes_too_much_memory_gets_a_memory_error_and_the_server_serves_on(served):
    hungry = "def f(x):\n    return len(bytearray(x * 1024 ** 3))\n"
    calls = answers(served, [edit(1, hungry, "3")])[-1]
    assert "MemoryError" in calls["check_html"]
    assert "ac-v-match" in answers(served, [edit(2, "def g(x):\n    return x\n", "1")])[-1]["check_html"]


def test_a_burst_of_edits_computes_only_the_last_to_the_end(served):
    burst = [edit(number, f"def f(x):\n    return x + {number}\n", "1") for number in range(1, 21)]
    received = answers(served, burst)
    finished = {message["id"] for message in received if message["type"] == "calls"}
    assert finished == {20}
    assert "<td>21</td>" in received[-1]["check_html"].replace(" ", "")  # 1 + 20, on both sides


async def _slow_then_quick(served: Served, slow: dict, quick: dict, after: str = "conversion") -> tuple[float, list[dict]]:
    """Send ``slow``, and once its ``after`` message came and its next request runs, ``quick``:
    seconds from ``quick`` to its calls, and all that arrived."""
    received = []
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"http://127.0.0.1:{served.port}/ws?token={served.token}") as connection:
            await connection.send_json(slow)
            while not received or received[-1]["type"] != after:
                received.append(await asyncio.wait_for(connection.receive_json(), ANSWER_WAIT))
            await asyncio.sleep(0.5)  # its call is asleep in the worker now
            started = time.monotonic()
            await connection.send_json(quick)
            while not (received[-1]["id"] == quick["id"] and received[-1]["type"] == "calls"):
                received.append(await asyncio.wait_for(connection.receive_json(), ANSWER_WAIT))
            return time.monotonic() - started, received


def test_a_newer_edit_interrupts_the_running_call_of_an_older_one_and_keeps_the_worker(served):
    answers(served, [edit(1, "def f(x):\n    return x\n", "1")])  # a warm worker
    workers = _descendants(served.process.pid)
    slow = edit(2, "import time\n\ndef f(x):\n    time.sleep(5)\n    return x\n", "1")
    quick = edit(3, "def g(x):\n    return x + 1\n", "2")
    seconds, received = asyncio.run(_slow_then_quick(served, slow, quick))
    assert seconds < 2.5, seconds  # not the 5 s the slow call sleeps
    # the slow edit's explanation was being traced: neither it nor its verdict comes
    assert [(m["id"], m["type"]) for m in received] == [(2, "conversion"), (3, "conversion"), (3, "explanation"),
                                                        (3, "calls")]
    assert "ac-v-match" in received[-1]["check_html"] and "<td>3</td>" in received[-1]["check_html"].replace(" ", "")
    assert _descendants(served.process.pid) == workers  # interrupted, not ended: no new import


EAGER_SLEEP = 1.5  # seconds each eager call of SLOW_WHEN_EAGER sleeps; its trace does not
SLOW_WHEN_EAGER = f"""import time
import tensorflow as tf


def f(x):
    if tf.executing_eagerly():
        time.sleep({EAGER_SLEEP})
    if x > 0:
        x = x * 2
    return x
"""


async def _arrivals(served: Served, message: dict) -> list[tuple[float, dict]]:
    """Seconds from sending ``message`` to each of its answers, until its calls."""
    arrived = []
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"http://127.0.0.1:{served.port}/ws?token={served.token}") as connection:
            started = time.monotonic()
            await connection.send_json(message)
            while not arrived or arrived[-1][1]["type"] != "calls":
                answer = await asyncio.wait_for(connection.receive_json(), ANSWER_WAIT)
                arrived.append((time.monotonic() - started, answer))
    return arrived


def test_the_explanation_comes_on_its_own_as_soon_as_traced_and_the_verdict_after_it(served):
    answers(served, [edit(1, "def f(x):\n    return x\n", "1")])  # a warm worker
    arrived = asyncio.run(_arrivals(served, edit(2, SLOW_WHEN_EAGER, "tf.constant(3)")))
    assert [(answer["id"], answer["type"]) for _, answer in arrived] == [(2, "conversion"), (2, "explanation"),
                                                                      (2, "calls")]
    (_, _), (explained_at, explanation), (checked_at, calls) = arrived
    # the explanation: the trace's badges on the editor's if line (a tensor condition: tf.cond)
    assert "tf.cond" in explanation["badges"]["8"] and "ac-badge" in explanation["explain_html"]
    assert explanation["failures"] == [] and "check_html" not in explanation
    # the verdict: the check's whole case, whose two eager calls sleep; the explanation did not wait for them
    assert "ac-v-match" in calls["check_html"], calls["check_html"]
    assert "explain_html" not in calls and calls["ops_html"]
    assert checked_at - explained_at >= 2 * EAGER_SLEEP, (explained_at, checked_at)


def test_a_newer_edit_during_the_check_drops_the_older_verdict_after_its_explanation(served):
    answers(served, [edit(1, "def f(x):\n    return x\n", "1")])  # a warm worker
    slow = edit(2, SLOW_WHEN_EAGER.replace(str(EAGER_SLEEP), "5"), "tf.constant(3)")
    quick = edit(3, "def g(x):\n    return x + 1\n", "2")
    seconds, received = asyncio.run(_slow_then_quick(served, slow, quick, after="explanation"))
    assert seconds < 2.5, seconds  # not the 10 s the slow check's eager calls sleep
    assert [(m["id"], m["type"]) for m in received] == [(2, "conversion"), (2, "explanation"), (3, "conversion"),
                                                        (3, "explanation"), (3, "calls")]


def test_a_failing_call_is_said_at_its_arguments_line_and_a_syntax_error_at_its_line(served):
    calls = answers(served, [edit(1, "def f(x):\n    return x\n", "1\nundefined_name\n")])[-1]
    assert [failure["argument_line"] for failure in calls["failures"]] == [2]
    assert "NameError" in calls["failures"][0]["message"]
    broken = answers(served, [edit(2, "def f(x):\n    return x\n\ndef g(:\n")], wanted="conversion")[-1]
    assert broken["failure"]["line"] == 4 and broken["html"] is None
    raising = answers(served, [edit(3, "def f(x):\n    return x\n\nratio = 1 / 0\n")], wanted="conversion")[-1]
    assert raising["failure"] == {"line": 4, "message": "explorer.py:4: loading raised ZeroDivisionError: division by zero"}


def _wait(browser, script: str, seconds: float = ANSWER_WAIT):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = browser.execute_script(script)
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"never true: {script}")


def _fits(browser, width: int) -> bool:
    browser.set_window_size(width, 900)
    return browser.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_page_live(served, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(served.url)
    _wait(browser, "return document.querySelector('#acx-pane-converted .ac-converted')")  # the lesson's myadd

    # type a function: the converted view follows
    editor = browser.find_element(By.CSS_SELECTOR, ".cm-content")
    editor.click()
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys("import tensorflow as tf\n\ndef double(x):\nif x > 0:\nx = x * 2\n")
    editor.send_keys(Keys.BACKSPACE, "return x")
    _wait(browser, "var pane = document.querySelector('#acx-pane-converted').textContent; return "
                   "pane.includes('tf__double') && pane.includes('return x') && "
                   "document.getElementById('acx-status').textContent === 'ready'")
    text = browser.execute_script("return window.autoconvExplorer.editor.text()")
    assert "    if x > 0:\n        x = x * 2\n    return x" in text

    # hover a converted line: its original line is marked, in the view and in the editor
    converted = browser.find_element(By.CSS_SELECTOR, "#acx-pane-converted .ac-converted .ac-line[data-orig='5']")
    ActionChains(browser).move_to_element(converted).perform()
    _wait(browser, "return document.querySelector(\"#acx-pane-converted .ac-original .ac-line.ac-hit[data-orig='5']\")", 5)
    hovered = _wait(browser, "var l = document.querySelector('.cm-line.acx-line-hover'); return l && l.textContent", 5)
    assert hovered.strip() == "x = x * 2"

    # arguments: explain badges and the check's verdict
    arguments = browser.find_element(By.ID, "acx-arguments")
    arguments.clear()  # myadd's two calls, from the page's start
    arguments.send_keys("tf.constant(3)")
    _wait(browser, "var pane = document.querySelector('#acx-pane-check'); return pane.querySelector('.ac-v-match') "
                   "&& pane.textContent.includes('tf.constant(3)')")
    assert browser.execute_script("return document.querySelectorAll('#acx-pane-explain .ac-badge').length") > 0
    _wait(browser, "return document.querySelectorAll('.acx-mark-badge').length", 5)

    # a syntax error: said at its line; the last good view stays, greyed
    editor.send_keys(Keys.CONTROL, Keys.END)
    editor.send_keys("\n\ndef broken(:")
    failure = _wait(browser, "var f = document.getElementById('acx-failure'); return !f.hidden && f.textContent")
    assert failure.startswith("line 8: SyntaxError")
    assert browser.execute_script(
        "return document.querySelector('.cm-line.acx-line-error').textContent").strip().startswith("def broken(")
    pane = browser.find_element(By.ID, "acx-pane-converted")
    assert "acx-stale" in pane.get_attribute("class") and "tf__double" in pane.get_attribute("textContent")

    # the URL alone gives the same state back (browser storage cleared first)
    state_url = browser.current_url
    expected = browser.execute_script("return window.autoconvExplorer.editor.text()")
    browser.execute_script("localStorage.clear()")
    browser.get("about:blank")
    browser.get(state_url)
    _wait(browser, "return Boolean(window.autoconvExplorer)")
    assert browser.execute_script("return window.autoconvExplorer.editor.text()") == expected
    assert browser.find_element(By.ID, "acx-arguments").get_attribute("value") == "tf.constant(3)"

    assert _fits(browser, 390) and _fits(browser, 1400)


PANE_COLOURS = """
return ['converted', 'explain', 'check'].map(function (tab) {
  var pane = document.getElementById('acx-pane-' + tab);
  pane.hidden = false;  // computed styles do not need the tab shown, but its view must be there
  var view = pane.querySelector('.autoconv');
  var style = view && getComputedStyle(view);
  return view ? [style.backgroundColor, style.color] : null;
}).concat([[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]]);
"""


def _luminance(css_colour: str) -> float:
    red, green, blue = (int(part) for part in re.findall(r"\d+", css_colour)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def test_the_panes_follow_a_dark_system_and_the_pages_switch(served, browser):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia",
                            {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    browser.get(served.url)
    _wait(browser, "return document.querySelector('#acx-pane-check .autoconv') && "
                   "document.querySelector('#acx-pane-explain .autoconv')")  # the lesson's calls answered
    for width in (390, 1400):
        browser.set_window_size(width, 900)
        colours = browser.execute_script(PANE_COLOURS)
        assert None not in colours
        for background, foreground in colours:  # the three panes' views and the page's frame
            assert _luminance(background) < 0.15 < 0.8 < _luminance(foreground), (width, colours)
    assert browser.execute_script("return document.querySelector('.cm-editor').classList.length > 0 && "
                                  "getComputedStyle(document.querySelector('.cm-editor')).backgroundColor") != \
        "rgb(255, 255, 255)"
    browser.find_element("id", "acx-theme").click()  # the page's switch wins over the system
    for background, foreground in browser.execute_script(PANE_COLOURS):
        assert _luminance(background) > 0.85 > 0.3 > _luminance(foreground)


def test_sigterm_stops_the_server_and_every_worker_and_leaves_no_temp_file(python_env, tmp_path):
    scratch = tmp_path / "scratch"
    server = start_server(python_env, scratch)
    try:
        answers(server, [edit(1, "def f(x):\n    return x\n", "1")])
        descendants = _descendants(server.process.pid)
        assert descendants  # the worker
        asyncio.run(_terminated_while_running(server, edit(2, "def f(x):\n    while True:\n        pass\n", "1")))
    finally:
        code = stop_server(server)
    assert code == 128 + signal.SIGTERM
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in descendants) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in descendants if _alive(pid)]
    assert list(scratch.iterdir()) == []


async def _terminated_while_running(served: Served, message: dict) -> None:
    """SIGTERM while ``message``'s call runs in a worker."""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"http://127.0.0.1:{served.port}/ws?token={served.token}") as connection:
            await connection.send_json(message)
            await asyncio.wait_for(connection.receive_json(), ANSWER_WAIT)  # the conversion: the call follows
            await asyncio.sleep(1)
            served.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(connection.receive(), 60)  # the server closes the socket


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        for listing in Path(f"/proc/{queue.pop()}/task").glob("*/children"):
            children = [int(child) for child in listing.read_text().split()]
            found += children
            queue += children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_serve_help_imports_neither_tensorflow_nor_aiohttp(python_env):
    probe = ("import sys\nfrom autoconv.cli import main\ntry:\n    main(['serve', '--help'])\nexcept SystemExit:\n"
             "    pass\nprint(json.dumps(['tensorflow' in sys.modules, 'aiohttp' in sys.modules]))")
    result = subprocess.run([sys.executable, "-c", "import json\n" + probe], capture_output=True, text=True,
                            env=python_env, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == [False, False]


def test_every_catalogue_sample_in_the_menu_opens_as_code_that_parses_or_says_why():
    import ast

    by_name = {declaration.name: declaration for declaration in read_all(None)}
    opened = 0
    for entry in sample_menu():
        try:
            code, function, _ = editor_code(by_name[entry["name"]])
        except AutoconvError as error:
            assert "is not a function defined at the top of its file" in str(error)
            continue
        tree = ast.parse(code)
        assert function in [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
        opened += 1
    assert opened > 50
    lesson = starting_code(None)
    assert lesson.function == "myadd" and lesson.arguments[0] == "tf.constant(1), tf.constant(2)"


def test_serve_opens_on_a_file_or_a_function_of_it(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text("def f(x):\n    return x\n\ndef g(y):\n    return y\n")
    assert (starting_code(f"{path}:f").code, starting_code(f"{path}:f").function) == (path.read_text(), "f")
    assert starting_code(str(path)).function is None


def test_a_worker_is_recycled_after_its_bounded_number_of_requests_and_its_successor_answers():
    from autoconv.equivalence.pool import WorkerPool

    seen = []
    with WorkerPool(1, recycle_after=2) as pool:
        for number in range(3):
            _, outcome = next(pool.run([("convert_text", (f"def f(x):\n    return x + {number}\n", None))], 300))
            assert outcome.status == "ok" and f"x + {number}" in outcome.value["conversion"]["original"]
            pool.settle(300)  # the answer came first; recycling waits for the worker to put itself back
            seen.append([worker.process for worker in pool.workers])
    first, after_two, successor = seen
    assert len(first) == 1 and after_two == [] and len(successor) == 1  # replaced after its second request
    assert first[0].poll() is not None and successor[0].pid != first[0].pid


def test_a_process_that_compiles_editor_texts_leaves_no_folder(tmp_path, python_env):
    """Each kept text lives in a folder of its own, which goes with the process: nothing is left
    in the temp folder of a process that used the editor's code for itself."""
    script = ("from autoconv.equivalence import editor_code\n"
              "for n in range(4):\n"
              "    editor_code._written(f'def f{n}(x):\\n    return x\\n')\n"
              "print(len(editor_code._compiled))\n")
    result = subprocess.run([sys.executable, "-c", script], env={**python_env, "TMPDIR": str(tmp_path)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"  # KEPT texts were still there at exit
    assert not list(tmp_path.glob("autoconv-editor-*"))


# Leaves the process untrustworthy: each call starts a thread that never ends and keeps marking
# builtins, which a later request in the same process would see however often it is put back.
TAINTING = """import builtins
import threading
import time


def taint():
    while True:
        builtins.tainted = "tainted"
        time.sleep(0.005)


def f(x):
    threading.Thread(target=taint, daemon=True).start()
    if x > 0:
        x = x * 2
    return x
"""
PROBE = "import builtins\n\ndef g(x):\n    return getattr(builtins, 'tainted', 'clean')\n"


def test_an_explanation_that_leaves_its_worker_untrustworthy_is_answered_and_the_next_request_gets_a_fresh_worker():
    """The answer goes before the process is put back; the restore's outcome follows, and the pool
    reads it before the worker's next task: this one could not be put back, so the next task runs
    in its successor, which no thread of the tainting code ever touched."""
    from autoconv.equivalence.pool import WorkerPool

    with WorkerPool(1) as pool:
        _, explained = next(pool.run([("explain_text", (TAINTING, "f", "tf.constant(3)"))], 300))
        assert explained.status == "ok", explained.value
        lines = {line["line"]: line for line in explained.value["explanation"]["explanation"]["lines"]}
        assert any("tf.cond" in badge["text"] for badge in lines[14]["badges"]), lines
        assert len(pool.workers) == 1  # it answered before putting its process back: not replaced yet
        tainted = pool.workers[0].process
        _, probed = next(pool.run([("call_text", (PROBE, "g", "1"))], 300))
        assert tainted.poll() is not None  # replaced before it was given the probe
        case = CaseReport.from_dict(probed.value["case"])
        values = [record.value for record in case.eager + case.graph]
        assert len(values) == 4 and all("clean" in value for value in values), values
        assert case.worker_recycled is None


def test_an_edit_that_leaves_its_worker_untrustworthy_gets_its_explanation_and_verdict_and_the_next_edit_is_clean(served):
    answered = answers(served, [edit(1, TAINTING, "tf.constant(3)")])
    conversion, explanation, calls = answered[-3:]
    assert [m["type"] for m in answered[-3:]] == ["conversion", "explanation", "calls"]
    assert "tf.cond" in explanation["badges"]["14"] and explanation["failures"] == []
    assert "ac-v-match" in calls["check_html"]
    probed = answers(served, [edit(2, PROBE, "1")])[-1]
    assert "clean" in probed["check_html"] and "tainted" not in probed["check_html"], probed["check_html"]


# Its module's finaliser ends the process: it runs once the module is let go, after the answer,
# while the worker puts its process back.
ENDS_ON_CLEANUP = """import os


class Bomb:
    def __del__(self):
        os._exit(3)


bomb = Bomb()


def f(x):
    return x + 1
"""


def test_a_worker_that_dies_putting_its_process_back_keeps_its_answer_and_is_replaced():
    from autoconv.equivalence.pool import WorkerPool

    with WorkerPool(1) as pool:
        _, converted = next(pool.run([("convert_text", (ENDS_ON_CLEANUP, None))], 300))
        assert converted.status == "ok" and "tf__f" in converted.value["conversion"]["converted"]
        dying = pool.workers[0].process
        pool.settle(300)  # reads its end instead of the restore's outcome: a crash, so it is replaced
        assert dying.returncode == 3 and pool.workers == []
        _, answered = next(pool.run([("convert_text", ("def g(x):\n    return x\n", None))], 300))
        assert answered.status == "ok" and answered.value["function"] == "g"
        assert pool.workers[0].process.pid != dying.pid
