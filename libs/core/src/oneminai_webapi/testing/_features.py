"""``POST /api/features`` (and ``/teams/{t}/features``) plus ``GET /api/results/{uuid}``.

Text features answer ``resultObject: ["<text>"]`` (scripted replies apply). Media features
answer relative asset keys (``images/…png``, ``audios/…mp3``, ``videos/…mp4``) and
``aiRecord.temporaryUrl`` pointing at the emulator's download route. ``"async": true``
answers ``status: "PROCESSING"`` with an empty ``resultObject``; ``GET /api/results/{uuid}``
flips it to ``SUCCESS`` (or ``config.async_failed_status``) once ``config.async_delay_s``
has passed and ``config.async_pending_polls`` polls were answered ``PROCESSING``.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiohttp import web

from .. import _registry
from ._catalog import LEGACY_CHAT_TYPES, UNIFIED_CHAT
from ._chat import chat_handler, legacy_chat, produce_reply
from ._runtime import (
    Runtime,
    body_json,
    error_response,
    insufficient_credits,
    json_response,
    provider_error,
    runtime,
    unsupported_model,
    validation_error,
)
from ._state import Asset, ChatTurn, Job, key_stamp, now_iso

_MEDIA = {
    "image": ("images", "png", "image/png"),
    "audio": ("audios", "mp3", "audio/mpeg"),
    "video": ("videos", "mp4", "video/mp4"),
}
#: The wire fields that carry the number of images, as the registry maps ``num_images``.
_COUNT_FIELDS = tuple(
    sorted(
        {
            arg.field
            for feature in _registry.FEATURES.values()
            for family in (*feature.families, feature.generic)
            for arg in family.args
            if arg.field
            and "num_images" in (arg.source if isinstance(arg.source, tuple) else (arg.source,))
        }
    )
)
_INPUT_FIELDS = ("prompt", "text", "videoUrl", "audioUrl", "imageUrl", "voice_description")


def _output_count(kind: str, po: dict[str, Any]) -> int:
    if kind != "image":
        return 1
    for name in _COUNT_FIELDS:
        value = po.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return min(10, max(1, value))
    return 1


def make_media(rt: Runtime, kind: str, model: str, count: int) -> list[str]:
    """Create ``count`` generated assets of ``kind`` and return their keys."""
    folder, ext, mime = _MEDIA[kind]
    keys = []
    stamp = key_stamp()
    for _ in range(count):
        name = f"{stamp}_{rt.state.counter():06d}.{ext}"
        key = f"{folder}/{name}"
        rt.state.assets[key] = Asset(key, key, name, mime, None, now_iso(), name)
        keys.append(key)
    return keys


def _main_input(po: dict[str, Any]) -> str:
    for name in _INPUT_FIELDS:
        value = po.get(name)
        if isinstance(value, str) and value:
            return value
    return ""


async def features_handler(request: web.Request) -> web.StreamResponse:
    """Run one feature call."""
    rt = runtime(request)
    body = body_json(request)
    if not isinstance(body, dict):
        return validation_error("Request body must be a JSON object")
    ftype = body.get("type")
    if not isinstance(ftype, str) or not ftype:
        return validation_error("type is required", "type")
    kind = rt.output_kind(ftype)
    if kind is None:
        return error_response(400, "INVALID_FEATURE_TYPE", f"Feature type {ftype} is not supported")
    if ftype in LEGACY_CHAT_TYPES:
        return await legacy_chat(request, rt, body)
    if ftype == UNIFIED_CHAT:
        return await chat_handler(request)
    model = body.get("model")
    if not isinstance(model, str) or not model:
        return validation_error("model is required", "model")
    if not rt.catalog.supports(ftype, model):
        return unsupported_model(model, ftype)
    po = body.get("promptObject")
    if not isinstance(po, dict):
        return validation_error("promptObject is required", "promptObject")
    refusal = _registry.provider_refusal(ftype, model, po)
    if refusal is not None:
        return provider_error(*refusal)
    problem = rt.config.prompt_validator(ftype, model, po)
    if problem:
        return validation_error(problem)
    cost = rt.config.credits_per_call
    if not rt.state.try_charge(cost):
        return insufficient_credits(rt)
    rt.state.feature_settings.setdefault(ftype, {"models": []})["lastInputSubmission"] = {
        "model": model,
        "promptObject": po,
    }
    conv_id = body.get("conversationId") if isinstance(body.get("conversationId"), str) else None
    temp_url: str | None = None
    if kind == "text":
        turn = ChatTurn(
            prompt=_main_input(po),
            model=model,
            history=[],
            attachments={"images": [], "files": []},
            web_search=bool(po.get("webSearch")),
            conversation_id=conv_id,
            feature_type=ftype,
            prompt_object=po,
        )
        result = [produce_reply(rt, turn)]
    else:
        result = make_media(rt, kind, model, _output_count(kind, po))
        temp_url = rt.temporary_url(result[0])
    if body.get("async") is True:
        record = rt.build_record(
            feature_type=ftype,
            model=model,
            prompt_object=po,
            result=[],
            conversation_id=conv_id,
            status="PROCESSING",
            credit=cost,
        )
        rt.state.jobs[record["uuid"]] = Job(record, result, temp_url, time.monotonic())
        return json_response({"aiRecord": record})
    delay = rt.config.feature_latency_s.get(ftype, 0.0)
    if delay > 0:
        await asyncio.sleep(delay)
    record = rt.build_record(
        feature_type=ftype,
        model=model,
        prompt_object=po,
        result=result,
        conversation_id=conv_id,
        temporary_url=temp_url,
        credit=cost,
    )
    return json_response({"aiRecord": record})


def _advance(rt: Runtime, job: Job) -> None:
    record = job.record
    if record["status"] != "PROCESSING":
        return
    job.polls += 1
    if job.polls <= rt.config.async_pending_polls:
        return
    if time.monotonic() - job.created < rt.config.async_delay_s:
        return
    if rt.config.async_fail:
        record["status"] = rt.config.async_failed_status
        record["aiRecordDetail"]["errorMessage"] = "The job failed (emulated)"
    else:
        record["status"] = "SUCCESS"
        record["aiRecordDetail"]["resultObject"] = job.final_result
        if job.temporary_url is not None:
            record["temporaryUrl"] = job.temporary_url


async def results_handler(request: web.Request) -> web.StreamResponse:
    """``GET /api/results/{uuid}`` — unknown ids answer ``{"aiRecord": null}``."""
    rt = runtime(request)
    uid = request.match_info["uuid"]
    job = rt.state.jobs.get(uid)
    if job is not None:
        _advance(rt, job)
    return json_response({"aiRecord": rt.state.records.get(uid)})
