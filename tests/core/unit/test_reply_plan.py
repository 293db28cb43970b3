"""Tests for reply interpretation shared by the adapters (``ReplyPlan``, ``ReplyAssembler``)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from oneminai_webapi.tool_calling import (
    ReplyAssembler,
    ReplyOutcome,
    ReplyPlan,
    ToolSpec,
    Turn,
    unwrap_response_format,
)

ADD = ToolSpec(
    "add",
    "Add two integers.",
    {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}},
)
PING = ToolSpec("ping", "Ping.")
TOOLS = (ADD, PING)
PERSON = {"type": "object", "properties": {"name": {"type": "string"}}}


def block(*calls: tuple[str, dict[str, Any]]) -> str:
    payload = {"tool_calls": [{"name": name, "arguments": args} for name, args in calls]}
    return "```tool_calls\n" + json.dumps(payload) + "\n```"


def streamed(plan: ReplyPlan, text: str, size: int) -> tuple[str, ReplyOutcome]:
    """Feed ``text`` in pieces of ``size``; return what was streamed and the outcome."""
    assembler = ReplyAssembler(plan)
    pieces = [assembler.feed(text[i : i + size]) for i in range(0, len(text), size)]
    return "".join(pieces), assembler.finish()


# ------------------------------------------------------------------ building a plan


def test_create_normalizes_choice_format_and_stops() -> None:
    plan = ReplyPlan.create(
        TOOLS,
        {"type": "function", "function": {"name": "ping"}},
        {"type": "json_schema", "json_schema": {"name": "P", "schema": PERSON}},
        stop=["", "END"],
        parallel_tool_calls=False,
    )
    assert plan.tools == TOOLS and plan.tool_choice == "ping"
    assert plan.response_schema == PERSON
    assert plan.stop == ("END",)
    assert not plan.parallel_tool_calls
    assert ReplyPlan.create(TOOLS, True).tool_choice == "required"
    assert ReplyPlan.create(TOOLS, "nope").tool_choice == "required"


@pytest.mark.parametrize(
    ("tools", "choice", "schema", "mode", "active", "required"),
    [
        ((), None, None, "text", False, False),
        ((), "required", None, "text", False, False),  # nothing to call: no requirement
        (TOOLS, "none", None, "text", False, False),
        (TOOLS, "auto", None, "auto", True, False),
        (TOOLS, "any", None, "buffered", True, True),
        (TOOLS, "add", None, "buffered", True, True),
        ((), None, {}, "buffered", False, False),
        (TOOLS, "auto", PERSON, "buffered", True, False),
    ],
)
def test_modes(
    tools: Any, choice: Any, schema: Any, mode: str, active: bool, required: bool
) -> None:
    plan = ReplyPlan.create(tools, choice, schema)
    assert (plan.mode, plan.tools_active, plan.call_required) == (mode, active, required)


def test_render_matches_the_plan() -> None:
    turns = [Turn("user", "2+3?")]
    assert ReplyPlan().render(turns) == "2+3?"  # a lone user message is sent as it is
    forced = ReplyPlan.create(TOOLS, "add").render(turns)
    assert "MUST call the tool `add`" in forced and "### ping" in forced
    assert "### add" not in ReplyPlan.create(TOOLS, "none").render(turns)
    assert "JSON schema" in ReplyPlan.create((), None, PERSON).render(turns)


@pytest.mark.parametrize(
    ("response_format", "schema"),
    [
        (None, None),
        (PERSON, PERSON),
        ({"type": "json_object"}, {}),
        ({"type": "json_object", "schema": PERSON}, PERSON),
        ({"type": "json_schema", "json_schema": {"schema": PERSON}}, PERSON),
        ({"type": "json_schema", "json_schema": {"name": "no schema"}}, {}),
        ({"type": "json_schema"}, {}),
    ],
)
def test_unwrap_response_format(response_format: Any, schema: Any) -> None:
    assert unwrap_response_format(response_format) == schema


# ------------------------------------------------------------------ whole replies


def test_text_mode_keeps_the_reply_verbatim() -> None:
    outcome = ReplyPlan().interpret('  Sure: {"name": "add"}  ')
    assert outcome.content == '  Sure: {"name": "add"}  ' and outcome.tail == outcome.content
    assert outcome.tool_calls == [] and outcome.satisfied and outcome.finish_reason == "stop"


def test_auto_parses_calls_out_of_the_text() -> None:
    outcome = ReplyPlan.create(TOOLS).interpret("Let me add.\n" + block(("add", {"a": "2"})))
    assert outcome.content == "Let me add."
    assert [(c.name, c.arguments) for c in outcome.tool_calls] == [("add", {"a": 2})]
    assert outcome.satisfied and outcome.finish_reason == "tool_calls"


def test_tool_choice_none_ignores_calls() -> None:
    reply = block(("add", {"a": 1}))
    outcome = ReplyPlan.create(TOOLS, "none").interpret(reply)
    assert outcome.tool_calls == [] and outcome.content == reply


def test_required_call_missing_or_present() -> None:
    plan = ReplyPlan.create(TOOLS, "required")
    missing = plan.interpret("I would rather not.")
    assert missing.missing_call and not missing.satisfied and not missing.missing_json
    assert plan.interpret(block(("ping", {}))).satisfied


def test_named_tool_must_be_the_one_called() -> None:
    plan = ReplyPlan.create(TOOLS, "add")
    assert plan.interpret(block(("ping", {}))).missing_call
    assert not plan.interpret(block(("ping", {}), ("add", {"a": 1}))).missing_call


def test_parallel_calls_off_keeps_the_first_valid_call_before_checking() -> None:
    two = block(("ping", {}), ("add", {"a": 1}))
    single = ReplyPlan.create(TOOLS, "add", parallel_tool_calls=False).interpret(two)
    assert [c.name for c in single.tool_calls] == ["ping"]
    assert single.missing_call  # the call of `add` was dropped with the extra calls
    both = ReplyPlan.create(TOOLS, parallel_tool_calls=True).interpret(two)
    assert [c.name for c in both.tool_calls] == ["ping", "add"]


def test_unknown_tool_calls_are_kept_but_do_not_satisfy_a_required_call() -> None:
    # Issue 13: an unknown tool stays a call (agents report "tool not found"), but it is not
    # the call that "required" asked for, so a corrective retry is still due.
    outcome = ReplyPlan.create(TOOLS, "required").interpret(block(("nope", {})))
    assert [c.name for c in outcome.tool_calls] == ["nope"] and outcome.missing_call
    assert outcome.invalid_tool_calls == [] and not outcome.satisfied


def test_unreadable_calls_are_reported_but_do_not_satisfy() -> None:
    outcome = ReplyPlan.create(TOOLS, "required").interpret('```tool_calls\n{"tool_calls": [\n```')
    assert outcome.tool_calls == [] and outcome.missing_call
    [invalid] = outcome.invalid_tool_calls
    assert "could not parse" in invalid.error


def test_json_answer_is_reduced_to_bare_json() -> None:
    plan = ReplyPlan.create((), None, PERSON)
    outcome = plan.interpret('Sure!\n```json\n{"name": "Ada", "note": "é"}\n```\nBye')
    assert outcome.content == '{"name": "Ada", "note": "é"}' and outcome.satisfied
    bad = plan.interpret("No JSON here.")
    assert bad.missing_json and not bad.missing_call and not bad.satisfied
    assert bad.content == "No JSON here."


def test_json_answer_with_tools_keeps_a_call_as_a_call() -> None:
    plan = ReplyPlan.create(TOOLS, "auto", PERSON)
    call = plan.interpret(block(("add", {"a": 1})))
    assert call.tool_calls and call.content == "" and call.satisfied
    answer = plan.interpret('{"name": "Bo"}')
    assert answer.tool_calls == [] and json.loads(answer.content) == {"name": "Bo"}


def test_retry_prompt_asks_for_what_is_missing() -> None:
    tool_fix = ReplyPlan.create(TOOLS, "add").retry_prompt("PROMPT", "Hi there")
    assert tool_fix.startswith("PROMPT\n\n## Correction") and "`add`" in tool_fix
    assert "Hi there" in tool_fix
    json_fix = ReplyPlan.create((), None, {}).retry_prompt("PROMPT", "Hi there")
    assert "not valid JSON" in json_fix and "tool" not in json_fix.split("## Correction")[1]


# ------------------------------------------------------------------ streaming


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 1000])
@pytest.mark.parametrize(
    ("plan", "text"),
    [
        (ReplyPlan(), "Plain text, streamed as it comes."),
        (ReplyPlan.create(TOOLS), "Let me check that for you.\n" + block(("add", {"a": 1}))),
        (ReplyPlan.create(TOOLS), "  Hello [world] and {braces} in prose. "),
        (ReplyPlan.create(TOOLS, "any"), "Sure.\n" + block(("ping", {}))),
        (ReplyPlan.create((), None, PERSON), 'Here: {"name": "Ada"}'),
    ],
)
def test_streamed_text_plus_tail_equals_the_whole_reply(
    plan: ReplyPlan, text: str, size: int
) -> None:
    shown, outcome = streamed(plan, text, size)
    whole = plan.interpret(text)
    assert shown + outcome.tail == outcome.content == whole.content
    assert [c.name for c in outcome.tool_calls] == [c.name for c in whole.tool_calls]
    if plan.mode == "buffered":
        assert shown == ""


def test_auto_mode_streams_prose_but_never_the_call() -> None:
    shown, outcome = streamed(ReplyPlan.create(TOOLS), "Checking.\n" + block(("ping", {})), 4)
    assert shown == "Checking." and outcome.tail == ""
    assert "tool_calls" not in shown and [c.name for c in outcome.tool_calls] == ["ping"]


@pytest.mark.parametrize("size", [1, 2, 3, 4, 7])
def test_stop_sequence_is_never_emitted_even_when_split(size: int) -> None:
    plan = ReplyPlan.create(stop=["STOP!"])
    shown, outcome = streamed(plan, "one two STOP! three", size)
    assert shown + outcome.tail == "one two " == outcome.content
    assert outcome.stopped and outcome.raw_text == "one two "


def test_feed_after_stop_is_ignored() -> None:
    assembler = ReplyAssembler(ReplyPlan.create(stop=["\n"]))
    assert assembler.feed("a\nb") == "a"
    assert assembler.stopped and assembler.feed("more") == ""
    assert assembler.finish().content == "a"


def test_cumulative_text_is_preferred_when_it_extends_the_reply() -> None:
    assembler = ReplyAssembler(ReplyPlan())
    assert assembler.feed("He", cumulative="He") == "He"
    assert assembler.feed("", cumulative="Hello") == "llo"  # a final record with no delta
    assert assembler.feed("!", cumulative="Something else") == "!"  # inconsistent: delta
    assert assembler.finish().content == "Hello!"
