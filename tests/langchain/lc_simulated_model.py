"""A deterministic, protocol-following stand-in for an LLM, served by the 1min.AI emulator.

The emulator echoes prompts by default, which cannot exercise tool calling or structured
output end to end. This "simulated model" reads the prompt that ``ChatOneMinAI`` rendered
(the tool catalogue, the tool-choice rule, the answer-format schema and the transcript) and
answers the way a cooperative model would:

* a required call (``MUST call``) → a ``tool_calls`` block for the named tool (or the tool
  that best matches the user's words, else the first one);
* ``auto`` → a call when a tool's name appears in the user's request and no tool result came
  back yet; otherwise a plain answer;
* an answer format → bare JSON built from the schema;
* arguments are filled from the user's words: numbers for numeric fields, quoted phrases (else
  the whole request) for strings.

It only knows the prompt protocol, not the tests, so a test passing against it proves the
plumbing (rendering, HTTP, streaming, parsing, coercion, retries), not model quality.
"""

from __future__ import annotations

import json
import re
from typing import Any

_SECTION_RE = re.compile(r"^## ", re.M)
_SCHEMA_LINE_RE = re.compile(r"^Arguments schema: (.+)$", re.M)
_TURN_RE = re.compile(r"^\[(User|Assistant|Tool result|Tool error)[^\]\n]*\]\n", re.M)
_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?")
_QUOTED_RE = re.compile(r"'([^']+)'|\"([^\"]+)\"|“([^”]+)”")
_STOPWORDS = frozenset({"get", "my", "tool", "function", "the", "a", "fn", "do"})


def respond(prompt: str) -> str:
    """Answer a rendered ChatOneMinAI prompt like a cooperative model would."""
    sections = _sections(prompt)
    user_text, last_kind, last_content = _transcript(sections.get("Conversation so far"), prompt)
    tools = _tools(sections.get("Tools", ""))
    rules = sections.get("How to call tools", "") + sections.get("Correction", "")
    schema = _answer_schema(sections.get("Answer format"))

    if tools:
        named = re.search(r"MUST call the tool `([^`]+)`", rules) or re.search(
            r"requires calling the tool `([^`]+)`", rules
        )
        required = "MUST call at least one tool" in rules or "requires calling" in rules
        target: str | None = None
        if named:
            target = named.group(1)
        elif required:
            target = _best_tool(tools, user_text) or next(iter(tools))
        elif last_kind not in ("Tool result", "Tool error"):
            target = _best_tool(tools, user_text)
        if target in tools:
            arguments = _fill(tools[target], _Words(user_text))
            payload = {"tool_calls": [{"name": target, "arguments": arguments}]}
            return "```tool_calls\n" + json.dumps(payload, ensure_ascii=False) + "\n```"
    if schema is not None:
        return json.dumps(_fill(schema, _Words(user_text)), ensure_ascii=False)
    if last_kind in ("Tool result", "Tool error"):
        return f"Based on the tool result: {last_content.strip()}"
    return f"Simulated answer to: {user_text.strip()}"


class _Words:
    """Values taken from the user's request, handed out in order."""

    def __init__(self, text: str) -> None:
        self.text = text.strip() or "hello"
        self.numbers = [float(n) if "." in n else int(n) for n in _NUMBER_RE.findall(text)]
        self.quoted = [next(g for g in m.groups() if g) for m in _QUOTED_RE.finditer(text)]

    def number(self) -> int | float:
        return self.numbers.pop(0) if self.numbers else 1

    def string(self) -> str:
        return self.quoted.pop(0) if self.quoted else self.text


def _fill(schema: dict[str, Any], words: _Words) -> Any:
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            options = [o for o in schema[key] if o.get("type") != "null"]
            return _fill(options[0], words) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: _fill(sub, words) for name, sub in props.items()}
    if kind == "integer":
        return int(words.number())
    if kind == "number":
        return words.number()
    if kind == "boolean":
        return True
    if kind == "array":
        return [_fill(schema.get("items", {"type": "string"}), words)]
    return words.string()


def _sections(prompt: str) -> dict[str, str]:
    if not prompt.startswith("## ") and "\n## " not in prompt:
        return {}
    result: dict[str, str] = {}
    for part in _SECTION_RE.split(prompt):
        if part.strip():
            title, _, body = part.partition("\n")
            result[title.strip()] = body
    return result


def _transcript(conversation: str | None, prompt: str) -> tuple[str, str, str]:
    """Return (last user text, kind of the last turn, content of the last turn)."""
    if conversation is None:
        return prompt, "User", prompt
    turns: list[tuple[str, str]] = []
    matches = list(_TURN_RE.finditer(conversation))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(conversation)
        turns.append((match.group(1), conversation[match.end() : end]))
    user = next((content for kind, content in reversed(turns) if kind == "User"), "")
    last_kind, last_content = turns[-1] if turns else ("User", "")
    return user, last_kind, last_content


def _tools(section: str) -> dict[str, dict[str, Any]]:
    tools: dict[str, dict[str, Any]] = {}
    for entry in ("\n" + section).split("\n### ")[1:]:
        name = entry.split("\n", 1)[0].strip()
        schema = _SCHEMA_LINE_RE.search(entry)
        if name and schema:
            tools[name] = json.loads(schema.group(1))
    return tools


def _best_tool(tools: dict[str, dict[str, Any]], text: str) -> str | None:
    lowered = text.lower()
    for name in tools:
        if name.lower() in lowered:
            return name
    for name in tools:
        words = [w for w in name.lower().split("_") if w and w not in _STOPWORDS]
        if any(w in lowered for w in words):
            return name
    return None


def _answer_schema(section: str | None) -> dict[str, Any] | None:
    if section is None:
        return None
    match = re.search(r"matches this JSON schema:\n(.+)$", section, re.M)
    return json.loads(match.group(1)) if match else {"type": "object", "properties": {}}
