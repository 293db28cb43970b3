"""The core tool-calling module against the corpus of real reply styles (tests/corpus)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from corpus import (
    ENTRIES,
    SCHEMAS,
    SINGLE_TOOL_ENTRIES,
    STRUCTURED_ENTRIES,
    TOOL_ENTRIES,
    TOOLS,
    Entry,
    params,
)
from corpus.scripted import pieces
from oneminai_webapi.tool_calling import (
    ReplyAssembler,
    ReplyOutcome,
    ReplyPlan,
    ToolSpec,
    parse_reply,
    schema_errors,
    stream_safe_prefix,
)

SPECS = [ToolSpec.from_openai(tool) for tool in TOOLS]


def run(plan: ReplyPlan, entry: Entry) -> tuple[ReplyOutcome, bool]:
    """Interpret the reply; on an unsatisfied outcome, interpret the retry (one retry)."""
    outcome = plan.interpret(entry.reply)
    if outcome.satisfied:
        return outcome, False
    return plan.interpret(entry.retry_reply), True


def check_tool_outcome(outcome: ReplyOutcome, entry: Entry) -> None:
    assert [(c.name, c.arguments) for c in outcome.tool_calls] == [
        (c.name, c.args) for c in entry.calls
    ]
    assert len(outcome.invalid_tool_calls) == len(entry.invalid), outcome.invalid_tool_calls
    for bad, expected in zip(outcome.invalid_tool_calls, entry.invalid, strict=True):
        assert bad.name == expected.name and expected.error in bad.error, bad
    assert outcome.content == entry.text
    assert outcome.reasoning == entry.reasoning
    assert len({c.id for c in outcome.tool_calls}) == len(outcome.tool_calls)


# ------------------------------------------------------------------------- the corpus itself


def test_corpus_covers_the_styles_the_issue_lists() -> None:
    families = {entry.family for entry in ENTRIES}
    assert families >= {
        "openai", "anthropic", "google", "meta", "mistral", "qwen", "deepseek",
        "answers", "malformed", "large", "structured",
    }  # fmt: skip
    replies = [entry.reply for entry in ENTRIES]
    for marker in (
        "```tool_calls", "```json", '"function":', "<tool_call>", "<|python_tag|>",
        "[TOOL_CALLS]", "<think>", "<function_calls>", "```tool_code",
    ):  # fmt: skip
        assert any(marker in reply for reply in replies), marker
    assert any(len(e.calls) == 2 for e in TOOL_ENTRIES)
    assert any(e.tool_error for e in TOOL_ENTRIES)  # wrong types, missing args, unknown tools
    assert any(e.invalid for e in TOOL_ENTRIES) and any(e.retried for e in TOOL_ENTRIES)
    assert sum(1 for e in ENTRIES if len(e.reply.encode()) >= 50 * 1024) >= 5
    assert sum(1 for e in TOOL_ENTRIES if not e.calls and not e.invalid) >= 20
    assert all(e.schema in SCHEMAS for e in STRUCTURED_ENTRIES)


# ------------------------------------------------------------------------- tool replies


@pytest.mark.parametrize("entry", params(TOOL_ENTRIES))
def test_plan_reads_every_reply_as_expected(entry: Entry) -> None:
    plan = ReplyPlan.create(SPECS, entry.tool_choice)
    outcome, retried = run(plan, entry)
    assert retried == entry.retried
    check_tool_outcome(outcome, entry)


@pytest.mark.parametrize("entry", params(TOOL_ENTRIES))
def test_parse_reply_agrees_with_the_plan(entry: Entry) -> None:
    parsed = parse_reply(entry.reply, SPECS)
    assert parsed.reasoning == entry.reasoning
    if entry.retried:
        # the first reply holds only unreadable calls: that is why a retry happens
        assert parsed.tool_calls == [] and parsed.invalid_tool_calls
    else:
        assert [(c.name, c.arguments) for c in parsed.tool_calls] == [
            (c.name, c.args) for c in entry.calls
        ]
        if entry.calls or not entry.invalid:
            assert parsed.text == entry.text


@pytest.mark.parametrize("entry", params(TOOL_ENTRIES))
def test_streaming_gives_the_same_message_and_shows_answers_early(entry: Entry) -> None:
    plan = ReplyPlan.create(SPECS, entry.tool_choice)
    assembler = ReplyAssembler(plan)
    text = reasoning = ""
    chunks = pieces(entry.reply)
    for number, piece in enumerate(chunks):
        delta = assembler.step(piece)
        text += delta.text
        reasoning += delta.reasoning
        if number % 97 == 0 or number == len(chunks) - 1:
            # the public one-shot function agrees with the incremental assembler
            assert stream_safe_prefix(assembler.raw, SPECS).startswith(text)
    outcome = assembler.finish()
    whole = plan.interpret(entry.reply)
    assert outcome.content == whole.content and text + outcome.tail == outcome.content
    assert reasoning + outcome.reasoning_tail == outcome.reasoning == whole.reasoning
    assert [(c.name, c.arguments) for c in outcome.tool_calls] == [
        (c.name, c.arguments) for c in whole.tool_calls
    ]
    answer_first = entry.text[:1].isalpha() or entry.text[:1] in "#*|"
    if answer_first and entry.reply.lstrip()[:1] not in "<[{`":
        assert text, "prose at the start of a reply streams before the reply ends"
    if entry.large and not entry.calls and not entry.invalid:
        assert len(text) > 0.95 * len(outcome.content), "a long answer streams as it arrives"
    for call in outcome.tool_calls:  # no call JSON was ever shown
        assert json.dumps(call.arguments)[:40] not in text


def test_parallel_calls_off_keeps_the_first_call() -> None:
    entry = next(e for e in TOOL_ENTRIES if e.id == "gpt4o-two-calls-one-block")
    plan = ReplyPlan.create(SPECS, "auto", parallel_tool_calls=False)
    outcome = plan.interpret(entry.reply)
    assert [(c.name, c.arguments) for c in outcome.tool_calls] == [
        (entry.calls[0].name, entry.calls[0].args)
    ]
    assert "at most one tool" in plan.render([])


# ------------------------------------------------------------------------- one tool bound


def single_tool_plan(entry: Entry) -> ReplyPlan:
    assert entry.tools is not None
    return ReplyPlan.create([s for s in SPECS if s.name in entry.tools], entry.tool_choice)


def test_single_tool_entries_cover_required_named_and_invalid_bare_json() -> None:
    choices = {e.tool_choice for e in SINGLE_TOOL_ENTRIES}
    assert "required" in choices and choices - {"required"}  # a named tool too
    assert any(e.calls and not e.retried for e in SINGLE_TOOL_ENTRIES)
    assert any(not e.calls and e.retried for e in SINGLE_TOOL_ENTRIES)


@pytest.mark.parametrize("entry", params(SINGLE_TOOL_ENTRIES))
def test_a_single_required_tool_reads_bare_json_by_its_schema(entry: Entry) -> None:
    plan = single_tool_plan(entry)
    outcome, retried = run(plan, entry)
    assert retried == entry.retried
    check_tool_outcome(outcome, entry)
    assert outcome.satisfied == bool(entry.calls)
    # with every tool offered and nothing required, the same JSON is an answer, not a call
    assert ReplyPlan.create(SPECS, "auto").interpret(entry.reply).tool_calls == []


@pytest.mark.parametrize("entry", params(SINGLE_TOOL_ENTRIES))
def test_a_single_required_tool_streams_the_same_outcome(entry: Entry) -> None:
    plan = single_tool_plan(entry)
    assembler = ReplyAssembler(plan)
    text = "".join(assembler.step(piece).text for piece in pieces(entry.reply))
    outcome = assembler.finish()
    whole = plan.interpret(entry.reply)
    assert text == ""  # a required call buffers the reply, so a retry stays invisible
    assert outcome.content == whole.content
    assert [(c.name, c.arguments) for c in outcome.tool_calls] == [
        (c.name, c.arguments) for c in whole.tool_calls
    ]


# ------------------------------------------------------------------------- structured output


def structured_plans(entry: Entry) -> dict[str, ReplyPlan]:
    assert entry.schema is not None
    schema = SCHEMAS[entry.schema]
    spec = ToolSpec(entry.schema, schema.get("description", ""), schema)
    return {
        "forced tool": ReplyPlan.create([spec], entry.schema),
        "required single tool": ReplyPlan.create([spec], "required"),
        "json_schema": ReplyPlan.create(
            (),
            None,
            {"type": "json_schema", "json_schema": {"name": entry.schema, "schema": schema}},
        ),
        "json_object": ReplyPlan.create((), None, {"type": "json_object", "schema": schema}),
    }


def read_object(plan: ReplyPlan, outcome: ReplyOutcome) -> Any:
    if plan.tools:
        return outcome.tool_calls[0].arguments if outcome.tool_calls else None
    try:
        return json.loads(outcome.content)
    except ValueError:
        return None


@pytest.mark.parametrize("entry", params(STRUCTURED_ENTRIES))
def test_structured_replies_in_every_mode(entry: Entry) -> None:
    assert entry.schema is not None
    schema = SCHEMAS[entry.schema]
    for mode, plan in structured_plans(entry).items():
        outcome, retried = run(plan, entry)
        assert retried == entry.retried, mode
        assert outcome.reasoning == entry.reasoning, mode
        value = read_object(plan, outcome)
        if entry.parsing_error:
            assert not outcome.satisfied, mode
            assert value is None or schema_errors(value, schema), mode
        else:
            assert outcome.satisfied, mode
            assert value == entry.parsed, mode


def test_every_entry_is_checked_somewhere() -> None:
    assert len(TOOL_ENTRIES) + len(SINGLE_TOOL_ENTRIES) + len(STRUCTURED_ENTRIES) == len(ENTRIES)
