"""docs/reliability.md requirements 13, 14, 16: the canary key never shows up in logs, reprs, exceptions (and their
chains), pickles or cassettes — through success, 401, retried 5xx, timeouts, stream cuts,
redirects, in-band errors and refused connections, with DEBUG logging everywhere."""

from __future__ import annotations

import io
import logging
import pickle
import re
import socket
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from oneminai_webapi import (
    ChatOutput,
    Limits,
    OneMinAIClient,
    RetryPolicy,
    SyncOneMinAIClient,
    Timeouts,
    set_log_level,
)
from oneminai_webapi.exceptions import OneMinAIError
from oneminai_webapi.testing import Emulator, Fault

from .conftest import assert_exception_clean

CHAT = "/api/chat-with-ai"
LOGGERS = ("", "oneminai_webapi", "aiohttp", "aiohttp.client", "aiohttp.access", "aiohttp.server",
           "aiohttp.web", "urllib3", "urllib3.connectionpool", "requests", "asyncio")  # fmt: skip


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.printed = io.StringIO()  # what set_log_level's own stderr handler printed

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def debug_logs() -> Iterator[_Records]:
    """DEBUG on the root, package and transport loggers (plus set_log_level's stderr handler)."""
    handler = _Records()
    saved = {name: logging.getLogger(name).level for name in LOGGERS}
    root = logging.getLogger()
    root.addHandler(handler)
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    set_log_level("DEBUG")
    for h in logging.getLogger("oneminai_webapi").handlers:
        if getattr(h, "_oneminai", False):
            h.setStream(handler.printed)  # type: ignore[attr-defined]
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        pkg = logging.getLogger("oneminai_webapi")
        for h in list(pkg.handlers):
            if getattr(h, "_oneminai", False):
                pkg.removeHandler(h)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def assert_logs_clean(handler: _Records, secret: str) -> None:
    assert handler.records, "DEBUG logging produced nothing: the check would be vacuous"
    for record in handler.records:
        assert secret not in record.getMessage(), record.name
        assert secret not in repr(record.args), record.name
        if record.exc_info:
            assert secret not in "".join(traceback.format_exception(*record.exc_info))
    assert "HTTP" in handler.printed.getvalue()
    assert secret not in handler.printed.getvalue()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _async_scenarios(emu: Emulator, other: Emulator, canary: str) -> list[BaseException]:
    errors: list[BaseException] = []
    timeouts = Timeouts(read=0.2)

    async def expect_error(coro_or_stream: object) -> None:
        try:
            if hasattr(coro_or_stream, "__aiter__"):
                async for _ in coro_or_stream:  # type: ignore[attr-defined]
                    pass
            else:
                await coro_or_stream  # type: ignore[misc]
        except OneMinAIError as exc:
            errors.append(exc)
        else:  # pragma: no cover
            raise AssertionError("expected an error")

    async with OneMinAIClient(canary, base_url=emu.base_url, timeouts=timeouts) as c:
        c._ctx.settings.retry = RetryPolicy(initial_delay_s=0.001, max_delay_s=0.001)
        # success, streamed and not
        assert (await c.generate_content("hi")).text.endswith("hi")
        assert [x async for x in c.generate_content_stream("hi")][-1].is_final
        chat = c.start_chat("gpt-4o-mini")
        await chat.send_message("remember")
        # a server that echoes the key back in a header and sets cookies
        emu.inject(Fault.headers({"X-Echo-Key": canary}), path=CHAT)
        await c.generate_content("echo")
        # 401: the canary is the rejected key; also a body that echoes it
        emu.config.api_key = "another-key"
        await expect_error(c.generate_content("hi"))
        await expect_error(c.generate_content_stream("hi"))
        emu.config.api_key = canary
        emu.inject(Fault.status(401, {"message": f"Invalid API key {canary}"}), path=CHAT)
        await expect_error(c.generate_content("hi"))
        # retried 5xx: recovered, then exhausted
        emu.inject(Fault.status(500), times=2, path=CHAT)
        await c.generate_content("hi")
        emu.inject(Fault.status(503), times=3, path=CHAT)
        await expect_error(c.generate_content("hi"))
        # timeouts: headers late, body late, stream idle
        emu.inject(Fault.stall(1.0), path=CHAT)
        await expect_error(c.generate_content("hi"))
        emu.inject(Fault.stall_body(1.0), path=CHAT)
        await expect_error(c.generate_content("hi"))
        emu.inject(Fault.drip(1.0), path=CHAT)
        await expect_error(c.generate_content_stream("one two three"))
        # stream interrupts: cut, truncated, in-band error, JSON instead of SSE
        emu.inject(Fault.cut_after(2), path=CHAT)
        await expect_error(c.generate_content_stream("one two three"))
        emu.inject(Fault.no_result_no_done(), path=CHAT)
        await expect_error(c.generate_content_stream("one two three"))
        emu.inject(Fault.error_after(1, "boom"), path=CHAT)
        await expect_error(c.generate_content_stream("one two three"))
        emu.inject(Fault.json_instead_of_stream(), path=CHAT)
        await expect_error(c.generate_content_stream("hi"))
        emu.inject(Fault.disconnect(), path=CHAT)
        await expect_error(c.generate_content("hi"))
        # redirects: followed on the same origin, refused elsewhere
        emu.inject(Fault.redirect(CHAT, 307), path=CHAT)
        await c.generate_content("hi")
        for target in (
            f"http://127.0.0.1:{other.port}{CHAT}",
            f"http://{canary}@localhost:{other.port}/",
        ):
            emu.inject(Fault.redirect(target, 302), path=CHAT)
            await expect_error(c.generate_content("hi"))
        # Cloudflare page
        emu.inject(Fault.cloudflare(403), path=CHAT)
        await expect_error(c.generate_content("hi"))
    # refused connection
    async with OneMinAIClient(canary, base_url=f"http://127.0.0.1:{_closed_port()}") as dead:
        dead._ctx.settings.retry = RetryPolicy(initial_delay_s=0.001, max_delay_s=0.001)
        await expect_error(dead.generate_content("hi"))
    # closed client
    await expect_error(c.generate_content("hi"))
    return errors


