"""The sans-IO half of ``complete()``: reasoning split, chunking independence, credits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from oneminai_webapi._protocol._completion import (
    CompletionRun,
    ReasoningSplitter,
    prepare,
)
from oneminai_webapi.completions import Completion, ReasoningDelta, TextDelta, ToolCallDelta
from oneminai_webapi.types import ChatOutput

REPLIES = [
    "Plain answer.",
    "<think>why</think>Answer",
    "  <THINKING>\nsteps\n</thinking>\n\n  Done.",
    "<think>never closed",
    "<th",
    "<b>bold</b> is not reasoning",
    "Text then <think>late</think> stays text",
    "",
]


def split_all(reply: str, cuts: list[int]) -> tuple[str, str]:
    splitter = ReasoningSplitter()
    reasoning = answer = ""
    previous = 0
    for cut in [*sorted(set(cuts)), len(reply)]:
        r, a = splitter.feed(reply[previous:cut])
        reasoning, answer, previous = reasoning + r, answer + a, cut
    r, a = splitter.finish()
    assert splitter.reasoning == reasoning + r
    return reasoning + r, answer + a


@pytest.mark.parametrize(
    ("reply", "reasoning", "answer"),
    [
        ("Plain answer.", "", "Plain answer."),
        ("<think>why</think>Answer", "why", "Answer"),
        ("  <THINKING>\nsteps\n</thinking>\n\n  Done.", "\nsteps\n", "Done."),
        ("<think>never closed", "never closed", ""),
        ("<th", "", "<th"),
        ("<b>bold</b> is not reasoning", "", "<b>bold</b> is not reasoning"),
        (
            "Text then <think>late</think> stays text",
            "",
            "Text then <think>late</think> stays text",
        ),
    ],
)
def test_a_leading_think_block_is_split_off(reply: str, reasoning: str, answer: str) -> None:
    assert split_all(reply, []) == (reasoning, answer)


@given(st.sampled_from(REPLIES), st.lists(st.integers(min_value=0, max_value=60), max_size=8))
def test_the_split_does_not_depend_on_chunking(reply: str, cuts: list[int]) -> None:
    cuts = [c for c in cuts if c <= len(reply)]
    assert split_all(reply, cuts) == split_all(reply, [])


def _stream(run: CompletionRun, reply: str, cuts: list[int]) -> list[object]:
    events: list[object] = []
    assert run.next_prompt() is not None
    text = ""
    for cut in [*sorted(set(cuts)), len(reply)]:
        if cut <= len(text):
            continue
        delta, text = reply[len(text) : cut], reply[:cut]
        events += run.feed(ChatOutput(text=text, text_delta=delta, is_final=False))
        if run.stopped:
            break
    events += run.feed(ChatOutput(text=reply, is_final=True, model="m"))
    events += run.end_attempt()
    assert run.next_prompt() is None
    return events + run.finish()


TOOL = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"stop": ["STOP"]}, {"tools": [TOOL]}, {"response_format": {"type": "json_object"}}],
)
@given(
    reply=st.sampled_from(
        [
            "<think>hm</think>Hello STOP world",
            'Calling.\n```tool_calls\n{"tool_calls": [{"name": "f", "arguments": {}}]}\n```',
            '{"a": 1}',
            "just text",
        ]
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=80), max_size=6),
)
def test_streamed_events_agree_with_the_completion(kwargs, reply: str, cuts: list[int]) -> None:
    call = prepare([{"role": "user", "content": "q"}], max_tool_retries=0, **kwargs)
    events = _stream(CompletionRun(call), reply, cuts)
    final = events[-1]
    assert isinstance(final, Completion)
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == final.text
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    assert reasoning == (final.reasoning or "")
    calls = [e for e in events if isinstance(e, ToolCallDelta)]
    assert [c.id for c in calls] == [c.id for c in final.tool_calls]
    whole = _stream(CompletionRun(call), reply, [])[-1]
    assert isinstance(whole, Completion)
    assert (whole.text, whole.reasoning, len(whole.tool_calls)) == (
        final.text,
        final.reasoning,
        len(final.tool_calls),
    )
