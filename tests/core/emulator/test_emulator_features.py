from __future__ import annotations

import time

import aiohttp
import pytest
from oneminai_webapi.testing import FEATURE_OUTPUT_KINDS, Emulator, validate_prompt_object


async def feature(
    emu: Emulator, session: aiohttp.ClientSession, body: dict, query: str = ""
) -> aiohttp.ClientResponse:
    return await session.post(
        f"{emu.base_url}/api/features{query}", json=body, headers=emu.official_headers
    )


def test_feature_table() -> None:
    assert len(FEATURE_OUTPUT_KINDS) == 59
    assert FEATURE_OUTPUT_KINDS["IMAGE_GENERATOR"] == "image"
    assert FEATURE_OUTPUT_KINDS["SPEECH_TO_TEXT"] == "text"
    assert FEATURE_OUTPUT_KINDS["MUSIC_GENERATOR"] == "audio"
    assert FEATURE_OUTPUT_KINDS["TEXT_TO_VIDEO"] == "video"
    assert (
        validate_prompt_object("TEXT_TO_SPEECH", "tts-1", {"text": "hi", "voice": "alloy"}) is None
    )
    assert "text" in (validate_prompt_object("TEXT_TO_SPEECH", "tts-1", {"voice": "alloy"}) or "")


async def test_text_feature(emu: Emulator, session: aiohttp.ClientSession) -> None:
    body = {
        "type": "CODE_GENERATOR",
        "model": "gpt-4o",
        "conversationId": "CODE_GENERATOR",
        "promptObject": {"prompt": "fizzbuzz"},
    }
    rec = (await (await feature(emu, session, body)).json())["aiRecord"]
    assert rec["status"] == "SUCCESS" and rec["type"] == "CODE_GENERATOR"
    assert rec["conversationId"] == "CODE_GENERATOR"
    result = rec["aiRecordDetail"]["resultObject"]
    assert isinstance(result, list) and len(result) == 1 and "fizzbuzz" in result[0]
    assert "temporaryUrl" not in rec
    emu.script_replies(["scripted code"])
    rec = (await (await feature(emu, session, body)).json())["aiRecord"]
    assert rec["aiRecordDetail"]["resultObject"] == ["scripted code"]


@pytest.mark.parametrize(
    ("ftype", "model", "po", "prefix", "ctype", "magic"),
    [
        (
            "IMAGE_GENERATOR",
            "black-forest-labs/flux-1.1-pro",
            {"prompt": "fox", "num_outputs": 2},
            "images/",
            "image/png",
            b"\x89PNG",
        ),
        (
            "TEXT_TO_SPEECH",
            "tts-1",
            {"text": "hi", "voice": "alloy"},
            "audios/",
            "audio/mpeg",
            b"\xff\xfb",
        ),
        (
            "TEXT_TO_VIDEO",
            "kling",
            {"prompt": "cat", "duration": 5, "mode": "std"},
            "videos/",
            "video/mp4",
            b"ftyp",
        ),
    ],
)
async def test_media_feature(
    emu: Emulator,
    session: aiohttp.ClientSession,
    ftype: str,
    model: str,
    po: dict,
    prefix: str,
    ctype: str,
    magic: bytes,
) -> None:
    resp = await feature(emu, session, {"type": ftype, "model": model, "promptObject": po})
    assert resp.status == 200, await resp.text()
    rec = (await resp.json())["aiRecord"]
    keys = rec["aiRecordDetail"]["resultObject"]
    assert all(k.startswith(prefix) for k in keys)
    assert len(keys) == po.get("num_outputs", 1)
    assert rec["temporaryUrl"].startswith(f"{emu.asset_base_url}/{keys[0]}?")
    dl = await session.get(rec["temporaryUrl"])
    assert dl.status == 200 and dl.headers["Content-Type"] == ctype
    assert magic in (await dl.read())[:8]
    plain = await session.get(f"{emu.asset_base_url}/{keys[-1]}")
    assert plain.status == 200
    # The files are on the asset host, not the API: a key resolved against the base URL
    # is not found, as on api.1min.ai.
    assert (await session.get(f"{emu.base_url}/{keys[-1]}")).status == 404
    assert not emu.asset_base_url.startswith(f"{emu.base_url}/api")


async def test_feature_errors(emu: Emulator, session: aiohttp.ClientSession) -> None:
    resp = await feature(emu, session, {"type": "NOPE", "model": "x", "promptObject": {}})
    assert resp.status == 400
    resp = await feature(
        emu,
        session,
        {"type": "IMAGE_GENERATOR", "model": "gpt-4o", "promptObject": {"prompt": "x"}},
    )
    assert resp.status == 400
    assert await resp.json() == {
        "errorCode": "UNSUPPORTED_MODEL",
        "message": "Model gpt-4o is not supported for feature IMAGE_GENERATOR",
    }
    resp = await feature(emu, session, {"type": "IMAGE_GENERATOR", "model": "dall-e-3"})
    assert resp.status == 400 and (await resp.json())["error"]["code"] == "VALIDATION_ERROR"
    resp = await feature(
        emu,
        session,
        {
            "type": "TEXT_TO_SPEECH",
            "model": "tts-1",
            "promptObject": {"prompt": "x", "voice": "alloy"},
        },
    )
    body = await resp.json()
    assert resp.status == 400 and body["error"]["code"] == "VALIDATION_ERROR"
    assert "text" in body["error"]["message"] and body["error"]["details"]
    resp = await feature(
        emu,
        session,
        {
            "type": "SPEECH_TO_TEXT",
            "model": "whisper-1",
            "promptObject": {"audioUrl": "audios/a.mp3"},
        },
    )
    assert resp.status == 400 and "response_format" in (await resp.json())["error"]["message"]
    credits = emu.credits
    resp = await feature(
        emu, session, {"type": "IMAGE_UPSCALER", "model": "stable-image", "promptObject": {}}
    )
    assert resp.status == 400 and emu.credits == credits  # no charge for rejected calls


