"""Issue 14 item 8: secrets stay secret against a server that echoes them back.

The hostile server puts the key into every place an answer has: error bodies (plain,
JSON-escaped, percent-encoded), 200 bodies (``success: false``, failed records, text),
in-stream errors, request-id headers. The canary must not appear in any error of the
chain (``str``/``repr``/``__dict__``/``args``/traceback/pickle), in the logs, in the
local variables of our frames in a traceback, nor in what the adapters and the CLI print
or serialise. A proxy URL with a password is a secret too.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient
from oneminai_webapi.exceptions import OneMinAIError

from .conftest import assert_exception_clean
from .hostile_server import (
    KINDS,
    SSE_HEADERS,
    Conn,
    HostileServer,
    Req,
    answering,
    content,
    json_bytes,
    run,
    sse,
    stream_action,
    streaming,
)

ROOT = Path(__file__).resolve().parents[2]
OUR_CODE = str(ROOT / "libs")


def json_escaped(secret: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in secret)


def percent(secret: str) -> str:
    return "".join(f"%{ord(c):02X}" for c in secret)


def echo_handlers(key: str) -> dict[str, tuple[Any, bool]]:
    """Scenario → (handler, streaming call?)."""

    answer, stream = answering, streaming
    escaped = json_escaped(key)
    return {
        "401-plain": (answer(401, json_bytes({"message": f"Invalid API key {key}"})), False),
        "401-json-escaped": (
            answer(401, '{"error": {"message": "Invalid key ' + escaped + '"}}'),
            False,
        ),
        "400-percent-text": (answer(400, f"bad key={percent(key)}", "text/plain"), False),
        "500-request-id": (answer(500, "oops", "text/plain", **{"X-Request-Id": key}), False),
        "403-cf-ray": (
            answer(403, "<html><title>denied</title></html>", "text/html", **{"cf-ray": key}),
            False,
        ),
        "200-success-false": (
            answer(
                200, json_bytes({"success": False, "error": {"code": "X", "message": f"key {key}"}})
            ),
            False,
        ),
        "200-escaped-success-false": (
            answer(200, '{"success": false, "message": "' + escaped + '"}'),
            False,
        ),
        "200-failed-record": (
            answer(
                200,
                json_bytes(
                    {
                        "aiRecord": {
                            "uuid": "r",
                            "status": "FAILED",
                            "aiRecordDetail": {"errorMessage": f"{key} refused"},
                        }
                    }
                ),
            ),
            False,
        ),
        "200-not-json": (answer(200, f"<pre>{key}</pre>", "application/json"), False),
        "stream-error-event": (
            stream(content("Hi "), sse("error", {"message": f"bad {key}"})),
            True,
        ),
        "stream-error-escaped": (
            stream(content("Hi "), sse("error", '{"message": "' + escaped + '"}')),
            True,
        ),
        "stream-json-instead": (answer(200, json_bytes({"success": False, "message": key})), True),
        "stream-401": (answer(401, json_bytes({"message": key}), **{"X-Request-Id": key}), True),
    }


SCENARIOS = list(echo_handlers("sk-x"))


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage() + repr(record.args))
        if record.exc_info:
            self.lines.append("".join(traceback.format_exception(*record.exc_info)))


@pytest.fixture
def logs() -> Iterator[Records]:
    handler = Records()
    names = ("", "oneminai_webapi", "aiohttp", "urllib3", "asyncio")
    saved = {n: logging.getLogger(n).level for n in names}
    logging.getLogger().addHandler(handler)
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def assert_frames_clean(exc: BaseException, secret: str) -> None:
    """No local variable of a frame of our code, in any traceback of the chain, shows the
    secret in its ``repr`` (what debuggers and error trackers record)."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        error = todo.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        todo.extend(e for e in (error.__cause__, error.__context__) if e is not None)
        for frame, _ in traceback.walk_tb(error.__traceback__):
            if not frame.f_code.co_filename.startswith(OUR_CODE):
                continue
            for name, value in frame.f_locals.items():
                try:
                    shown = repr(value)
                except Exception:  # a broken repr shows nothing
                    continue
                assert secret not in shown, f"{frame.f_code.co_name}: local {name!r}"


