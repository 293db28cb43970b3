"""Issue 12 #1 through both clients and sessions: a repeated final answer is never doubled."""

from __future__ import annotations

import json

import pytest
from oneminai_webapi.testing import Fault

from .conftest import call, collect

ANSWER = "The capital of France is Paris."


async def test_a_gpt5_stream_is_not_doubled(client, emu):
    emu.script_replies([ANSWER])
    drained = await collect(client.chat("Capital?", model="gpt-5", stream=True))
    assert drained.deltas + drained.final.text_delta == ANSWER
    assert drained.final.text == ANSWER
    assert [c.text for c in drained.chunks if not c.is_final][-1] == ANSWER


@pytest.mark.onemin_emulator(repeat_answer_models=("",))
async def test_any_model_with_the_repeat_switched_on(client, emu):
    emu.script_replies([ANSWER])
    stream = await call(client.generate_content_stream("Capital?"))
    drained = await collect(stream)
    assert drained.deltas == ANSWER and drained.final.text == ANSWER
    assert stream.text == ANSWER


def sse(*events: tuple[str, object]) -> str:
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)


def record(text: str) -> dict[str, object]:
    return {
        "aiRecord": {"uuid": "r", "status": "SUCCESS", "aiRecordDetail": {"resultObject": [text]}}
    }


@pytest.mark.parametrize("repeated", [True, False])
async def test_an_answer_whose_last_piece_equals_the_text_so_far_is_kept(client, emu, repeated):
    # "ha" + "ha" (+ the service's repeat "haha"): the record decides, nothing is cut.
    pieces = ["ha", "ha", "haha"] if repeated else ["ha", "ha"]
    body = sse(*[("content", {"content": p}) for p in pieces], ("result", record("haha")))
    emu.inject(Fault.raw_stream(body + sse(("done", {}))), path="/api/chat-with-ai")
    drained = await collect(client.chat("Laugh", stream=True))
    assert drained.deltas + drained.final.text_delta == "haha" == drained.final.text


async def test_a_non_streamed_gpt5_answer_is_the_record_text(client, emu):
    emu.script_replies([ANSWER])
    answer = await call(client.chat("Capital?", model="gpt-5"))
    assert answer.text == ANSWER


async def test_a_session_stream_records_the_answer_once(client, emu):
    session = client.start_chat("gpt-5")
    emu.script_replies([ANSWER, "Second."])
    drained = await collect(session.send_message_stream("Capital?"))
    assert drained.deltas == ANSWER
    assert session.last_output is not None and session.last_output.text == ANSWER
    again = await collect(session.send_message_stream("And?"))
    assert again.deltas == "Second." and session.turn_count == 2
