"""Streamed reasoning: the incremental reader agrees with ``split_reasoning`` and stays linear."""

from __future__ import annotations

import itertools
import time

from hypothesis import given, settings
from hypothesis import strategies as st
from oneminai_webapi.tool_calling import ReplyAssembler, ReplyPlan, split_reasoning
from oneminai_webapi.tool_calling._reasoning import ReasoningStream

_FRAGMENTS = st.sampled_from(
    [
        "<think>", "</think>", "<THINKING>", "</thinking >", "<reasoning>", "</reasoning>",
        "</thi", "<th", "<", ">", " ", "\n", "a", "bc", "Answer", "<b>", "{", "```json\n",
    ]
)  # fmt: skip
_REPLIES = st.lists(_FRAGMENTS, max_size=14).map("".join)
_CUTS = st.lists(st.integers(min_value=0, max_value=120), max_size=10)


def _pieces(text: str, cuts: list[int]) -> list[str]:
    points = [0, *sorted({c for c in cuts if c < len(text)}), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(points)]


@settings(max_examples=400, deadline=None)
@given(_REPLIES, _CUTS)
def test_the_reader_agrees_with_the_whole_reply_split(reply: str, cuts: list[int]) -> None:
    reader = ReasoningStream()
    shown = ""
    for piece in _pieces(reply, cuts):
        shown += reader.feed(piece)
    whole = split_reasoning(reply)
    assert whole.reasoning.startswith(shown)  # never hands out what it must take back
    if reader.answer_at is not None:
        answer = whole.answer or ""
        assert reply[reader.answer_at :] == (answer.lstrip() if whole.has_reasoning else answer)
        assert shown == whole.reasoning
    elif split_reasoning(reply, final=False).answer is not None:
        raise AssertionError("the answer had begun but the reader did not say so")


@settings(max_examples=200, deadline=None)
@given(_REPLIES, _CUTS, st.sampled_from([[], ["bc"], ["</thi"]]))
def test_streamed_reasoning_and_text_add_up_to_the_outcome(
    reply: str, cuts: list[int], stop: list[str]
) -> None:
    assembler = ReplyAssembler(ReplyPlan.create([], None, None, stop=stop))
    text = reasoning = ""
    for piece in _pieces(reply, cuts):
        delta = assembler.step(piece)
        text, reasoning = text + delta.text, reasoning + delta.reasoning
    outcome = assembler.finish()
    assert text + outcome.tail == outcome.content
    assert reasoning + outcome.reasoning_tail == outcome.reasoning
    whole = ReplyPlan.create([], None, None, stop=stop).interpret(reply)
    assert (whole.content, whole.reasoning) == (outcome.content, outcome.reasoning)


def _reasoning_seconds(deltas: int) -> float:
    assembler = ReplyAssembler(ReplyPlan.create([], None, None))
    start = time.process_time()
    assembler.step("<think>")
    for _ in range(deltas):
        assembler.step("abcd ")
    assembler.step("</think>Answer")
    elapsed = time.process_time() - start
    assert assembler.finish().content == "Answer"
    return elapsed


def test_long_reasoning_is_assembled_in_linear_time() -> None:
    # Ten times the deltas: linear gives ~10x; re-reading the whole reasoning per delta ~100x.
    small, big = _reasoning_seconds(4_000), _reasoning_seconds(40_000)
    assert big / max(small, 1e-3) < 30, (small, big)
