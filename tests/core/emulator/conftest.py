"""Helpers for the emulator tests: an aiohttp session and a tiny SSE parser of our own."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest_asyncio
from oneminai_webapi.testing import Emulator


@pytest_asyncio.fixture
async def emu(onemin_emulator: Emulator) -> Emulator:
    return onemin_emulator


@pytest_asyncio.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


def parse_sse(raw: bytes) -> list[tuple[str, Any]]:
    """Split an SSE body into ``(event, data)`` pairs (data JSON-decoded when possible)."""
    text = raw.decode("utf-8").replace("\r\n", "\n")
    events: list[tuple[str, Any]] = []
    for block in text.split("\n\n"):
        name, data_lines = "message", []
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                name = value
            elif field == "data":
                data_lines.append(value)
        if data_lines:
            data = "\n".join(data_lines)
            try:
                events.append((name, json.loads(data)))
            except ValueError:
                events.append((name, data))
    return events


CHAT_BODY: dict[str, Any] = {
    "type": "UNIFY_CHAT_WITH_AI",
    "model": "gpt-4o-mini",
    "promptObject": {"prompt": "Hello world"},
}


def chat_body(prompt: str = "Hello world", **po: Any) -> dict[str, Any]:
    body = {"type": "UNIFY_CHAT_WITH_AI", "model": po.pop("model", "gpt-4o-mini")}
    body["promptObject"] = {"prompt": prompt, **po}
    return body
