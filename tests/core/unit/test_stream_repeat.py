"""Issue 12 #1: the service repeats the whole answer as the last ``content`` event (gpt-5.x).

Sans-IO: events go straight into the stream interpreter. Joined ``text_delta`` values never
repeat text, ``resultObject[0]`` is the final text, and one event of look-ahead keeps an
answer whose last piece really equals the text so far.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from oneminai_webapi._protocol._chat import ChatStreamState
from oneminai_webapi._protocol._sse import ServerSentEvent
from oneminai_webapi.exceptions import StreamInterruptedError
from oneminai_webapi.types import ChatOutput


def content(text: str) -> ServerSentEvent:
    return ServerSentEvent("content", json.dumps({"content": text}), None, None)


def result(text: str | None) -> ServerSentEvent:
    detail: dict[str, Any] = {} if text is None else {"resultObject": [text]}
    record = {"uuid": "r1", "model": "gpt-5.4", "status": "SUCCESS", "aiRecordDetail": detail}
    return ServerSentEvent("result", json.dumps({"aiRecord": record}), None, None)


DONE = ServerSentEvent("done", '{"message": "Stream completed"}', None, None)


def run(*events: ServerSentEvent, eof: bool = True) -> tuple[list[ChatOutput], ChatStreamState]:
    state = ChatStreamState("gpt-5.4")
    out = [chunk for event in events if (chunk := state.on_event(event)) is not None]
    if eof and (last := state.on_eof()) is not None:
        out.append(last)
    return out, state


def deltas(chunks: list[ChatOutput]) -> str:
    return "".join(c.text_delta for c in chunks)


def test_the_repeated_answer_is_dropped_and_the_record_is_the_final_text() -> None:
    chunks, _ = run(
        content("Hello"), content(" world"), content("Hello world"), result("Hello world"), DONE
    )
    assert deltas(chunks) == "Hello world"
    assert [c.text_delta for c in chunks] == ["Hello", " world", ""]
    final = chunks[-1]
    assert final.is_final and final.text == "Hello world" and final.record_id == "r1"
    assert [c.text for c in chunks] == ["Hello", "Hello world", "Hello world"]


def test_a_real_last_piece_equal_to_the_text_so_far_is_kept() -> None:
    # "ha" + "ha": the second piece looks like a repeat; the record says it was real.
    chunks, _ = run(content("ha"), content("ha"), result("haha"), DONE)
    assert deltas(chunks) == "haha"
    assert chunks[-1].text == "haha" and chunks[-1].text_delta == "ha"


def test_a_real_piece_equal_to_the_text_so_far_then_the_repeat() -> None:
    chunks, _ = run(content("ha"), content("ha"), content("haha"), result("haha"), DONE)
    assert [c.text_delta for c in chunks] == ["ha", "ha", ""]
    assert chunks[-1].text == "haha"


def test_a_held_piece_followed_by_more_content_goes_out_with_it() -> None:
    chunks, _ = run(content("ha"), content("ha"), content("!"), result("haha!"), DONE)
    assert [c.text_delta for c in chunks] == ["ha", "ha!", ""]
    assert [c.text for c in chunks] == ["ha", "haha!", "haha!"]


def test_without_a_record_the_held_piece_counts_as_the_repeat() -> None:
    chunks, _ = run(content("Hi"), content(" there"), content("Hi there"), DONE)
    assert deltas(chunks) == "Hi there" and chunks[-1].text == "Hi there"


def test_a_record_without_text_falls_back_to_the_streamed_text() -> None:
    chunks, _ = run(content("Hi"), content(" there"), content("Hi there"), result(None), DONE)
    assert deltas(chunks) == "Hi there" and chunks[-1].text == "Hi there"


def test_the_record_text_is_final_even_when_the_deltas_fell_short() -> None:
    chunks, _ = run(content("Hel"), result("Hello!"), DONE)
    assert deltas(chunks) == "Hello!" and chunks[-1].text_delta == "lo!"


def test_an_error_after_the_repeat_keeps_the_answer_once() -> None:
    state = ChatStreamState("gpt-5.4")
    for event in (content("one"), content(" two"), content("one two")):
        state.on_event(event)
    with pytest.raises(StreamInterruptedError) as info:
        state.on_event(ServerSentEvent("error", '{"error": "upstream"}', None, None))
    assert info.value.partial_text == "one two"
    assert info.value.events_received == 3


def test_a_single_piece_answer_is_never_held() -> None:
    chunks, _ = run(content("Yes"), result("Yes"), DONE)
    assert [c.text_delta for c in chunks] == ["Yes", ""]