async def test_pluggable_validator(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.config.prompt_validator = lambda t, m, po: None if po.get("ok") else "not ok"
    resp = await feature(
        emu,
        session,
        {"type": "IMAGE_GENERATOR", "model": "dall-e-3", "promptObject": {"prompt": "x"}},
    )
    assert resp.status == 400 and (await resp.json())["error"]["message"] == "not ok"
    resp = await feature(
        emu, session, {"type": "IMAGE_GENERATOR", "model": "dall-e-3", "promptObject": {"ok": 1}}
    )
    assert resp.status == 200


async def test_async_job(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.config.async_pending_polls = 2
    body = {
        "type": "MUSIC_GENERATOR",
        "model": "lyria-002",
        "promptObject": {"prompt": "jazz"},
        "async": True,
    }
    rec = (await (await feature(emu, session, body)).json())["aiRecord"]
    assert rec["status"] == "PROCESSING" and rec["aiRecordDetail"]["resultObject"] == []
    url = f"{emu.base_url}/api/results/{rec['uuid']}"
    statuses = []
    for _ in range(3):
        got = (await (await session.get(url, headers=emu.official_headers)).json())["aiRecord"]
        statuses.append(got["status"])
    assert statuses == ["PROCESSING", "PROCESSING", "SUCCESS"]
    assert got["aiRecordDetail"]["resultObject"][0].startswith("audios/")
    assert got["temporaryUrl"].startswith(emu.asset_base_url)
    unknown = await session.get(
        f"{emu.base_url}/api/results/does-not-exist", headers=emu.official_headers
    )
    assert unknown.status == 200 and await unknown.json() == {"aiRecord": None}


async def test_async_delay_and_failure(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.config.async_delay_s = 0.2
    emu.config.async_fail = True
    body = {
        "type": "TEXT_TO_VIDEO",
        "model": "sora-2",
        "promptObject": {"prompt": "x"},
        "async": True,
    }
    rec = (await (await feature(emu, session, body)).json())["aiRecord"]
    url = f"{emu.base_url}/api/results/{rec['uuid']}"
    first = (await (await session.get(url, headers=emu.official_headers)).json())["aiRecord"]
    assert first["status"] == "PROCESSING"
    time.sleep(0.25)  # noqa: ASYNC251 - deliberately block; the job clock is wall time
    last = (await (await session.get(url, headers=emu.official_headers)).json())["aiRecord"]
    assert last["status"] == "FAILED"
    assert last["aiRecordDetail"]["errorMessage"]


async def test_legacy_chat(emu: Emulator, session: aiohttp.ClientSession) -> None:
    body = {
        "type": "CHAT_WITH_AI",
        "model": "gpt-4o-mini",
        "conversationId": "CHAT_WITH_AI",
        "promptObject": {"prompt": "hi there"},
    }
    resp = await feature(emu, session, body)
    assert resp.status == 400
    emu.config.legacy_chat = True
    rec = (await (await feature(emu, session, body)).json())["aiRecord"]
    assert rec["aiRecordDetail"]["resultObject"] == ["Echo from gpt-4o-mini: hi there"]
    resp = await feature(emu, session, body, "?isStreaming=true")
    assert resp.headers["Content-Type"].startswith("text/plain")
    assert (await resp.text()) == "Echo from gpt-4o-mini: hi there"


async def test_unified_chat_via_features(emu: Emulator, session: aiohttp.ClientSession) -> None:
    body = {"type": "UNIFY_CHAT_WITH_AI", "model": "gpt-4o-mini", "promptObject": {"prompt": "p"}}
    rec = (await (await feature(emu, session, body)).json())["aiRecord"]
    assert rec["aiRecordDetail"]["resultObject"] == ["Echo from gpt-4o-mini: p"]
    resp = await session.post(
        f"{emu.base_url}/teams/{emu.team_id}/features", json=body, headers=emu.webapp_headers()
    )
    assert resp.status == 200


async def test_feature_latency(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.config.feature_latency_s = {"IMAGE_GENERATOR": 0.2}
    t0 = time.monotonic()
    resp = await feature(
        emu,
        session,
        {"type": "IMAGE_GENERATOR", "model": "dall-e-3", "promptObject": {"prompt": "x"}},
    )
    assert resp.status == 200 and time.monotonic() - t0 >= 0.2
