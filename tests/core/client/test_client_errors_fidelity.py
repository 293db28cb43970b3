"""Issue 12 #4 through both clients: provider errors, moderation, unknown records."""

from __future__ import annotations

import pytest
from oneminai_webapi.exceptions import BadRequestError, ContentFilteredError, NotFoundError
from oneminai_webapi.testing import Fault

from .conftest import call, collect

CHAT = "/api/chat-with-ai"


async def test_a_provider_refusal_names_the_provider_reason(client, emu):
    emu.inject(Fault.provider_error("the prompt is too long for this model"), path=CHAT)
    with pytest.raises(BadRequestError) as info:
        await call(client.chat("hi"))
    exc = info.value
    assert exc.code == "EXTERNAL_API_RESPONSE_WITH_ERROR"
    assert exc.provider_detail == "the prompt is too long for this model"
    assert "the prompt is too long for this model" in str(exc)
    assert len(emu.requests_to(CHAT)) == 1  # a 400 is never retried


async def test_a_provider_refusal_on_a_stream(client, emu):
    emu.inject(Fault.provider_error(details="upstream: not json"), path=CHAT)
    drained = await collect(client.chat("hi", stream=True), catch=True)
    assert isinstance(drained.error, BadRequestError)
    assert drained.error.provider_detail == "upstream: not json" and drained.chunks == []


async def test_a_moderated_answer_raises(client, emu):
    with pytest.raises(ContentFilteredError) as info:
        await call(client.chat("Tell me [moderate-me]"))
    assert info.value.record_id and info.value.code == "CONTENT_MODERATION"


async def test_a_moderated_stream_raises(client, emu):
    drained = await collect(client.chat("Tell me [moderate-me]", stream=True), catch=True)
    assert isinstance(drained.error, ContentFilteredError)
    assert drained.chunks == [] and drained.error.partial_text == ""


@pytest.mark.onemin_emulator(moderation_trigger="")
async def test_the_moderation_trigger_can_be_switched_off(client, emu):
    answer = await call(client.chat("Tell me [moderate-me]"))
    assert answer.text.endswith("[moderate-me]")


async def test_a_moderated_session_turn_raises_and_the_session_goes_on(client, emu):
    session = client.start_chat()
    with pytest.raises(ContentFilteredError):
        await call(session.send_message("Now [moderate-me]"))
    assert session.turn_count == 0
    answer = await call(session.send_message("Hello"))
    assert answer.text.startswith("Echo from")


async def test_an_unknown_record_is_not_found(client, emu):
    with pytest.raises(NotFoundError, match="no record"):
        await call(client.wait_for_result("00000000-0000-4000-8000-000000000000"))
