"""OneMinAI against the emulator speaking as the live service does in 2026 (issue 12)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage
from llama_index.llms.oneminai import OneMinAI

EMULATOR_KEY = "test-key"  # the shared emulator's key (conftest)

USER = [ChatMessage(role="user", content="Capital of France?")]
ANSWER = "Paris is the capital of France."


@pytest.fixture
def gpt5(emu: Any) -> Iterator[OneMinAI]:
    """A gpt-5 model: the service (and the emulator) repeat its streamed answer."""
    model = OneMinAI(model="gpt-5", api_key=EMULATOR_KEY, base_url=emu.base_url)
    yield model
    model.close()


# ── #1 the repeated final content event ──────────────────────────────────────────────


def test_stream_chat_is_not_doubled(gpt5: OneMinAI, emu: Any) -> None:
    emu.script_replies([ANSWER])
    items = list(gpt5.stream_chat(USER))
    assert "".join(i.delta or "" for i in items) == ANSWER
    assert items[-1].message.content == ANSWER


async def test_astream_chat_is_not_doubled(gpt5: OneMinAI, emu: Any) -> None:
    emu.script_replies([ANSWER])
    items = [i async for i in await gpt5.astream_chat(USER)]
    assert "".join(i.delta or "" for i in items) == ANSWER
    assert items[-1].message.content == ANSWER
