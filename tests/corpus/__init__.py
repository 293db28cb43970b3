"""The corpus of real reply styles (``tests/corpus/tool_replies/*.yaml``) and its loader.

Every YAML file has ``version`` (the corpus format, :data:`CORPUS_VERSION`), ``family`` and
``entries``. An entry is::

    id: unique-id                      # also the pytest id
    style: who writes like this, and how
    user: the user's request (the conversation's last message)
    schema: Person                     # structured-output entries only (see _tools.yaml)
    tool_choice: auto                  # optional; tool entries only
    tools: [multiply]                  # optional: bind only these tools (see below)
    reply: the model's reply, verbatim
    retry: the reply to our corrective prompt (optional; default: the same reply again)
    scale_to: [51200]                  # optional: also run with ${PAD}/${PAD_MD} grown
    stream_text: ...                   # optional: streamed text when it differs (see below)
    react: {calls: [...]}              # optional: what a ReAct agent runs for this reply
    expect:
      calls: [{name, args}]            # tool calls, in order (names as the model meant them)
      text: message text               # default: the reply itself, stripped
      invalid: [{name, error}]         # unreadable calls; error is a substring
      reasoning: leading <think> text  # default ""
      retried: true                    # a corrective retry happens (default false)
      tool_error: true                 # a call fails in the tool (an agent reports it)
      parsed: {...}                    # structured: the object read
      parsing_error: true              # structured: no valid object even after the retry

``stream_text`` exists for one situation: text streamed before an unreadable call, when the
corrective retry then succeeds. A stream cannot take back what it showed, so the streamed
message keeps that text while a non-streamed one holds only the retry's answer.

An entry with ``tools`` binds exactly that one tool with a required or named ``tool_choice``
(the single-tool rules of docs/frameworks/tool-calling.md: a bare JSON object that passes the
tool's schema is its call). Those entries are :data:`SINGLE_TOOL_ENTRIES`, run by the model
calls of every runner (not by the agents, which bind every tool); :data:`TOOL_ENTRIES` holds
the others.

The adapters' corpus tests script a model that answers the first request with ``reply``, a
corrective prompt with ``retry``, and anything after a tool result with :data:`FINAL_ANSWER`.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CORPUS_VERSION = 1
CORPUS_DIR = Path(__file__).parent / "tool_replies"
FINAL_ANSWER = "All done: here is what I found."
REACT_FINAL = "Thought: I can answer without using any more tools.\nAnswer: " + FINAL_ANSWER

_ENTRY_KEYS = frozenset(
    {
        "id",
        "style",
        "user",
        "schema",
        "tool_choice",
        "tools",
        "reply",
        "retry",
        "scale_to",
        "stream_text",
        "react",
        "expect",
    }
)
_EXPECT_KEYS = frozenset(
    {"calls", "text", "invalid", "reasoning", "retried", "tool_error", "parsed", "parsing_error"}
)
_SENTENCES = (
    "Revenue grew four percent over the quarter.",
    "The support queue shrank to under forty open tickets.",
    "Two new engineers joined the platform team on Monday.",
    "Latency on the search service stayed below ninety milliseconds.",
    "We retired the old billing cron job after the migration.",
    "Customer interviews pointed to onboarding as the main pain point.",
    "The design review for the mobile app is scheduled for Thursday.",
)


@dataclass(frozen=True)
class Call:
    """An expected tool call."""

    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Invalid:
    """An expected unreadable call (``error`` is a substring of the reported error)."""

    name: str | None
    error: str


@dataclass(frozen=True)
class Entry:
    """One corpus entry with its expected outcome (see the module docstring)."""

    id: str
    family: str
    style: str
    user: str
    reply: str
    retry: str | None
    tool_choice: str
    tools: tuple[str, ...] | None
    schema: str | None
    calls: tuple[Call, ...]
    text: str
    invalid: tuple[Invalid, ...]
    reasoning: str
    retried: bool
    tool_error: bool
    parsed: dict[str, Any] | None
    parsing_error: bool
    stream_text: str | None
    react_calls: tuple[Call, ...] | None

    @property
    def structured(self) -> bool:
        """Whether this is a structured-output entry."""
        return self.schema is not None

    @property
    def retry_reply(self) -> str:
        """What the model answers to the corrective prompt."""
        return self.retry if self.retry is not None else self.reply

    @property
    def final_text(self) -> str:
        """The text of the last message of an agent run on this entry."""
        return FINAL_ANSWER if self.calls else self.text

    @property
    def large(self) -> bool:
        """Whether the reply is one of the grown (tens of KB) ones."""
        return len(self.reply) > 20_000


def _pad_line(size: int) -> str:
    """Sentences on one line, safe inside a JSON string."""
    out: list[str] = []
    length = 0
    for index in itertools.count(1):
        sentence = f"({index}) {_SENTENCES[index % len(_SENTENCES)]}"
        out.append(sentence)
        length += len(sentence) + (1 if len(out) > 1 else 0)
        if length >= size:
            break
    return " ".join(out)


def _pad_markdown(size: int) -> str:
    """Markdown paragraphs, lists, inline code and Python blocks (nothing call-like)."""
    blocks: list[str] = []
    length = 0
    for index in itertools.count(1):
        kind = index % 4
        sentence = _SENTENCES[index % len(_SENTENCES)]
        if kind == 0:
            block = f"## Section {index}\n\n{sentence} See `report_{index}.md` for details."
        elif kind == 1:
            block = f"- Item {index}: {sentence}\n- [ ] Follow up on item {index}"
        elif kind == 2:
            block = f"```python\nvalues_{index} = [{index}, {index + 1}]\nprint(sum(values_{index}))\n```"
        else:
            block = f"> Note {index}: {sentence}\n\n{sentence} (see [link](https://example.com/{index}))"
        blocks.append(block)
        length += len(block) + (2 if len(blocks) > 1 else 0)
        if length >= size:
            break
    return "\n\n".join(blocks)


def _substitute(value: Any, pads: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key in sorted(pads, key=len, reverse=True):
            value = value.replace("${" + key + "}", pads[key])
        return value
    if isinstance(value, list):
        return [_substitute(item, pads) for item in value]
    if isinstance(value, dict):
        return {key: _substitute(item, pads) for key, item in value.items()}
    return value


def _pads(raw: dict[str, Any], size: int | None) -> dict[str, str]:
    if size is None:
        return {"PAD": _pad_line(60), "PAD_MD": _pad_markdown(200)}
    template = raw["reply"]
    fixed = len(template.replace("${PAD}", "").replace("${PAD_MD}", ""))
    need = max(0, size - fixed)
    return {"PAD": _pad_line(need), "PAD_MD": _pad_markdown(need)}


def _calls(items: Any, where: str) -> tuple[Call, ...]:
    calls = []
    for item in items or []:
        assert set(item) == {"name", "args"}, f"{where}: a call has name and args"
        calls.append(Call(item["name"], dict(item["args"])))
    return tuple(calls)


def _build(raw: dict[str, Any], family: str, entry_id: str) -> Entry:
    expect = raw.get("expect") or {}
    where = f"{family}/{entry_id}"
    assert set(raw) <= _ENTRY_KEYS, f"{where}: unknown keys {set(raw) - _ENTRY_KEYS}"
    assert set(expect) <= _EXPECT_KEYS, f"{where}: unknown expect keys"
    reply = raw["reply"]
    calls = _calls(expect.get("calls"), where)
    invalid = tuple(Invalid(i.get("name"), i["error"]) for i in expect.get("invalid") or [])
    schema = raw.get("schema")
    if schema is None:
        assert "calls" in expect, f"{where}: tool entries state their calls"
    else:
        assert ("parsed" in expect) != bool(expect.get("parsing_error")), where
    if "text" in expect:
        text = expect["text"]
    elif schema is not None:
        text = ""  # structured entries are checked by the object they yield
    else:
        assert not calls and not invalid and not reply.lstrip().startswith("<"), (
            f"{where}: give the expected text explicitly"
        )
        text = reply.strip()
    react = raw.get("react")
    tools = raw.get("tools")
    if tools is not None:
        assert schema is None and len(tools) == 1, f"{where}: tools binds exactly one tool"
        assert raw.get("tool_choice") in ("required", tools[0]), f"{where}: a call is required"
    return Entry(
        id=entry_id,
        family=family,
        style=raw["style"],
        user=raw["user"],
        reply=reply,
        retry=raw.get("retry"),
        tool_choice=raw.get("tool_choice", "auto"),
        tools=tuple(tools) if tools is not None else None,
        schema=schema,
        calls=calls,
        text=text,
        invalid=invalid,
        reasoning=expect.get("reasoning", ""),
        retried=bool(expect.get("retried", False)),
        tool_error=bool(expect.get("tool_error", False)),
        parsed=expect.get("parsed"),
        parsing_error=bool(expect.get("parsing_error", False)),
        stream_text=raw.get("stream_text"),
        react_calls=_calls(react.get("calls"), where) if react else None,
    )


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data.get("version") == CORPUS_VERSION, f"{path.name}: corpus version"
    return data


def load_entries() -> list[Entry]:
    """Every entry of the corpus, large variants included, in file order."""
    entries: list[Entry] = []
    for path in sorted(CORPUS_DIR.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        data = _read(path)
        family = data["family"]
        for raw in data["entries"]:
            sizes: list[int | None] = [None, *raw.get("scale_to", [])]
            for size in sizes:
                filled = _substitute(copy.deepcopy(raw), _pads(raw, size))
                entry_id = raw["id"] if size is None else f"{raw['id']}@{size}"
                entries.append(_build(filled, family, entry_id))
    ids = [entry.id for entry in entries]
    assert len(ids) == len(set(ids)), "corpus ids must be unique"
    return entries


def load_tools() -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The tools (OpenAI format) and the structured-output schemas of the corpus."""
    data = _read(CORPUS_DIR / "_tools.yaml")
    tools = [{"type": "function", "function": tool} for tool in data["tools"]]
    return tools, dict(data["schemas"])


ENTRIES = load_entries()
TOOL_ENTRIES = [entry for entry in ENTRIES if not entry.structured and entry.tools is None]
SINGLE_TOOL_ENTRIES = [entry for entry in ENTRIES if entry.tools is not None]
STRUCTURED_ENTRIES = [entry for entry in ENTRIES if entry.structured]
TOOLS, SCHEMAS = load_tools()


def params(entries: list[Entry]) -> list[Any]:
    """``pytest.param`` objects with the entry ids."""
    import pytest

    return [pytest.param(entry, id=entry.id) for entry in entries]


def alternating(entries: list[Entry], modes: tuple[str, str]) -> list[Any]:
    """``(entry, mode)`` params: each entry runs once, the two modes taking turns.

    Agents cost far more per run than a model call, so each entry runs through an agent once,
    streaming or not; both modes still see about half of every family.
    """
    import pytest

    return [
        pytest.param(entry, modes[index % 2], id=f"{entry.id}-{modes[index % 2]}")
        for index, entry in enumerate(entries)
    ]
