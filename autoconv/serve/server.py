"""The explorer's local web server (aiohttp): one page, its static files, one WebSocket.

Safe on a shared machine as Jupyter's server is: it binds to 127.0.0.1; every request and the
WebSocket carry this run's random token (``?token=``); ``Host`` must name this server (no DNS
rebinding) and ``Origin``, when sent, be this server (no cross-site requests). A request that
fails any of these gets 403 before any handler runs.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import secrets
import signal
import webbrowser
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web
from markupsafe import Markup

from autoconv.errors import AutoconvError
from autoconv.render.assets import CSS, EXPLAIN_CSS, HOST_MODE_CSS, JS, page_modes
from autoconv.render.html import render_template
from autoconv.serve.explorer import Explorer, Start, sample_menu, sample_start, starting_code

STATIC = Path(__file__).parent / "static"
STATIC_FILES = {"editor.js": "text/javascript", "editor.LICENSE.txt": "text/plain",
                "explorer.js": "text/javascript", "explorer.css": "text/css"}
HOST = "127.0.0.1"
TOKEN_KEY = web.AppKey("token", str)
EXPLORER_KEY = web.AppKey("explorer", Explorer)
START_KEY = web.AppKey("start", Start)
SAMPLES_KEY = web.AppKey("samples", list)
PORT_KEY = web.AppKey("port", list)  # [the bound port], known once the site is up


def _own_origins(port: int) -> set[str]:
    return {f"{HOST}:{port}", f"localhost:{port}"}


def refusal(request: web.Request) -> str | None:
    """Why ``request`` may not reach a handler, or None when it may."""
    port = request.app[PORT_KEY][0]
    if request.headers.get("Host", "") not in _own_origins(port):
        return "the Host header is not this server's"
    origin = request.headers.get("Origin")
    if origin is not None and origin not in {f"http://{own}" for own in _own_origins(port)}:
        return "the Origin header is not this server's"
    if not hmac.compare_digest(request.query.get("token", ""), request.app[TOKEN_KEY]):
        return "the token is missing or wrong (use the URL autoconv serve printed)"
    return None


@web.middleware
async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
    reason = refusal(request)
    if reason is not None:
        return web.Response(status=403, text=f"403 Forbidden: {reason}\n")
    response = await handler(request)
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


async def page(request: web.Request) -> web.Response:
    app = request.app
    start = app[START_KEY]
    html = render_template(
        "serve.html", token=app[TOKEN_KEY], view_css=Markup(page_modes() + CSS + EXPLAIN_CSS + HOST_MODE_CSS), view_js=Markup(JS),
        start=json.dumps({"code": start.code, "function": start.function, "arguments": start.arguments}),
        samples=app[SAMPLES_KEY])
    return web.Response(text=html, content_type="text/html")


async def static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in STATIC_FILES:
        raise web.HTTPNotFound()
    return web.Response(body=(STATIC / name).read_bytes(), content_type=STATIC_FILES[name])


async def sample(request: web.Request) -> web.Response:
    try:
        start = sample_start(request.match_info["name"])  # a sample's name, never a path
    except AutoconvError as error:  # an unknown name or a sample that is no top-level function
        return web.json_response({"error": str(error)}, status=404)
    return web.json_response({"code": start.code, "function": start.function, "arguments": start.arguments})


async def socket(request: web.Request) -> web.WebSocketResponse:
    """Each message is an edit; each edit is answered by ``Explorer.answer`` as a task of its own,
    so a newer edit is read (and supersedes the older) while the older is still computing."""
    explorer = request.app[EXPLORER_KEY]
    connection = web.WebSocketResponse(max_msg_size=4 * 1024 * 1024)
    await connection.prepare(request)
    page_id = id(connection)
    running: set[asyncio.Task[None]] = set()

    async def send(message: dict[str, Any]) -> None:
        if not connection.closed:
            await connection.send_json(message)

    async for message in connection:
        if message.type != WSMsgType.TEXT:
            continue
        edit = json.loads(message.data)
        task = asyncio.create_task(explorer.answer(page_id, edit, send))
        running.add(task)
        task.add_done_callback(running.discard)
    explorer.forget(page_id)
    return connection


def build_app(start: Start, explorer: Explorer, token: str) -> web.Application:
    app = web.Application(middlewares=[guard])
    app[TOKEN_KEY], app[EXPLORER_KEY], app[START_KEY] = token, explorer, start
    app[SAMPLES_KEY], app[PORT_KEY] = sample_menu(), [0]
    app.add_routes([web.get("/", page), web.get("/static/{name}", static), web.get("/sample/{name}", sample),
                    web.get("/ws", socket)])
    return app


async def _serve(start: Start, port: int, open_browser: bool, timeout: float) -> int:
    token = secrets.token_hex(24)
    explorer = Explorer(timeout)
    explorer.warm()
    app = build_app(start, explorer, token)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    stop = asyncio.Event()
    stopped_by: list[int] = []
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, lambda signum=signum: (stopped_by.append(signum), stop.set()))
    try:
        site = web.TCPSite(runner, HOST, port)
        await site.start()
        bound = site.port  # for --port 0, the one the system picked
        app[PORT_KEY][0] = bound
        url = f"http://{HOST}:{bound}/?token={token}"
        print(f"autoconv serve: the explorer is at\n    {url}\nCtrl-C stops it.", flush=True)
        if open_browser:
            await loop.run_in_executor(None, webbrowser.open, url)
        await stop.wait()
    finally:
        await runner.cleanup()
        await loop.run_in_executor(None, explorer.close)
    return stopped_by[0]


def serve(target: str | None, port: int, open_browser: bool, timeout: float) -> int:
    """Run the explorer until Ctrl-C or SIGTERM, and stop its workers: the signal that stopped it."""
    start = starting_code(target)
    try:
        return asyncio.run(_serve(start, port, open_browser, timeout))
    except OSError as error:  # the port is taken, most often
        raise AutoconvError(f"cannot serve on {HOST}:{port}: {error.strerror or error}") from None
