"""Chat against the emulator, for both clients: exact wire payloads and results."""

from __future__ import annotations

from typing import Any

import pytest
from oneminai_webapi import ChatOutput
from oneminai_webapi.constants import ChatModel
from oneminai_webapi.testing import Emulator

from .conftest import call, collect

DEFAULT_SETTINGS = {
    "webSearchSettings": {"webSearch": False, "numOfSite": 3, "maxWord": 1000},
    "historySettings": {"isMixed": False, "historyMessageLimit": 10},
    "withMemories": False,
}


def golden(prompt: str, model: str = "gpt-4o-mini", **extra_po: Any) -> dict[str, Any]:
    """The documented official body of the unified chat API with the documented defaults."""
    po: dict[str, Any] = {"prompt": prompt, "settings": DEFAULT_SETTINGS}
    po.update(extra_po)
    return {"type": "UNIFY_CHAT_WITH_AI", "model": model, "promptObject": po}


def assert_official_headers(emu: Emulator, headers: dict[str, str], *, stream: bool) -> None:
    assert headers["api-key"] == emu.api_key
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == ("text/event-stream" if stream else "application/json")
    assert "x-auth-token" not in headers
    assert "authorization" not in headers
    assert "cookie" not in headers


async def test_generate_content_sends_exactly_one_request_and_no_conversation(client, emu):
    out = await call(client.generate_content("Hello"))

    assert isinstance(out, ChatOutput)
    assert out.text == "Echo from gpt-4o-mini: Hello" == str(out)
    assert out.model == "gpt-4o-mini"
    assert out.is_final and out.record_id
    assert out.conversation_id is None
    assert len(emu.requests) == 1
    req = emu.requests[0]
    assert (req.method, req.path, req.query) == ("POST", "/api/chat-with-ai", {})
    assert req.json == golden("Hello")
    assert_official_headers(emu, req.headers, stream=False)
    assert emu.conversations == {}


async def test_generate_content_model_enum_images_files_web_search_brand_voice(client, emu):
    out = await call(
        client.generate_content(
            "Describe",
            ChatModel.GPT_4O,
            images=["images/a.png", "https://example.com/b.png"],
            files=["26f30dfd-1d61-4b5b-889c-d7ab2d60d1ee"],
            web_search=True,
            brand_voice_id="bv-1",
        )
    )
    body = emu.requests[-1].json
    expected = golden(
        "Describe",
        ChatModel.GPT_4O.value,
        attachments={
            "images": ["images/a.png", "https://example.com/b.png"],
            "files": ["26f30dfd-1d61-4b5b-889c-d7ab2d60d1ee"],
        },
    )
    expected["promptObject"]["settings"] = {
        **DEFAULT_SETTINGS,
        "webSearchSettings": {"webSearch": True, "numOfSite": 3, "maxWord": 1000},
    }
    expected["brandVoiceId"] = "bv-1"
    assert body == expected
    assert len(emu.requests) == 1
    assert "attachments: 2 image(s), 1 file(s)" in out.text
    assert len(out.sources) == 3 and all("url" in s for s in out.sources)


async def test_generate_content_stream_sends_streaming_query_and_yields_deltas(client, emu):
    emu.script_replies(["Hello brave new world"])
    drained = await collect(
        client.generate_content_stream("Hi", "us.anthropic.claude-haiku-4-5-20251001-v1:0")
    )

    assert len(emu.requests) == 1
    req = emu.requests[0]
    assert (req.method, req.path, req.query) == (
        "POST",
        "/api/chat-with-ai",
        {"isStreaming": "true"},
    )
    assert req.json == golden("Hi", "us.anthropic.claude-haiku-4-5-20251001-v1:0")
    assert_official_headers(emu, req.headers, stream=True)
    deltas = [c for c in drained.chunks if not c.is_final]
    assert [c.text_delta for c in deltas] == ["Hello ", "brave ", "new ", "world"]
    assert [c.text for c in deltas] == [
        "Hello ",
        "Hello brave ",
        "Hello brave new ",
        "Hello brave new world",
    ]
    final = drained.final
    assert drained.chunks[-1] is final
    assert final.text == "Hello brave new world" and final.record_id
    assert final.model == "us.anthropic.claude-haiku-4-5-20251001-v1:0"
    assert emu.conversations == {}


