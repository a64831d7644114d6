"""What the explorer page asks, answered by the check's workers and drawn by the HTML renderer.

An edit is ``{"id", "source", "function", "arguments"}``. Its answer comes in three messages, each
as soon as it exists: the conversion (``convert_text`` in a worker, drawn by
``HtmlFormatter.conversion``); the explanation of the Arguments box's last call (``explain_text``:
one trace and call, drawn by ``explanation``, with the editor's badges); then what all the calls
did (one ``call_text`` each: the check's verdict and the traced graph, drawn by ``sample_report``
and ``graph``). The explanation is its own request, answered before the check's whole case (two
calls a side, the graph, the process put back around each side), because the page can show it
long before the verdict exists; each request is isolated as the check's sides are. Requests run one at a
time on one thread; before each worker task the edit is dropped if a newer one came from the same
page, so a burst of typing computes only the last edit to the end. A task of an older edit that is
already running when a newer edit of its page comes gets ``SUPERSEDE_GRACE`` seconds to finish,
then is interrupted (the worker unwinds it and puts itself back, staying warm); a worker that has
not let go ``END_GRACE`` seconds later is ended and replaced, as after a timeout.
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autoconv import catalogue, processes
from autoconv.equivalence.pool import EDITOR_FILE, Outcome, WorkerPool
from autoconv.errors import AutoconvError
from autoconv.model.check import CaseReport, ConversionStatus, SampleReport
from autoconv.model.conversion import Conversion
from autoconv.model.explanation import CaseExplanation, Explanation
from autoconv.render import ViewOptions
from autoconv.render.html import HtmlFormatter

MEMORY_LIMIT = 2 * 1024 ** 3  # bytes a worker may take beyond TensorFlow itself
SUPERSEDE_GRACE = 0.3  # seconds an older edit's running task may go on once a newer edit came
END_GRACE = 2.0  # seconds an interrupted task has to unwind before its worker is ended
# A serve worker is replaced after this many requests (two or three an edit), or once it holds this many
# resident bytes more than after its first request: a backstop for what TensorFlow keeps.
RECYCLE_AFTER = 1000
RECYCLE_GROWTH = 48 * 1024 ** 2

LESSON = "myadd"

Send = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass
class Start:
    """What the page opens on: code, the function to show and the Arguments box's lines."""

    code: str
    function: str | None = None
    arguments: list[str] = field(default_factory=list)


def sample_start(name: str) -> Start:
    """A catalogue sample as code to edit (``catalogue.editor_code``)."""
    for declaration in catalogue.read_all(None):
        if declaration.name == name:
            code, function, calls = catalogue.editor_code(declaration)
            return Start(code, function, calls)
    raise AutoconvError(f"no sample named {name!r} (see 'autoconv list'), and no such file")


def starting_code(target: str | None) -> Start:
    """``FILE``, ``FILE:function`` or a catalogue sample's name; nothing: the lesson's ``myadd``.
    The file is only read: the explorer edits a copy in the page, never the file."""
    if target is None:
        return sample_start(LESSON)
    path, _, function = target.partition(":") if target.partition(":")[0].endswith(".py") else (target, "", "")
    if Path(path).is_file():
        return Start(catalogue.read_source(Path(path)), function or None)
    return sample_start(target)


def sample_menu() -> list[dict[str, str]]:
    """The catalogue's samples, read without running them, for the page's menu (one that is not a
    top-level function says so when chosen: finding out for all would cost the start a second)."""
    return [{"name": declaration.name, "title": declaration.title} for declaration in catalogue.read_all(None)]


def _failure_text(outcome: Outcome) -> dict[str, Any]:
    if outcome.status == "timeout":
        return {"line": None, "message": f"the code {outcome.value}; its worker was restarted"}
    return {"line": None, "message": str(outcome.value)}


@dataclass(frozen=True, eq=False)
class Running:
    """The worker task the thread is waiting for: which page's which edit (compared by identity)."""

    page: int
    edit: int