async def test_canary_async_every_scenario(
    emu: Emulator, canary: str, debug_logs: _Records
) -> None:
    async with Emulator(api_key="other-key") as other:
        errors = await _async_scenarios(emu, other, canary)
        assert other.requests == []
    assert len(errors) >= 15
    for exc in errors:
        assert_exception_clean(exc, canary)
    assert_logs_clean(debug_logs, canary)


def test_canary_sync_every_scenario(
    emu_thread: Emulator, canary: str, debug_logs: _Records
) -> None:
    emu = emu_thread
    errors: list[BaseException] = []

    def expect_error(fn: object) -> None:
        try:
            result = fn()  # type: ignore[operator]
            if hasattr(result, "__iter__") and not isinstance(result, ChatOutput):
                for _ in result:
                    pass
        except OneMinAIError as exc:
            errors.append(exc)
        else:  # pragma: no cover
            raise AssertionError("expected an error")

    with (
        Emulator(api_key="other-key") as other,
        SyncOneMinAIClient(canary, base_url=emu.base_url, timeouts=Timeouts(read=0.2)) as c,
    ):
        c._ctx.settings.retry = RetryPolicy(initial_delay_s=0.001, max_delay_s=0.001)
        assert c.generate_content("hi").text.endswith("hi")
        assert list(c.generate_content_stream("hi"))[-1].is_final
        emu.config.api_key = "another-key"
        expect_error(lambda: c.generate_content("hi"))
        emu.config.api_key = canary
        emu.inject(Fault.status(401, {"message": f"Invalid API key {canary}"}), path=CHAT)
        expect_error(lambda: c.generate_content("hi"))
        emu.inject(Fault.status(502), times=3, path=CHAT)
        expect_error(lambda: c.generate_content("hi"))
        emu.inject(Fault.stall(1.0), path=CHAT)
        expect_error(lambda: c.generate_content("hi"))
        emu.inject(Fault.drip(1.0), path=CHAT)
        expect_error(lambda: c.generate_content_stream("one two three"))
        emu.inject(Fault.cut_after(2), path=CHAT)
        expect_error(lambda: c.generate_content_stream("one two three"))
        emu.inject(Fault.error_after(1), path=CHAT)
        expect_error(lambda: c.generate_content_stream("one two three"))
        emu.inject(Fault.redirect(f"http://127.0.0.1:{other.port}{CHAT}", 307), path=CHAT)
        expect_error(lambda: c.generate_content("hi"))
        emu.inject(Fault.disconnect(), path=CHAT)
        expect_error(lambda: c.generate_content("hi"))
        assert other.requests == []
    with SyncOneMinAIClient(canary, base_url=f"http://127.0.0.1:{_closed_port()}") as dead:
        dead._ctx.settings.retry = RetryPolicy(initial_delay_s=0.001, max_delay_s=0.001)
        expect_error(lambda: dead.generate_content("hi"))
    assert len(errors) >= 9
    for exc in errors:
        assert_exception_clean(exc, canary)
    assert_logs_clean(debug_logs, canary)


# ── #14 reprs and public config objects ─────────────────────────────────────────────────


async def test_reprs_and_config_objects(emu: Emulator, client: OneMinAIClient, canary: str) -> None:
    chat = client.start_chat("gpt-4o-mini")
    await chat.send_message("hi")
    stream = client.generate_content_stream("hi")
    out = await client.generate_content("hi")
    objects: list[object] = [
        client, client._ctx, client._ctx.credential, client._ctx.settings, client._transport,
        chat, stream, out, Timeouts(), Limits(), RetryPolicy(),
    ]  # fmt: skip
    for obj in objects:
        assert canary not in repr(obj), type(obj)
        assert canary not in str(obj), type(obj)
    assert canary not in out.model_dump_json()
    for obj in (client, client._ctx, client._ctx.credential, chat):
        with pytest.raises(TypeError):
            pickle.dumps(obj)
    await stream.aclose()
    with SyncOneMinAIClient(canary, base_url=emu.base_url) as sync:
        assert canary not in repr(sync)
        with pytest.raises(TypeError):
            pickle.dumps(sync)


