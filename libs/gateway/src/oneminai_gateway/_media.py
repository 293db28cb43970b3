"""Images and audio endpoints, onto the core client's media methods.

* ``POST /v1/images/generations`` → ``generate_image`` (``url`` or ``b64_json`` results);
* ``POST /v1/images/edits`` (multipart) → ``edit_image``, or ``inpaint_image`` with a mask;
* ``POST /v1/audio/speech`` → ``text_to_speech``, answered with the audio bytes;
* ``POST /v1/audio/transcriptions`` (multipart) → ``speech_to_text``, as ``json``, ``text``,
  ``verbose_json``, ``srt`` or ``vtt``.
"""

from __future__ import annotations

import asyncio
import base64
import math
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp import BodyPartReader, web
from oneminai_webapi import OneMinAIClient
from oneminai_webapi.constants import AssetType

from ._errors import bad_request, too_large
from ._models import (
    ImageEditFields,
    ImageGenerationRequest,
    SpeechRequest,
    TranscriptionFields,
    parse,
)
from ._state import CALLER, GATEWAY, credits_of, read_json

__all__ = ["image_edits", "image_generations", "speech", "transcriptions"]

_AUDIO_TYPES = {
    "mp3": "audio/mpeg",
    "opus": "audio/ogg",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}


def _size(size: str | None) -> tuple[int, int]:
    if size is None or size == "auto":
        return 1024, 1024
    width, sep, height = size.partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise bad_request(f"size must look like '1024x1024', got {size!r}", "size", "invalid_value")
    return int(width), int(height)


async def _download(output: Any) -> bytes:
    """The bytes of a result file (downloaded by the core client, through its pool)."""
    with tempfile.TemporaryDirectory(prefix="oneminai-gateway-") as folder:
        path: Path = await output.save(folder)
        return await asyncio.to_thread(path.read_bytes)


async def _images_body(images: list[Any], response_format: str | None) -> dict[str, Any]:
    data: list[dict[str, Any]] = []
    for image in images:
        if response_format == "b64_json":
            data.append(
                {
                    "b64_json": base64.b64encode(await _download(image)).decode("ascii"),
                    "revised_prompt": None,
                }
            )
        else:
            data.append({"url": image.url, "revised_prompt": None})
    return {"created": int(time.time()), "data": data}


async def image_generations(request: web.Request) -> web.Response:
    """``POST /v1/images/generations``."""
    gateway, caller = request.app[GATEWAY], request[CALLER]
    body: ImageGenerationRequest = parse(ImageGenerationRequest, await read_json(request))
    width, height = _size(body.size)
    model = body.model
    caller.check_model(model)
    gateway.keys.admit(caller)
    client = gateway.upstream.for_caller(caller)
    with gateway.call(caller, "images.generations", model or "") as call:
        output = await client.generate_image(
            body.prompt, model, width=width, height=height, num_images=body.n or 1,
            quality=body.quality, style=body.style, output_format=body.output_format,
        )  # fmt: skip
        call.model, call.credits, call.record_id = (
            output.model,
            credits_of(output),
            output.record_id,
        )
        return web.json_response(await _images_body(output.images, body.response_format))


async def _multipart(
    request: web.Request,
) -> tuple[dict[str, str], dict[str, tuple[str, bytes, str]]]:
    """The text fields and the files (``name → (filename, bytes, content type)``) of a form."""
    if not request.content_type.startswith("multipart/"):
        raise bad_request("This endpoint takes multipart/form-data.")
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, bytes, str]] = {}
    budget = request.app[GATEWAY].config.server.max_body_bytes
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or not part.name:
            raise bad_request("Nested or unnamed form parts are not accepted.")
        data = bytearray()
        while chunk := await part.read_chunk():
            data += chunk
            if len(data) > budget:
                raise too_large(budget)
        budget -= len(data)
        if part.filename is not None:
            kind = part.headers.get("Content-Type", "application/octet-stream")
            files.setdefault(part.name.removesuffix("[]"), (part.filename, bytes(data), kind))
        elif part.name.endswith("[]"):
            continue  # list fields (timestamp_granularities[], include[]) are not used
        else:
            fields[part.name] = data.decode("utf-8", "replace")
    return fields, files


async def _upload(client: OneMinAIClient, file: tuple[str, bytes, str], kind: AssetType) -> Any:
    filename, data, mime = file
    if not data:
        raise bad_request("The uploaded file is empty.")
    mime_type = None if mime == "application/octet-stream" else mime
    return await client.upload_asset(
        data=data, filename=filename or "file", mime_type=mime_type, asset_type=kind
    )