class Explorer:
    """The workers, the thread that talks to them, and the newest edit of each page."""

    def __init__(self, timeout: float, memory_limit: int | None = MEMORY_LIMIT) -> None:
        self.timeout = timeout
        self.pool = WorkerPool(1, memory_limit=memory_limit, recycle_after=RECYCLE_AFTER,
                               recycle_growth=RECYCLE_GROWTH)
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="autoconv-explorer")
        self.newest: dict[int, int] = {}  # page -> id of its newest edit
        self.running: Running | None = None
        self.lock = threading.Lock()
        self.closing = False

    def close(self) -> None:
        """Stop every worker and the thread. The workers' processes end first, so a task in flight
        sees its worker gone at once (the thread owns the connections; it closes them after)."""
        self.closing = True
        for worker in list(self.pool.workers):
            processes.end(worker.process)
        self.thread.shutdown(wait=True, cancel_futures=True)
        self.pool.__exit__()

    def _task(self, kind: str, arguments: tuple[Any, ...], page: int | None = None, edit: int | None = None) -> Outcome:
        if self.closing:  # no new worker while the server stops
            return Outcome("error", "the server is stopping")
        with self.lock:
            self.running = Running(page, edit) if page is not None and edit is not None else None
        try:
            outcome = next(self.pool.run([(kind, arguments)], self.timeout))[1]  # one task: one outcome
        finally:
            with self.lock:
                self.running = None
        # The answer comes before the worker has put its process back: that is waited for next,
        # while the answer is drawn and sent, and before any further task on this thread.
        if not self.closing:
            self.thread.submit(self._settle)
        return outcome

    def _settle(self) -> None:
        """Wait for the worker to put its process back after its last task; if it could not (or
        crashed, or was due for recycling), it was replaced: start importing its successor now."""
        self.pool.settle(self.timeout)
        if not self.pool.workers and not self.closing:
            self.warm()

    def _supersede(self, running: Running, end: bool) -> None:
        """Interrupt ``running`` if the thread still waits for it; with ``end``, end its worker."""
        loop = asyncio.get_running_loop()
        with self.lock:
            if self.running is not running or self.closing:
                return
            for worker in [w for w in self.pool.workers if w.ready]:
                if end:
                    processes.end(worker.process)  # the pool sees it gone and replaces it
                else:
                    worker.supersede()
        if not end:
            loop.call_later(END_GRACE, self._supersede, running, True)

    def warm(self) -> None:
        """Start a worker now, so the first edit does not wait for TensorFlow's import."""
        self.thread.submit(self._task, "convert_text", ("def start():\n    return 0\n", None))

    def _current(self, page: int, edit: int) -> bool:
        with self.lock:
            return self.newest.get(page) == edit

    async def answer(self, page: int, edit: dict[str, Any], send: Send) -> None:
        """The messages for ``edit`` (conversion, explanation, calls), unless a newer edit of
        ``page`` overtakes it: then none of those not sent yet is sent."""
        loop = asyncio.get_running_loop()
        with self.lock:
            self.newest[page] = edit["id"]
            running = self.running
        if running is not None and running.page == page and running.edit != edit["id"]:
            loop.call_later(SUPERSEDE_GRACE, self._supersede, running, False)
        converted = await loop.run_in_executor(self.thread, self._convert, page, edit)
        if converted is None:
            return
        answer, conversion = converted
        lines = _argument_lines(edit)
        # The worker traces the explanation while the conversion's view is drawn here (the thread
        # waits on the worker's socket): the explanation need not wait for the drawing.
        explaining = (loop.run_in_executor(self.thread, self._explain, page, edit, conversion, lines)
                      if conversion is not None else None)
        await send(await loop.run_in_executor(None, _conversion_message, edit, answer, conversion))
        if explaining is None:
            return
        explained = await explaining
        if explained is None:
            return
        message, failed = explained
        await send(message)
        calls = await loop.run_in_executor(self.thread, self._calls, page, edit, conversion, lines, failed)
        if calls is not None:
            await send(calls)

    def forget(self, page: int) -> None:
        with self.lock:
            self.newest.pop(page, None)

    def _convert(self, page: int, edit: dict[str, Any]) -> tuple[dict[str, Any], Conversion | None] | None:
        """The worker's answer to the edit's conversion and the Conversion in it (None when the
        code does not convert), or None when a newer edit overtook it."""
        if not self._current(page, edit["id"]):
            return None
        outcome = self._task("convert_text", (edit["source"], edit.get("function")), page, edit["id"])
        if not self._current(page, edit["id"]):  # overtaken while it ran (maybe interrupted)
            return None
        if outcome.status != "ok":
            answer: dict[str, Any] = {"functions": [], "function": None, "findings": [], "conversion": None,
                                      "failure": _failure_text(outcome)}
        else:
            answer = outcome.value
        return answer, Conversion.from_dict(answer["conversion"]) if answer["conversion"] else None

    def _explain(self, page: int, edit: dict[str, Any], conversion: Conversion,
                 lines: list[tuple[int, str]]) -> tuple[dict[str, Any], dict[int, dict[str, Any]]] | None:
        """The explanation message for the last Arguments line, and that line's failure when its
        worker timed out or crashed (the check would only wait for the same end again)."""
        message: dict[str, Any] = {"id": edit["id"], "type": "explanation", "explain_html": None, "badges": {},
                                   "failures": []}
        if not lines:
            return (message, {}) if self._current(page, edit["id"]) else None
        number, text = lines[-1]
        asked = self._ask("explain_text", edit, conversion.name, text, page)
        if asked is None:
            return None
        answer, status = asked
        if "failure" in answer:
            message["failures"] = [{"argument_line": number, **answer["failure"]}]
            return message, ({number: answer["failure"]} if status in ("timeout", "crash") else {})
        explained = CaseExplanation.from_dict(answer["explanation"])
        if explained.explanation is not None:
            message.update(_drawn_explanation(explained.explanation, conversion))
        return message, {}

    def _ask(self, kind: str, edit: dict[str, Any], function: str, arguments: str,
             page: int) -> tuple[dict[str, Any], str] | None:
        """One Arguments line's request to a worker: its answer (a failure when the worker timed out
        or crashed) and the outcome's status; None once a newer edit made it moot, before or after."""
        if not self._current(page, edit["id"]):
            return None
        outcome = self._task(kind, (edit["source"], function, arguments), page, edit["id"])
        if not self._current(page, edit["id"]):
            return None
        answer = outcome.value if outcome.status == "ok" else {"failure": _failure_text(outcome)}
        return answer, outcome.status

    def _calls(self, page: int, edit: dict[str, Any], conversion: Conversion, lines: list[tuple[int, str]],
               failed: dict[int, dict[str, Any]]) -> dict[str, Any] | None:
        cases: list[CaseReport] = []
        failures: list[dict[str, Any]] = []
        for number, text in lines:
            if number in failed:
                failures.append({"argument_line": number, **failed[number]})
                continue
            asked = self._ask("call_text", edit, conversion.name, text, page)
            if asked is None:
                return None
            answer, _ = asked
            if "failure" in answer:
                failures.append({"argument_line": number, **answer["failure"]})
            else:
                cases.append(CaseReport.from_dict(answer["case"]))
        return {"id": edit["id"], "type": "calls", "failures": failures, **_drawn_calls(conversion, cases)}