async def test_chat_non_stream_with_every_option(client, emu):
    conv = emu.add_conversation("Existing")
    out = await call(
        client.chat(
            "Question",
            model="gpt-4o",
            conversation_id=conv.uuid,
            images=["images/x.png"],
            files=["f-1", "f-2"],
            web_search=True,
            num_of_site=5,
            max_word=300,
            is_mixed=True,
            history_message_limit=4,
            with_memories=True,
            brand_voice_id="voice-9",
        )
    )
    assert len(emu.requests) == 1
    req = emu.requests[0]
    assert (req.method, req.path, req.query) == ("POST", "/api/chat-with-ai", {})
    assert req.json == {
        "type": "UNIFY_CHAT_WITH_AI",
        "model": "gpt-4o",
        "promptObject": {
            "prompt": "Question",
            "conversationId": conv.uuid,
            "settings": {
                "webSearchSettings": {"webSearch": True, "numOfSite": 5, "maxWord": 300},
                "historySettings": {"isMixed": True, "historyMessageLimit": 4},
                "withMemories": True,
            },
            "attachments": {"images": ["images/x.png"], "files": ["f-1", "f-2"]},
        },
        "brandVoiceId": "voice-9",
    }
    assert out.conversation_id == conv.uuid
    assert len(out.sources) == 5
    assert [m.content for m in conv.messages][-1] == out.text


async def test_chat_stream_true_with_every_option(client, emu):
    conv = emu.add_conversation("Existing")
    emu.script_replies(["one two three"])
    stream = client.chat(
        "Question",
        stream=True,
        model="gpt-4o",
        conversation_id=conv.uuid,
        web_search=True,
        num_of_site=2,
        max_word=50,
        is_mixed=True,
        history_message_limit=0,
        with_memories=True,
    )
    drained = await collect(stream)
    req = emu.requests[-1]
    assert len(emu.requests) == 1
    assert req.query == {"isStreaming": "true"}
    assert req.json["promptObject"]["conversationId"] == conv.uuid
    assert req.json["promptObject"]["settings"] == {
        "webSearchSettings": {"webSearch": True, "numOfSite": 2, "maxWord": 50},
        "historySettings": {"isMixed": True, "historyMessageLimit": 0},
        "withMemories": True,
    }
    assert "attachments" not in req.json["promptObject"]
    assert drained.deltas == "one two three"
    assert drained.final.text == "one two three"
    assert drained.final.conversation_id == conv.uuid


async def test_chat_without_options_equals_generate_content_body(client, emu):
    await call(client.chat("Same"))
    await call(client.generate_content("Same"))
    a, b = emu.requests
    assert a.json == b.json == golden("Same")


async def test_chat_in_a_conversation_keeps_server_side_history(client, emu):
    conv = emu.add_conversation("History")
    await call(client.chat("My name is Ada.", conversation_id=conv.uuid))
    second = await call(client.chat("Who am I?", conversation_id=conv.uuid))
    assert "2 earlier messages in context" in second.text
    assert [r.json["promptObject"]["conversationId"] for r in emu.requests] == [conv.uuid] * 2


async def test_unknown_conversation_is_not_found(client, emu):
    from oneminai_webapi.exceptions import NotFoundError

    with pytest.raises(NotFoundError) as info:
        await call(client.chat("Hi", conversation_id="0c0c0c0c-0000-4000-8000-000000000000"))
    assert info.value.status_code == 404
    assert len(emu.requests) == 1


async def test_unsupported_model_maps_to_typed_error(client, emu):
    from oneminai_webapi.exceptions import UnsupportedModelError

    with pytest.raises(UnsupportedModelError) as info:
        await call(client.generate_content("Hi", "no-such-model"))
    assert info.value.status_code == 400
    assert len(emu.requests) == 1  # 4xx never retried


async def test_non_ascii_round_trip(client, emu):
    prompt = "Grüße, 世界 🌍 — «ok»"
    out = await call(client.generate_content(prompt))
    assert out.text == f"Echo from gpt-4o-mini: {prompt}"
    assert emu.requests[-1].json["promptObject"]["prompt"] == prompt
    drained = await collect(client.generate_content_stream(prompt))
    assert drained.final.text == out.text
    assert drained.deltas == out.text