def _required_file(files: dict[str, tuple[str, bytes, str]], name: str) -> tuple[str, bytes, str]:
    """The uploaded file of the form field ``name``, or OpenAI's missing-parameter 400."""
    upload = files.get(name)
    if upload is None:
        raise bad_request(
            f"Missing required parameter: '{name}'.", name, "missing_required_parameter"
        )
    return upload


async def image_edits(request: web.Request) -> web.Response:
    """``POST /v1/images/edits``: one image (``image`` or ``image[]``), optional ``mask``."""
    gateway, caller = request.app[GATEWAY], request[CALLER]
    fields, files = await _multipart(request)
    body: ImageEditFields = parse(ImageEditFields, fields)
    image = _required_file(files, "image")
    caller.check_model(body.model)
    gateway.keys.admit(caller)
    client = gateway.upstream.for_caller(caller)
    with gateway.call(caller, "images.edits", body.model or "") as call:
        asset = await _upload(client, image, AssetType.IMAGE)
        mask = files.get("mask")
        if mask is not None:
            mask_asset = await _upload(client, mask, AssetType.IMAGE)
            output = await client.inpaint_image(asset, mask_asset, body.prompt, body.model)
        else:
            output = await client.edit_image(asset, body.prompt, body.model)
        call.model, call.credits, call.record_id = (
            output.model,
            credits_of(output),
            output.record_id,
        )
        return web.json_response(await _images_body(output.images, body.response_format))


async def speech(request: web.Request) -> web.Response:
    """``POST /v1/audio/speech``: the audio file's bytes."""
    gateway, caller = request.app[GATEWAY], request[CALLER]
    body: SpeechRequest = parse(SpeechRequest, await read_json(request))
    caller.check_model(body.model)
    fmt = body.response_format or "mp3"
    gateway.keys.admit(caller)
    client = gateway.upstream.for_caller(caller)
    with gateway.call(caller, "audio.speech", body.model) as call:
        output = await client.text_to_speech(
            body.input, body.model, voice=body.voice, speed=body.speed or 1.0, response_format=fmt
        )
        call.credits, call.record_id = credits_of(output), output.record_id
        audio = await _download(output)
        return web.Response(body=audio, content_type=_AUDIO_TYPES[fmt])


async def transcriptions(request: web.Request) -> web.Response:
    """``POST /v1/audio/transcriptions``."""
    gateway, caller = request.app[GATEWAY], request[CALLER]
    fields, files = await _multipart(request)
    body: TranscriptionFields = parse(TranscriptionFields, fields)
    audio = _required_file(files, "file")
    caller.check_model(body.model)
    gateway.keys.admit(caller)
    client = gateway.upstream.for_caller(caller)
    with gateway.call(caller, "audio.transcriptions", body.model) as call:
        asset = await _upload(client, audio, AssetType.AUDIO)
        output = await client.speech_to_text(asset, body.model, language=body.language)
        call.credits, call.record_id = credits_of(output), output.record_id
        return _transcript(output.text, body.response_format or "json", body.language)


def _transcript(text: str, fmt: str, language: str | None) -> web.Response:
    """The transcript in the asked format.

    1min.AI returns plain text without timings, so ``srt``/``vtt``/``verbose_json`` hold one
    cue (segment) spanning an estimate of the speech's length (150 words per minute).
    """
    if fmt == "text":
        return web.Response(text=text, content_type="text/plain")
    if fmt == "json":
        return web.json_response({"text": text})
    seconds = max(1.0, math.ceil(len(text.split()) / 150 * 60))
    if fmt == "verbose_json":
        segment = {
            "id": 0, "seek": 0, "start": 0.0, "end": seconds, "text": text, "tokens": [],
            "temperature": 0.0, "avg_logprob": 0.0, "compression_ratio": 0.0, "no_speech_prob": 0.0,
        }  # fmt: skip
        return web.json_response(
            {
                "task": "transcribe",
                "language": language or "",
                "duration": seconds,
                "text": text,
                "segments": [segment],
            }
        )
    if fmt == "srt":
        return web.Response(
            text=f"1\n00:00:00,000 --> {_stamp(seconds, ',')}\n{text}\n", content_type="text/plain"
        )
    return web.Response(
        text=f"WEBVTT\n\n00:00:00.000 --> {_stamp(seconds, '.')}\n{text}\n", content_type="text/vtt"
    )


def _stamp(seconds: float, mark: str) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}{mark}000"