# ── the core clients ────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_echoed_key_never_leaves_the_client(
    kind: str, scenario: str, canary: str, logs: Records, no_sleep: list[float]
) -> None:
    handler, streaming = echo_handlers(canary)[scenario]
    action = stream_action([]) if streaming else (lambda c: c.generate_content("hi"))
    out = run(kind, handler, action, key=canary)
    assert isinstance(out.error, OneMinAIError), out.error
    assert_exception_clean(out.error, canary)
    assert canary not in repr(vars(out.error)) + str(getattr(out.error, "request_id", ""))
    assert not [line for line in logs.lines if canary in line]


def test_json_and_slash_escaped_keys_are_blanked(canary: str) -> None:
    """A key with a ``/`` comes back ``\\/``-escaped (as JSON encoders may write it)."""
    key = canary + "/tail"
    body = '{"message": "Invalid: ' + key.replace("/", "\\/") + '"}'

    async def handler(conn: Conn, req: Req) -> None:
        await conn.respond(401, body.encode())

    for kind in KINDS:
        out = run(kind, handler, lambda c: c.generate_content("hi"), key=key)
        assert isinstance(out.error, OneMinAIError)
        assert_exception_clean(out.error, key)
        assert_exception_clean(out.error, canary)


@pytest.mark.parametrize("kind", KINDS)
def test_the_key_is_not_in_frame_locals(kind: str, canary: str, no_sleep: list[float]) -> None:
    """Our own copies of the key (arguments, headers, credential) show as '***' in every
    frame of a traceback, whatever failed: construction, a 401, a refused connection, a
    timeout, a cut stream."""
    from oneminai_webapi import Timeouts

    proxy = f"http://user:{canary}@127.0.0.1:9"
    cls = OneMinAIClient if kind == "async" else SyncOneMinAIClient
    with pytest.raises(OneMinAIError) as info:
        cls(canary, proxy=proxy, base_url="ftp://not-http")
    assert_frames_clean(info.value, canary)

    async def unauthorised(conn: Conn, req: Req) -> None:
        await conn.respond(401, b'{"message": "no"}')

    async def silent(conn: Conn, req: Req) -> None:
        await conn.wait_closed_by_client(2)

    async def cut(conn: Conn, req: Req) -> None:
        await conn.head(200, SSE_HEADERS, chunked=True)
        await conn.chunk(content("Hi "))
        conn.abort()

    chat = lambda c: c.generate_content("hi")  # noqa: E731
    quick = Timeouts(connect=1, read=0.2, total=0.3)
    for handler, action in ((unauthorised, chat), (silent, chat), (cut, stream_action([]))):
        out = run(kind, handler, action, key=canary, timeouts=quick)
        assert isinstance(out.error, OneMinAIError), out.error
        assert_frames_clean(out.error, canary)
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    if kind == "sync":
        with (
            cls(canary, base_url=url, max_retries=0) as client,
            pytest.raises(OneMinAIError) as info,
        ):
            client.generate_content("x")
    else:
        import asyncio

        async def refused() -> None:
            async with OneMinAIClient(canary, base_url=url, max_retries=0) as client:
                await client.generate_content("x")

        with pytest.raises(OneMinAIError) as info:
            asyncio.run(refused())
    assert_frames_clean(info.value, canary)


def test_proxy_credentials_are_secret_in_the_core(canary: str) -> None:
    proxy = f"http://proxyuser:{canary}@127.0.0.1:9"
    for cls in (OneMinAIClient, SyncOneMinAIClient):
        client = cls(
            "sk-other-key-123456", proxy=proxy, base_url="http://127.0.0.1:8", max_retries=0
        )
        shown = (
            repr(client) + repr(vars(client)) + repr(client._ctx) + repr(vars(client._transport))
        )
        assert canary not in shown
        if cls is SyncOneMinAIClient:
            with pytest.raises(OneMinAIError) as info:
                client.generate_content("x")
            client.close()
        else:
            import asyncio

            async def go(client: Any = client) -> None:
                async with client:
                    await client.generate_content("x")

            with pytest.raises(OneMinAIError) as info:
                asyncio.run(go())
        assert "127.0.0.1:9" in str(info.value)  # the proxy is named, without its password
        assert_exception_clean(info.value, canary)
        assert_frames_clean(info.value, canary)


# ── the adapters ────────────────────────────────────────────────────────────────────


def _forms(obj: Any) -> str:
    parts = [repr(obj), str(obj)]
    for name in ("model_dump", "to_dict", "model_dump_json", "to_json"):
        if hasattr(obj, name):
            try:
                parts.append(repr(getattr(obj, name)()))
            except (
                TypeError,
                ValueError,
            ):  # a form this object cannot take (a tool's schema class)
                continue
    return "\n".join(parts)


