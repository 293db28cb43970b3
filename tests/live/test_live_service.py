"""Live checks against the real 1min.AI service; skipped without ONEMINAI_API_KEY.

They spend a few credits: one short chat, one stream, a two-turn session and catalog
reads. Everything else is covered offline against the emulator.
"""

from __future__ import annotations

import os

import pytest
from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not os.environ.get("ONEMINAI_API_KEY"), reason="needs ONEMINAI_API_KEY"),
]
MODEL = os.environ.get("ONEMINAI_LIVE_MODEL", "gpt-4o-mini")


async def test_live_chat_stream_and_session() -> None:
    async with OneMinAIClient() as client:
        answer = await client.generate_content("Reply with the single word: pong", MODEL)
        assert "pong" in answer.text.lower()
        assert answer.record_id

        chunks = [c async for c in client.generate_content_stream("Count: one two three", MODEL)]
        assert chunks[-1].is_final
        assert chunks[-1].text == "".join(c.text_delta for c in chunks)

        session = client.start_chat(MODEL)
        await session.send_message("Remember the number 4812.")
        reply = await session.send_message("Which number did I ask you to remember?")
        assert "4812" in reply.text
        await session.delete()


def test_live_catalog_and_sync_client() -> None:
    with SyncOneMinAIClient() as client:
        models = client.list_models("UNIFY_CHAT_WITH_AI")
        assert any(m.get("modelId") for m in models)
        assert client.generate_content("Say hi", MODEL).text


def test_live_adapters() -> None:
    from langchain_oneminai import ChatOneMinAI
    from llama_index.llms.oneminai import OneMinAI

    assert ChatOneMinAI(model=MODEL).invoke("Reply with: ok").content
    assert OneMinAI(model=MODEL).complete("Reply with: ok").text
