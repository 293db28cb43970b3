"""The sans-IO half of ``complete()``: reasoning split, chunking independence, credits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from oneminai_webapi._protocol._completion import CompletionRun, prepare
from oneminai_webapi.completions import Completion, ReasoningDelta, TextDelta, ToolCallDelta
from oneminai_webapi.types import ChatOutput

REPLIES = [
    "Plain answer.",
    "<think>why</think>Answer",
    "  <THINKING>\nsteps\n</thinking>\n\n  Done.",
    "<think>one</think><think>two</think>Both",
    "<think>never closed",
    "<th",
    "<b>bold</b> is not reasoning",
    "Text then <think>late</think> stays text",
    "",
]


def split_all(reply: str, cuts: list[int]) -> tuple[str, str]:
    """(reasoning, answer) of ``reply`` streamed through a run in pieces cut at ``cuts``."""
    call = prepare([{"role": "user", "content": "q"}])
    events = _stream(CompletionRun(call, stream=True), reply, cuts)
    final = events[-1]
    assert isinstance(final, Completion)
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    answer = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert (reasoning, answer) == (final.reasoning or "", final.text)
    return reasoning, answer


@pytest.mark.parametrize(
    ("reply", "reasoning", "answer"),
    [
        ("Plain answer.", "", "Plain answer."),
        ("<think>why</think>Answer", "why", "Answer"),
        # The reasoning is stripped, as the adapters have always given it.
        ("  <THINKING>\nsteps\n</thinking>\n\n  Done.", "steps", "Done."),
        ("<think>one</think><think>two</think>Both", "one\n\ntwo", "Both"),
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
def test_leading_think_blocks_are_split_off(reply: str, reasoning: str, answer: str) -> None:
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


def _attempts(run: CompletionRun, replies: list[str]) -> list[object]:
    """Feed one reply per request, each in small pieces, until the run is done."""
    events: list[object] = []
    for reply in replies:
        if run.next_prompt() is None:
            break
        for start in range(0, len(reply), 3):
            events += run.feed(ChatOutput(text_delta=reply[start : start + 3], is_final=False))
        events += run.feed(ChatOutput(text=reply, is_final=True, model="m", credits_used=7))
        events += run.end_attempt()
    assert run.next_prompt() is None
    return events + run.finish()


BROKEN = 'Let me check.\n```tool_calls\n{"tool_calls": [{"name": "f", "arguments": {\n```'
FIXED = '```tool_calls\n{"tool_calls": [{"name": "f", "arguments": {}}]}\n```'


def test_a_streamed_message_is_continued_across_a_corrective_retry() -> None:
    call = prepare([{"role": "user", "content": "q"}], tools=[TOOL])
    events = _attempts(CompletionRun(call, stream=True), [BROKEN, FIXED])
    final = events[-1]
    assert isinstance(final, Completion)
    streamed = "".join(e.text for e in events if isinstance(e, TextDelta))
    # The prose shown before the unreadable call stays: a stream cannot take it back.
    assert streamed == final.text == "Let me check."
    assert [c.name for c in final.tool_calls] == ["f"] and final.attempts == 2
    assert final.credits_used == 14  # summed over both requests
    # Without streaming nothing was shown, so the message is the retry's answer alone.
    whole = _attempts(CompletionRun(call), [BROKEN, FIXED])[-1]
    assert isinstance(whole, Completion)
    assert whole.text == "" and [c.name for c in whole.tool_calls] == ["f"]


def test_usage_is_what_the_records_report_else_an_estimate() -> None:
    call = prepare([{"role": "user", "content": "q"}])
    run = CompletionRun(call)
    run.next_prompt()
    usage = {"usage": {"prompt_tokens": 11, "completion_tokens": 5}}
    run.feed(ChatOutput(text="Hello", is_final=True, metadata=usage))
    run.end_attempt()
    reported = run.completion().usage
    assert (reported.prompt_tokens, reported.completion_tokens, reported.estimated) == (
        11,
        5,
        False,
    )
    estimated = _attempts(CompletionRun(call), ["Hello there"])[-1]
    assert isinstance(estimated, Completion)
    assert estimated.usage.estimated and estimated.usage.completion_tokens == 3


def test_adapters_may_pass_attachments_and_tool_errors() -> None:
    from oneminai_webapi.exceptions import InvalidRequestError
    from oneminai_webapi.integrations import ChatAttachment

    image = ChatAttachment("image", data=b"\x89PNG", mime_type="image/png", filename="plot")
    call = prepare(
        [
            {"role": "system", "content": ["Use the chart.", image]},
            {"role": "user", "content": "Plot it"},
            {"role": "assistant", "tool_calls": [{"id": "c1", "function": {"name": "plot"}}]},
            {"role": "tool", "tool_call_id": "c1", "content": ["failed", image], "is_error": True},
        ]
    )
    assert call.attachments == (image,)  # one upload for both places
    assert "Use the chart.\n[image attached: plot.png]" in call.prompt
    assert "[Tool error call_id=c1 tool=plot]\nfailed\n[image attached: plot.png]" in call.prompt
    with pytest.raises(InvalidRequestError, match="is_error must be a boolean"):
        prepare([{"role": "tool", "tool_call_id": "c1", "content": "x", "is_error": "yes"}])
    with pytest.raises(InvalidRequestError, match="must be an object with a type"):
        prepare([{"role": "assistant", "content": [image]}])  # an answer attaches nothing
