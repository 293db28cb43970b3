"""vcrpy cassettes of the documented response shapes, replayed offline with a dummy key.

The cassettes in ``tests/cassettes/core/`` were recorded once against the emulator with
the sync client (``requests``; vcrpy replays it byte for byte, streams included)::

    ONEMINAI_RECORD_CASSETTES=1 uv run pytest tests/core/client/test_client_cassettes.py -k record

Recording scrubs ``API-KEY``, ``X-Auth-Token``, ``Authorization`` and ``Cookie`` request
headers, drops every ``Set-Cookie`` response header, redacts the key wherever the server
echoed it, and rewrites the emulator's address to ``https://api.1min.ai``. Replays run
with ``record_mode="none"``: a request that is not in the cassette fails, and so does a
recorded interaction that is never played.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import vcr
from oneminai_webapi import SyncOneMinAIClient
from oneminai_webapi.exceptions import AuthenticationError
from oneminai_webapi.testing import Emulator, Fault

from .conftest import fast

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes" / "core"
PUBLIC_BASE = "https://api.1min.ai"
DUMMY_KEY = "dummy-replay-key"
SCRUBBED_REQUEST_HEADERS = ["API-KEY", "X-Auth-Token", "Authorization", "Cookie"]
#: Cookie values the emulator sets while recording; they must never reach a cassette.
COOKIES = {"cf_clearance": "cfclearance-SECRET-0123456789", "__cf_bm": "cfbm-SECRET-9876543210"}
REDACTED = "REDACTED"

RECORDING = os.environ.get("ONEMINAI_RECORD_CASSETTES") == "1"


def _vcr(*, record_mode: str, before_request: Any = None, before_response: Any = None) -> vcr.VCR:
    return vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode=record_mode,
        match_on=["method", "scheme", "host", "port", "path", "query"],
        filter_headers=SCRUBBED_REQUEST_HEADERS,
        before_record_request=before_request,
        before_record_response=before_response,
        decode_compressed_response=True,
    )


# ── recording ─────────────────────────────────────────────────────────────────────────


def _scrubbers(
    base_url: str, key: str
) -> tuple[Callable[[Any], Any], Callable[[dict[str, Any]], dict[str, Any]]]:
    def before_request(request: Any) -> Any:
        request.uri = request.uri.replace(base_url, PUBLIC_BASE)
        return request

    def before_response(response: dict[str, Any]) -> dict[str, Any]:
        headers = {
            name: [v.replace(key, REDACTED).replace(base_url, PUBLIC_BASE) for v in values]
            for name, values in response["headers"].items()
            if name.lower() != "set-cookie"
        }
        response["headers"] = headers
        body = response["body"].get("string", b"")
        if isinstance(body, bytes):
            body = body.replace(key.encode(), REDACTED.encode()).replace(
                base_url.encode(), PUBLIC_BASE.encode()
            )
        response["body"]["string"] = body
        return response

    return before_request, before_response


def _record_all(emu: Emulator) -> None:
    before_request, before_response = _scrubbers(emu.base_url, emu.api_key)
    recorder = _vcr(
        record_mode="all", before_request=before_request, before_response=before_response
    )

    def cookies_and_echo() -> None:
        for name, value in COOKIES.items():
            emu.inject(Fault.set_cookie(name, value), times=None)
        emu.inject(Fault.headers({"X-Echo-Api-Key": emu.api_key}), times=None)

    client = fast(SyncOneMinAIClient(emu.api_key, base_url=emu.base_url, timeout=None))
    try:
        cookies_and_echo()
        emu.script_replies(["Hello! How can I help you today?"])
        with recorder.use_cassette("chat_non_stream.yaml"):
            client.generate_content("Hello")

        emu.script_replies(["Streaming works fine."])
        with recorder.use_cassette("chat_stream.yaml"):
            list(client.generate_content_stream("Stream please"))

        with recorder.use_cassette("conversation_create.yaml"):
            client.create_conversation("My chat", "gpt-4o-mini")

        with recorder.use_cassette("asset_upload.yaml"):
            client.upload_asset(
                data=b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, filename="photo.png", asset_type="IMAGE"
            )

        emu.config.async_pending_polls = 1
        pending = client.generate_video("A cat surfing", wait=False)
        with recorder.use_cassette("results_polling.yaml"):
            client.wait_for_result(pending, poll_interval=0.01)

        bad = fast(SyncOneMinAIClient("sk-wrong-key-for-401", base_url=emu.base_url, timeout=None))
        try:
            with recorder.use_cassette("unauthorized.yaml"), pytest.raises(AuthenticationError):
                bad.generate_content("Hello")
        finally:
            bad.close()
    finally:
        client.close()


@pytest.mark.skipif(not RECORDING, reason="set ONEMINAI_RECORD_CASSETTES=1 to re-record")
@pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning"
)  # vcrpy's recording sockets
def test_record_cassettes(canary: str) -> None:
    CASSETTES.mkdir(parents=True, exist_ok=True)
    for old in CASSETTES.glob("*.yaml"):
        old.unlink()  # "all" would append to an existing cassette
    with Emulator(api_key=canary) as emu:
        _record_all(emu)


# ── replay ────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def replay() -> Iterator[Callable[[str], Any]]:
    """``with replay("name.yaml"):`` plays a cassette; every interaction must be played."""
    if RECORDING:
        pytest.skip("recording run")
    player = _vcr(record_mode="none")

    def use(name: str) -> Any:
        assert (CASSETTES / name).is_file(), f"missing cassette {name}"
        return player.use_cassette(name, allow_playback_repeats=False)

    yield use


@pytest.fixture
def offline() -> Iterator[SyncOneMinAIClient]:
    client = fast(SyncOneMinAIClient(DUMMY_KEY, timeout=None))
    assert client.base_url == PUBLIC_BASE
    yield client
    client.close()


def test_replay_chat_non_stream(replay, offline) -> None:
    with replay("chat_non_stream.yaml") as cassette:
        out = offline.generate_content("Hello")
    assert cassette.all_played and cassette.play_count == 1
    assert out.text == "Hello! How can I help you today?"
    assert out.model == "gpt-4o-mini" and out.record_id
    assert out.metadata["type"] == "UNIFY_CHAT_WITH_AI"
    assert out.metadata["aiRecordDetail"]["resultObject"] == [out.text]
    request = cassette.requests[0]
    assert request.method == "POST" and request.uri == f"{PUBLIC_BASE}/api/chat-with-ai"


def test_replay_sse_stream(replay, offline) -> None:
    with replay("chat_stream.yaml") as cassette:
        chunks = list(offline.generate_content_stream("Stream please"))
    assert cassette.all_played
    deltas = [c.text_delta for c in chunks if not c.is_final]
    assert "".join(deltas) == "Streaming works fine." and len(deltas) == 3
    final = chunks[-1]
    assert final.is_final and final.text == "Streaming works fine." and final.record_id
    assert cassette.requests[0].uri == f"{PUBLIC_BASE}/api/chat-with-ai?isStreaming=true"
    raw = cassette.responses[0]["body"]["string"]
    raw = raw.decode() if isinstance(raw, bytes) else raw
    assert "event: content" in raw and "event: result" in raw and "event: done" in raw


def test_replay_conversation_create(replay, offline) -> None:
    with replay("conversation_create.yaml") as cassette:
        record = offline.create_conversation("My chat", "gpt-4o-mini")
    assert cassette.all_played
    assert record.title == "My chat" and record.status == "ACTIVE"
    assert re.fullmatch(r"[0-9a-f-]{36}", record.conversation_id)


def test_replay_asset_upload(replay, offline) -> None:
    with replay("asset_upload.yaml") as cassette:
        asset = offline.upload_asset(
            data=b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, filename="photo.png", asset_type="IMAGE"
        )
    assert cassette.all_played
    assert asset.asset_key.startswith("images/") and asset.asset_key.endswith("_photo.png")
    assert asset.file_id and asset.file_id != asset.asset_key
    assert asset.mime_type == "image/png" and asset.size == 24
    assert asset.raw["fileContent"]["path"] == asset.asset_key


def test_replay_results_polling(replay, offline) -> None:
    with replay("results_polling.yaml") as cassette:
        video = offline.wait_for_result(
            _record_id_of(cassette_path("results_polling.yaml")), poll_interval=0.001
        )
    assert cassette.all_played and cassette.play_count == 2  # PROCESSING, then SUCCESS
    assert video.video_url and video.record_id


def test_replay_401_body(replay, offline) -> None:
    with replay("unauthorized.yaml") as cassette, pytest.raises(AuthenticationError) as info:
        offline.generate_content("Hello")
    assert cassette.all_played and cassette.play_count == 1  # 401 never retried
    assert info.value.status_code == 401
    assert info.value.code == "UNAUTHORIZED"
    assert "Invalid or missing API key" in str(info.value)


def test_replay_refuses_unrecorded_requests(replay, offline) -> None:
    from oneminai_webapi.exceptions import APIConnectionError
    from vcr.errors import CannotOverwriteExistingCassetteException

    with (
        replay("chat_non_stream.yaml"),
        pytest.raises((CannotOverwriteExistingCassetteException, APIConnectionError)),
    ):
        offline.create_conversation("Not recorded")


def cassette_path(name: str) -> Path:
    return CASSETTES / name


def _record_id_of(path: Path) -> str:
    match = re.search(r"/api/results/([0-9a-f-]{36})", path.read_text())
    assert match, "the polling cassette names its record"
    return match.group(1)


# ── hygiene of every committed cassette ───────────────────────────────────────────────

KEY_SHAPES = [
    re.compile(r"sk-canary-[0-9a-f]{32}"),
    re.compile(r"\bsk-[A-Za-z0-9_-]{16,}"),
    re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),  # JWTs
    re.compile(r"ya29\.[A-Za-z0-9_-]+"),  # Google access tokens
    re.compile(r"(?im)^\s*(api-key|x-auth-token|authorization|cookie|set-cookie)\s*:"),
    re.compile(r"(?i)cf_clearance|__cf_bm"),
]


def _cassette_files() -> list[Path]:
    return sorted(CASSETTES.glob("*.yaml"))


def test_the_documented_cassettes_are_committed() -> None:
    names = {p.name for p in _cassette_files()}
    assert {
        "chat_non_stream.yaml", "chat_stream.yaml", "conversation_create.yaml",
        "asset_upload.yaml", "results_polling.yaml", "unauthorized.yaml",
    } <= names  # fmt: skip


@pytest.mark.parametrize("path", _cassette_files(), ids=lambda p: p.name)
def test_cassettes_hold_no_key_token_or_cookie(path: Path) -> None:
    text = path.read_text()
    for pattern in KEY_SHAPES:
        assert not pattern.search(text), f"{path.name}: {pattern.pattern!r} matches"
    for value in COOKIES.values():
        assert value not in text
    assert "sk-wrong-key-for-401" not in text
    assert "127.0.0.1" not in text  # recorded against the emulator, addressed as the real host
