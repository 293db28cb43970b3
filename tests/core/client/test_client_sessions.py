"""ChatSession: the conversation is created on the first send, and every turn sends its id."""

from __future__ import annotations

import pytest
from oneminai_webapi import ChatSession
from oneminai_webapi.exceptions import InvalidRequestError

from .conftest import call, collect


async def test_first_send_creates_the_conversation_then_every_turn_sends_its_id(client, emu):
    session = client.start_chat("gpt-4o")
    assert isinstance(session, ChatSession)
    assert session.conversation_id is None and session.turn_count == 0
    assert session.last_output is None and session.model == "gpt-4o"
    assert emu.requests == []  # nothing is sent before the first message

    first = await call(session.send_message("My name is Ada."))
    create, turn1 = emu.requests
    assert (create.method, create.path) == ("POST", "/api/conversations")
    assert create.json == {
        "type": "UNIFY_CHAT_WITH_AI",
        "title": "My name is Ada.",
        "model": "gpt-4o",
    }
    assert create.headers["api-key"] == emu.api_key
    conv_id = session.conversation_id
    assert conv_id in emu.conversations
    assert turn1.path == "/api/chat-with-ai"
    assert turn1.json["promptObject"]["conversationId"] == conv_id
    assert turn1.json["model"] == "gpt-4o"
    assert first.conversation_id == conv_id
    assert session.turn_count == 1 and session.last_output is first

    second = await call(session.send_message("Who am I?"))
    assert len(emu.requests) == 3  # no second conversation
    assert emu.requests[2].json["promptObject"]["conversationId"] == conv_id
    assert "2 earlier messages in context" in second.text
    assert session.turn_count == 2 and session.last_output is second
    assert f"conversation_id={conv_id!r}" in repr(session)


async def test_streamed_and_plain_turns_share_the_context(client, emu):
    session = client.start_chat()
    emu.script_replies(["Hello Ada"])
    drained = await collect(session.send_message_stream("I am Ada"))
    assert drained.deltas == "Hello Ada"
    conv_id = session.conversation_id
    assert conv_id is not None
    assert [r.path for r in emu.requests] == ["/api/conversations", "/api/chat-with-ai"]
    assert emu.requests[1].query == {"isStreaming": "true"}
    assert emu.requests[1].json["promptObject"]["conversationId"] == conv_id
    assert session.turn_count == 1
    assert session.last_output is not None and session.last_output.text == "Hello Ada"
    assert session.last_output.conversation_id == conv_id

    plain = await call(session.send_message("Again"))
    assert "2 earlier messages in context" in plain.text
    again = await collect(session.send_message_stream("And again"))
    assert "4 earlier messages in context" in again.final.text
    assert session.turn_count == 3
    assert [r.json["promptObject"].get("conversationId") for r in emu.requests[1:]] == [conv_id] * 3


async def test_session_options_apply_to_every_turn_and_per_turn_overrides(client, emu):
    session = client.start_chat(
        "gpt-4o-mini", web_search=True, num_of_site=5, max_word=200, is_mixed=True,
        history_message_limit=3, with_memories=True, brand_voice_id="bv", title="Research",
    )  # fmt: skip
    await call(session.send_message("one"))
    await call(
        session.send_message(
            "two", web_search=False, model="gpt-4o", images=["images/a.png"], files=["f"]
        )
    )
    create = emu.requests[0]
    assert create.json == {
        "type": "UNIFY_CHAT_WITH_AI",
        "title": "Research",
        "model": "gpt-4o-mini",
    }
    t1, t2 = emu.requests[1].json, emu.requests[2].json
    assert t1["promptObject"]["settings"] == {
        "webSearchSettings": {"webSearch": True, "numOfSite": 5, "maxWord": 200},
        "historySettings": {"isMixed": True, "historyMessageLimit": 3},
        "withMemories": True,
    }
    assert t1["brandVoiceId"] == "bv" and t1["model"] == "gpt-4o-mini"
    assert t2["promptObject"]["settings"]["webSearchSettings"]["webSearch"] is False
    assert t2["model"] == "gpt-4o"
    assert t2["promptObject"]["attachments"] == {"images": ["images/a.png"], "files": ["f"]}
    assert session.model == "gpt-4o-mini"  # the override was for one turn


async def test_default_title_is_the_first_prompt_cut_to_91_characters(client, emu):
    session = client.start_chat()
    prompt = "x" * 200
    await call(session.send_message(prompt))
    assert emu.requests[0].json["title"] == "x" * 91


async def test_existing_conversation_id_skips_creation(client, emu):
    conv = emu.add_conversation("Old")
    session = client.start_chat(conversation_id=conv.uuid)
    assert session.conversation_id == conv.uuid
    await call(session.send_message("hi"))
    assert [r.path for r in emu.requests] == ["/api/chat-with-ai"]
    assert emu.requests[0].json["promptObject"]["conversationId"] == conv.uuid


async def test_get_history_and_delete(client, emu):
    session = client.start_chat()
    assert await call(session.get_history()) == []
    assert await call(session.delete()) is None
    assert emu.requests == []  # both are no-ops before the first turn

    await call(session.send_message("first"))
    await call(session.send_message("second"))
    conv_id = session.conversation_id
    history = await call(session.get_history())
    assert [m.content for m in history][0::2] == ["first", "second"]
    assert [m.role for m in history] == ["USER", "gpt-4o-mini", "USER", "gpt-4o-mini"]

    emu.requests.clear()
    await call(session.delete())
    assert [(r.method, r.path) for r in emu.requests] == [
        ("DELETE", f"/api/conversations/{conv_id}")
    ]
    assert conv_id not in emu.conversations
    assert session.conversation_id is None
    assert session.turn_count == 0 and session.last_output is None  # a fresh start

    await call(session.send_message("third"))
    assert session.conversation_id not in (None, conv_id) and session.turn_count == 1


async def test_bad_session_arguments_fail_before_any_request(client, emu):
    with pytest.raises(InvalidRequestError):
        client.start_chat(title="t" * 92)
    with pytest.raises(InvalidRequestError):
        client.start_chat(history_message_limit=-1)
    session = client.start_chat()
    with pytest.raises(InvalidRequestError):
        await call(session.send_message("   "))
    assert emu.requests == []