def _conversion_message(edit: dict[str, Any], answer: dict[str, Any], conversion: Conversion | None) -> dict[str, Any]:
    """The conversion's message: its view drawn as HTML, the picker's functions, the findings."""
    html = HtmlFormatter(ViewOptions(standalone=False)).conversion(conversion) if conversion else None
    return {"id": edit["id"], "type": "conversion", "html": html, "functions": answer["functions"],
            "function": answer["function"], "findings": answer["findings"], "failure": answer["failure"]}


def _argument_lines(edit: dict[str, Any]) -> list[tuple[int, str]]:
    """The Arguments box's calls: (line number from 1, text), blank lines left out."""
    lines = [(number, text.strip()) for number, text in enumerate(edit.get("arguments", "").splitlines(), 1)]
    return [(number, text) for number, text in lines if text]


def _drawn_explanation(explanation: Explanation, conversion: Conversion) -> dict[str, Any]:
    """The explain pane as HTML and the editor's badges by line."""
    formatter = HtmlFormatter(ViewOptions(standalone=False))
    return {
        "explain_html": formatter.explanation(explanation, conversion),
        "badges": {line.line: " · ".join(badge.text for badge in line.badges) for line in explanation.lines
                   if line.badges},
    }


def _drawn_calls(conversion: Conversion, cases: list[CaseReport]) -> dict[str, Any]:
    """The calls' panes as HTML: the verdicts and the traced graphs' op counts."""
    formatter = HtmlFormatter(ViewOptions(standalone=False))
    report = SampleReport(conversion.name, EDITOR_FILE, ConversionStatus(True), cases)
    return {
        "check_html": formatter.sample_report(report) if cases else None,
        "ops_html": "".join(formatter.graph(case.graph_view) for case in cases if case.graph_view) or None,
    }
