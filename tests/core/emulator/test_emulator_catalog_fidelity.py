"""The emulator is never more lenient than the service for models, sizes and feature types.

Each case reproduces a refusal or a catalog shape captured from the live service in 2026
(docs/protocol.md, "Catalog, models and media features").
"""

from __future__ import annotations

import json

import aiohttp
import pytest
from oneminai_webapi import _registry
from oneminai_webapi.constants import WITHDRAWN_MODELS
from oneminai_webapi.testing import FEATURE_OUTPUT_KINDS, Emulator

SDXL = "stable-diffusion-xl-1024-v1-0"


async def feature(emu: Emulator, session: aiohttp.ClientSession, body: dict) -> tuple[int, dict]:
    resp = await session.post(
        f"{emu.base_url}/api/features", json=body, headers=emu.official_headers
    )
    return resp.status, await resp.json()


async def test_flux_schnell_is_refused_as_live(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    model = "black-forest-labs/flux-schnell"
    status, body = await feature(
        emu, session, {"type": "IMAGE_GENERATOR", "model": model, "promptObject": {"prompt": "x"}}
    )
    assert status == 400
    assert body == {
        "errorCode": "UNSUPPORTED_MODEL",
        "message": f"Model {model} is not supported for feature IMAGE_GENERATOR",
    }
    assert emu.credits == emu.config.initial_credits  # refused before any charge


@pytest.mark.parametrize("model", sorted(WITHDRAWN_MODELS))
def test_withdrawn_ids_are_not_in_the_catalog(emu: Emulator, model: str) -> None:
    assert emu.catalog.get(model) is None


async def test_sdxl_size_refusal_has_the_live_shape(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    status, body = await feature(
        emu,
        session,
        {
            "type": "IMAGE_GENERATOR",
            "model": SDXL,
            "promptObject": {"prompt": "x", "samples": 1, "size": "512x512"},
        },
    )
    assert status == 400
    assert body["errorCode"] == "EXTERNAL_API_RESPONSE_WITH_ERROR"
    assert body["context"] == {"service": "stability"}
    # The canned message says nothing useful; the reason is only inside the details string.
    assert "512x512" not in body["message"]
    assert isinstance(body["details"], str)
    reason = json.loads(body["details"])["response"]["data"]["message"]
    assert reason.endswith(
        "the allowed dimensions are 1024x1024, 1152x896, 1216x832, 1344x768, 1536x640, "
        "640x1536, 768x1344, 832x1216, 896x1152, but we received 512x512"
    )


async def test_sdxl_live_body_is_accepted(emu: Emulator, session: aiohttp.ClientSession) -> None:
    po = {"prompt": "apple", "samples": 1, "size": "1024x1024", "cfg_scale": 7, "steps": 20,
          "seed": 42}  # fmt: skip
    status, body = await feature(
        emu, session, {"type": "IMAGE_GENERATOR", "model": SDXL, "promptObject": po}
    )
    assert status == 200, body
    assert body["aiRecord"]["aiRecordDetail"]["resultObject"][0].startswith("images/")
    status, body = await feature(
        emu,
        session,
        {"type": "IMAGE_GENERATOR", "model": SDXL, "promptObject": {**po, "steps": 500}},
    )
    assert status == 400 and "10 to 50" in body["error"]["message"]


@pytest.mark.parametrize("ftype", [t for t, row in _registry.FEATURES.items() if not row.listed])
async def test_unverified_feature_types_are_refused(
    emu: Emulator, session: aiohttp.ClientSession, ftype: str
) -> None:
    assert ftype not in FEATURE_OUTPUT_KINDS
    status, body = await feature(
        emu, session, {"type": ftype, "model": "gpt-4o-mini", "promptObject": {"prompt": "x"}}
    )
    assert status == 400 and body["error"]["code"] == "INVALID_FEATURE_TYPE"


def test_ai_detector_is_among_the_unverified() -> None:
    unverified = {t for t, row in _registry.FEATURES.items() if not row.listed}
    assert {"AI_DETECTOR", "DOCUMENT_TRANSLATOR", "PRESENTATION_GENERATOR"} <= unverified


async def test_a_test_can_opt_into_an_unverified_type(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    emu.config.extra_feature_types["AI_DETECTOR"] = "text"
    emu.catalog.add("gpt-4o-mini", ["@chat", "AI_DETECTOR"])
    status, body = await feature(
        emu,
        session,
        {"type": "AI_DETECTOR", "model": "gpt-4o-mini", "promptObject": {"prompt": "x"}},
    )
    assert status == 200, body


async def test_catalog_rows_have_the_live_shape(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    data = await (await session.get(f"{emu.base_url}/models?feature=UNIFY_CHAT_WITH_AI")).json()
    rows = {m["modelId"]: m for m in data["models"]}
    assert "NOT_APPLICABLE" in rows and data["total"] == len(data["models"])
    for row in data["models"]:
        assert {"status", "deprecationDate", "modality", "creditMetadata"} <= set(row)
    assert rows["gpt-4o-mini"]["status"] == "ACTIVE"
    assert rows["gpt-4o-mini"]["deprecationDate"] is None
    assert rows["gemini-2.5-pro"]["deprecationDate"] == "2026-10-09T00:00:00.000Z"
    # Vision is "image" in modality.INPUT; newer rows no longer list CHAT_WITH_IMAGE.
    claude = rows["us.anthropic.claude-sonnet-4-6"]
    assert "image" in claude["modality"]["INPUT"]
    assert "CHAT_WITH_IMAGE" not in claude["features"]
    assert "image" not in rows["deepseek-chat"]["modality"]["INPUT"]
    for withdrawn in ("grok-4-fast-reasoning", "meta/meta-llama-3.1-405b-instruct"):
        assert withdrawn not in rows


async def test_placeholder_row_is_not_a_model(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    status, body = await feature(
        emu,
        session,
        {"type": "IMAGE_GENERATOR", "model": "NOT_APPLICABLE", "promptObject": {"prompt": "x"}},
    )
    assert status == 400 and body["errorCode"] == "UNSUPPORTED_MODEL"