# ── #16 cassette hygiene ────────────────────────────────────────────────────────────────

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"
KEY_SHAPES = [
    re.compile(r"sk-[A-Za-z0-9_-]{12,}"),
    re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),  # JWTs
    re.compile(
        r"(?i)(?:api-key|x-auth-token|authorization)['\"]?\s*[:=]\s*\[?\s*['\"]?(?!REDACTED|PLACEHOLDER|\*+|test-key|dummy)[A-Za-z0-9_.-]{12,}"
    ),
    re.compile(r"(?i)set-cookie"),
    re.compile(r"(?i)\b(?:cf_clearance|__cf_bm|_cfuvid)="),
]


def test_committed_cassettes_hold_no_keys_or_cookies(canary: str) -> None:
    files = [p for p in CASSETTES.rglob("*") if p.is_file()] if CASSETTES.exists() else []
    for path in files:
        text = path.read_text("utf-8", "replace")
        assert canary not in text, path
        for pattern in KEY_SHAPES:
            match = pattern.search(text)
            assert match is None, f"{path}: key- or cookie-shaped string {match.group(0)[:24]!r}…"


def test_cassette_scan_catches_a_leak(tmp_path: Path) -> None:
    leaky = "interactions:\n- request:\n    headers:\n      API-KEY: ['abcdef0123456789abcd']\n"
    leaky += "  response:\n    headers:\n      Set-Cookie: ['cf_clearance=xyz']\n"
    assert any(p.search(leaky) for p in KEY_SHAPES)
    assert not any(p.search("headers:\n  API-KEY: [REDACTED]\n") for p in KEY_SHAPES)


def test_recorded_cassette_is_scrubbed_and_replays(
    emu_thread: Emulator, canary: str, tmp_path: Path
) -> None:
    vcr = pytest.importorskip("vcr")
    from oneminai_webapi.testing.cassettes import vcr_config

    emu = emu_thread
    cookie_values = ("cfclearance-secret-0123", "cfbm-secret-4567", "session-secret-89ab")
    emu.inject(Fault.set_cookie("cf_clearance", cookie_values[0]), times=None)
    emu.inject(Fault.set_cookie("__cf_bm", cookie_values[1]), times=None)
    emu.inject(
        Fault.headers({"X-Echo-Key": canary, "Set-Cookie": f"sid={cookie_values[2]}"}), times=None
    )
    recorder = vcr.VCR(**vcr_config(secrets=[canary]))
    cassette_path = tmp_path / "chat.yaml"
    with recorder.use_cassette(str(cassette_path), record_mode="once"):
        with SyncOneMinAIClient(canary, base_url=emu.base_url) as c:
            assert c.generate_content("hi").text.endswith("hi")
            assert list(c.generate_content_stream("hi"))[-1].is_final
    text = cassette_path.read_text()
    assert "interactions" in text
    assert canary not in text
    for value in cookie_values:
        assert value not in text
    for pattern in KEY_SHAPES:
        assert pattern.search(text) is None, pattern.pattern
    emu.clear_faults()
    before = len(emu.requests)
    with recorder.use_cassette(
        str(cassette_path), record_mode="none", allow_playback_repeats=False
    ) as cas:
        with SyncOneMinAIClient("dummy-key", base_url=emu.base_url) as c:
            assert c.generate_content("hi").text.endswith("hi")
            assert list(c.generate_content_stream("hi"))[-1].is_final
        assert cas.all_played
    assert len(emu.requests) == before  # replayed, nothing reached the server


def test_a_recorded_upload_holds_its_body_as_bytes_and_replays(
    emu_thread: Emulator, canary: str, tmp_path: Path
) -> None:
    """Streamed upload bodies (issue 18 item 5) are recorded as one value, and replay."""
    vcr = pytest.importorskip("vcr")
    from oneminai_webapi.testing.cassettes import vcr_config

    emu = emu_thread
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"p" * 70_000)  # more than one piece
    recorder = vcr.VCR(**vcr_config(secrets=[canary]))
    cassette_path = tmp_path / "upload.yaml"
    with recorder.use_cassette(str(cassette_path), record_mode="once"):
        with SyncOneMinAIClient(canary, base_url=emu.base_url) as c:
            key = c.upload_asset(photo, asset_type="IMAGE").asset_key
    text = cassette_path.read_text()
    assert "python/object" not in text and "body: !!binary" in text
    assert canary not in text
    before = len(emu.requests)
    with recorder.use_cassette(
        str(cassette_path), record_mode="none", allow_playback_repeats=False
    ) as cas:
        with SyncOneMinAIClient("dummy-key", base_url=emu.base_url) as c:
            assert c.upload_asset(photo, asset_type="IMAGE").asset_key == key
        assert cas.all_played
    assert len(emu.requests) == before