def test_langchain_proxy_and_key_are_secret(canary: str) -> None:
    from langchain_core.load import dumpd, dumps
    from langchain_oneminai import ChatOneMinAI
    from langchain_oneminai.tools import OneMinAIToolkit
    from langchain_oneminai.tools.media import OneMinAIImageEditTool

    proxy = f"http://user:{canary}@127.0.0.1:9"
    model = ChatOneMinAI(api_key=canary, proxy=proxy)
    tool = OneMinAIImageEditTool(api_key=canary, proxy=proxy)
    toolkit = OneMinAIToolkit(api_key=canary, proxy=proxy)
    for obj in (model, tool, toolkit, tool.api_wrapper):
        shown = _forms(obj) + dumps(obj) + repr(dumpd(obj))
        assert canary not in shown, type(obj).__name__
    for t in toolkit.get_tools():
        assert canary not in _forms(t) + dumps(t)
    assert model.proxy is not None and model.proxy.get_secret_value() == proxy
    settings = tool.api_wrapper.clients().settings
    assert settings.proxy == proxy and canary not in repr(settings)


def test_llamaindex_proxy_and_key_are_secret(canary: str) -> None:
    from llama_index.llms.oneminai import OneMinAI
    from llama_index.tools.oneminai import OneMinAIToolSpec

    proxy = f"http://user:{canary}@127.0.0.1:9"
    llm = OneMinAI(api_key=canary, proxy=proxy)
    spec = OneMinAIToolSpec(api_key=canary, proxy=proxy)
    assert canary not in _forms(llm) + repr(llm.metadata)
    assert canary not in repr(spec) + repr(vars(spec))
    for tool in spec.to_tool_list():
        assert canary not in repr(tool) + repr(tool.metadata)


@pytest.mark.parametrize(
    "scenario", ["401-json-escaped", "200-success-false", "stream-error-event"]
)
def test_adapters_raise_clean_errors(scenario: str, canary: str, no_sleep: list[float]) -> None:
    from langchain_oneminai import ChatOneMinAI
    from llama_index.core.llms import ChatMessage
    from llama_index.llms.oneminai import OneMinAI

    handler, streaming = echo_handlers(canary)[scenario]
    with HostileServer(handler) as srv:
        lc = ChatOneMinAI(api_key=canary, base_url=srv.base_url, streaming=streaming)
        with pytest.raises(OneMinAIError) as info:
            lc.invoke("hi")
        assert_exception_clean(info.value, canary)
        li = OneMinAI(api_key=canary, base_url=srv.base_url)
        with pytest.raises(OneMinAIError) as info:
            if streaming:
                list(li.stream_chat([ChatMessage(role="user", content="hi")]))
            else:
                li.chat([ChatMessage(role="user", content="hi")])
        assert_exception_clean(info.value, canary)
        lc.close() if hasattr(lc, "close") else None
        li.close() if hasattr(li, "close") else None


# ── the command line ────────────────────────────────────────────────────────────────


def _cli(args: list[str], base_url: str, key: str) -> subprocess.CompletedProcess[str]:
    guard = ROOT / "tests" / "loopback_only"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONEMINAI_")}
    env |= {
        "ONEMINAI_API_KEY": key,
        "ONEMINAI_BASE_URL": base_url,
        "ONEMINAI_HISTORY_FILE": os.devnull,
        "PYTHONPATH": os.pathsep.join(p for p in (str(guard), env.get("PYTHONPATH")) if p),
    }
    return subprocess.run(
        [sys.executable, "-m", "oneminai_webapi", *args],
        input="",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("scenario", "args"),
    [
        ("401-json-escaped", ["--debug", "chat", "hi"]),
        ("200-success-false", ["--json", "chat", "--no-stream", "hi"]),
        ("stream-401", ["chat", "hi"]),
        ("stream-error-event", ["--debug", "chat", "hi"]),
    ],
)
def test_cli_never_prints_the_key(scenario: str, args: list[str], canary: str) -> None:
    handler, _ = echo_handlers(canary)[scenario]
    with HostileServer(handler, max_seconds=20) as srv:
        proc = _cli(args, srv.base_url, canary)
    assert proc.returncode != 0, (args, proc.stdout, proc.stderr)
    assert canary not in proc.stdout + proc.stderr, (args, proc.stderr)
    assert "BLOCKED_NETWORK_ACCESS" not in proc.stderr
