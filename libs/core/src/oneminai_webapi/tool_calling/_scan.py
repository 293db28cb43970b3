"""Finding the regions of a reply that hold tool calls.

The recognition rules (also in ``docs/frameworks/tool-calling.md``):

* A reply that *as a whole* is a call: JSON (one value, JSON lines, or a list), the same
  wrapped in one pair of backticks, or a Python-style list of calls of offered tools.
* Fenced code blocks at the start of a line whose language is empty, ``json`` or a tool
  language (``tool_calls``, ``tool_code`` …); a fence in a tool language also counts when it
  opens after text on the same line. Blocks in other languages are code, never calls.
* Explicit call markers: ``<tool_call>``, ``<tool_calls>``, ``<function_call>``,
  ``<function_calls>`` (JSON or ``<invoke>`` XML), ``<function=name>``,
  ``<|python_tag|>``, ``[TOOL_CALLS]`` and DeepSeek's ``<｜tool▁calls▁begin｜>``.
* Never: JSON inside a sentence, inline code (`` `…` ``), block quotes (``>`` lines), and
  code blocks in other languages.

The same :class:`Scanner` serves complete replies and streams: for a partial reply it tells
how much text can already be shown, deciding nothing that more text could change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ._shapes import (
    RawCall,
    calls_from_deepseek,
    calls_from_invoke_xml,
    calls_from_json_text,
    calls_from_mistral,
    calls_from_pythonic,
    calls_from_pythonic_or_json,
)
from ._types import ToolSpec

#: Fence languages that announce a tool call; anything in them is a call or an invalid call.
TOOL_LANGS = frozenset(
    {
        "tool_calls",
        "tool_call",
        "toolcalls",
        "toolcall",
        "tool",
        "tools",
        "tool_code",
        "tool_use",
        "function_call",
        "function_calls",
        "functions",
    }
)
#: Fence languages whose content is a call when it has a call's shape.
JSON_LANGS = frozenset({"", "json", "json5", "jsonc"})
_CALL_LANGS = TOOL_LANGS | JSON_LANGS

#: Tokens some models end a reply with; a whole-reply call may be followed by them.
_END_TOKENS = ("<|eot_id|>", "<|eom_id|>", "<|im_end|>", "<|end|>", "<|endoftext|>", "</s>")
_INLINE_RE = re.compile(r"`+|<|\[")
_FENCE_OPEN_RE = re.compile(r"(`{3,}|~{3,})")
_INVOKE_START_RE = re.compile(r"\s*<(?:\w+:)?invoke\b")
_FUNCTION_TAG_RE = re.compile(r"<function=([A-Za-z_][\w.\-]*)>")
_IDENTIFIER_RE = re.compile(r"[A-Za-z_][\w.]*")
_WORD_RE = re.compile(r"[A-Za-z_]*")
_LEADING_SPACE_RE = re.compile(r"\s*")


@dataclass
class Span:
    """A region of the answer that holds tool calls (removed from the answer text).

    Attributes:
        start: Offset of the region in the answer.
        end: Offset after the region.
        calls: The calls found in it, not validated yet.
    """

    start: int
    end: int
    calls: list[RawCall] = field(default_factory=list)


@dataclass(frozen=True)
class _Marker:
    opening: str
    closing: tuple[str, ...]  # empty: the region runs to the end of the reply
    body: str  # "json", "calls" (json or xml), "function", "python", "mistral", "deepseek"


_MARKERS = (
    _Marker("<tool_call>", ("</tool_call>",), "json"),
    _Marker("<tool_calls>", ("</tool_calls>",), "json"),
    _Marker("<function_call>", ("</function_call>",), "json"),
    _Marker("<function_calls>", ("</function_calls>",), "calls"),
    _Marker("<function=", ("</function>",), "function"),
    _Marker("<|python_tag|>", ("<|eom_id|>", "<|eot_id|>"), "python"),
    _Marker("[TOOL_CALLS]", ("</s>",), "mistral"),
    _Marker("<｜tool▁calls▁begin｜>", ("<｜tool▁calls▁end｜>",), "deepseek"),
)

#: Sentinel results of :meth:`Scanner._region`.
_UNDECIDED = -1


class Scanner:
    """Finds call regions in an answer (the reply without its leading reasoning).

    Args:
        tools: The offered tools, by name.
        conservative: Treat every ``json``/unlabelled fence as a possible call (used when the
            tools are not known, so that a stream never shows what could be a call).
    """

    def __init__(self, tools: Mapping[str, ToolSpec], *, conservative: bool = False) -> None:
        self.tools = tools
        self.conservative = conservative
        self.spans: list[Span] = []
        self._pos = 0
        self._at_line_start = True
        self._code_fence: tuple[str, int] | None = None
        self._started = False
        self._hold_at = 0
        # Where to resume searching, so that a growing reply is not searched from scratch:
        # fence/tag start -> search offset; -(line start) - 1 -> inline scan offset.
        self._resume: dict[int, int] = {}

    # ------------------------------------------------------------------ entry points

    def safe_end(self, text: str) -> int:
        """For a partial answer, the offset up to which text cannot belong to a call.

        Call it with successive, growing versions of the same answer.
        """
        if self.spans:
            return self.spans[0].start
        return self._advance(text, final=False, first_only=True)

    def scan(self, text: str) -> list[Span]:
        """Find every call region of a complete answer."""
        self._advance(text, final=True, first_only=False)
        return self.spans

    # ------------------------------------------------------------------ the scan

    def _advance(self, text: str, *, final: bool, first_only: bool) -> int:
        size = len(text)
        if not self._started:
            held = self._whole_reply(text, final)
            if held is not None:
                return held
        while self._pos < size:
            start = self._pos
            newline = text.find("\n", start)
            complete = newline != -1 or final
            line_end = newline if newline != -1 else size
            next_pos = newline + 1 if newline != -1 else size
            if self._at_line_start:
                result = self._line_start(text, start, line_end, next_pos, complete, final)
                if result == "hold":
                    return start
                if result == "show":
                    return size
                if result == "next":
                    continue
                if isinstance(result, Span):
                    self.spans.append(result)
                    if first_only:
                        return result.start
                    self._move(text, result.end)
                    continue
            found = self._inline(text, start, line_end, final)
            if found is None:
                if not complete:
                    return size
                self._pos, self._at_line_start = next_pos, True
                continue
            if found == _UNDECIDED:
                return self._hold_at
            assert isinstance(found, Span)
            self.spans.append(found)
            if first_only:
                return found.start
            self._move(text, found.end)
        return size

    def _move(self, text: str, position: int) -> None:
        self._pos = position
        self._at_line_start = position == 0 or text[position - 1] == "\n"

    def _whole_reply(self, text: str, final: bool) -> int | None:
        """Handle a reply that may be a call as a whole; ``None`` to go on scanning lines."""
        lead = _LEADING_SPACE_RE.match(text).end()  # type: ignore[union-attr]
        if lead == len(text):
            return None if final else lead
        head = text[lead : lead + 64]
        if _marker_at(head, 0) is not None:
            self._started = True
            return None  # an explicit marker: the line scan handles it
        if not final and _marker_prefix(text, lead):
            return lead
        kind = _whole_reply_kind(head)
        if kind in ("undecided", "candidate") and not final:
            return lead
        self._started = True
        if kind != "no":
            span = self._whole_reply_span(text, lead)
            if span is not None:
                self.spans.append(span)
                self._pos = len(text)
                return lead
        return None

    def _whole_reply_span(self, text: str, lead: int) -> Span | None:
        body = text[lead:].rstrip()
        changed = True
        while changed:
            changed = False
            for token in _END_TOKENS:
                if body.endswith(token):
                    body, changed = body[: -len(token)].rstrip(), True
        if body.startswith("`") and body.endswith("`") and body.count("`") == 2:
            body = body[1:-1].strip()
        calls = calls_from_json_text(body, self.tools, explicit=False)
        if calls is None and body.startswith("["):
            pythonic = calls_from_pythonic(body, self.tools)
            if pythonic is not None and all(_known(c.name, self.tools) for c in pythonic):
                calls = pythonic
        return Span(lead, len(text), calls) if calls else None

    # ------------------------------------------------------------------ line starts

    def _line_start(
        self, text: str, start: int, line_end: int, next_pos: int, complete: bool, final: bool
    ) -> str | Span | None:
        """Handle fences and quotes; return ``hold``, ``show``, ``next``, a span or ``None``."""
        line = text[start:line_end]
        if self._code_fence is not None:
            if not complete:
                return "show"  # code: shown as it arrives
            if _closes(line, self._code_fence):
                self._code_fence = None
            self._pos = next_pos
            return "next"
        indent = len(line) - len(line.lstrip(" "))
        rest = line[indent:]
        if indent > 3:
            return None
        if rest.startswith(">"):
            if not complete:
                return "show"
            self._pos = next_pos
            return "next"
        opener = _FENCE_OPEN_RE.match(rest)
        if opener is not None:
            return self._fence(text, start, indent, opener.group(1), line_end, complete, final)
        if not complete and rest and rest[0] in "`~" and rest == rest[0] * len(rest):
            return "hold"  # "`" or "``": perhaps a fence is starting
        return None

    def _fence(
        self,
        text: str,
        start: int,
        indent: int,
        opener: str,
        line_end: int,
        complete: bool,
        final: bool,
    ) -> str | Span | None:
        info_start = start + indent + len(opener)
        after = text[info_start:line_end]
        if opener[0] == "`" and opener in after:  # a one-line fence: ```{"name": ...}```
            inner = after[: after.index(opener)]
            if inner.lstrip()[:1] in ("{", "["):
                calls = self._decode_fence(inner, "")
                if calls is not None:
                    return Span(start, info_start + after.index(opener) + len(opener), calls)
            return None
        info = after.strip()
        word = info.split(maxsplit=1)[0] if info else ""
        lang = word.lower()
        if not complete:
            if not lang or info[0] in "{[" or any(c.startswith(lang) for c in _CALL_LANGS if c):
                return "hold"
            self._code_fence = (opener[0], len(opener))
            return "show"
        if lang not in _CALL_LANGS:
            self._code_fence = (opener[0], len(opener))
            self._pos = min(line_end + 1, len(text))
            return "next"
        body_start = info_start + (after.index(word) + len(word) if word else 0)
        close = self._find_close(text, start, line_end + 1, opener, final)
        if close is None:
            if not final:
                return "hold"
            body, end = text[body_start:], len(text)
        else:
            body, end = text[body_start : close[0]], close[1]
        calls = self._decode_fence(body, lang)
        if calls is None:
            self._pos = min(end + 1, len(text))
            return "next"
        return Span(start, end, calls)

    def _find_close(
        self, text: str, fence_start: int, search_from: int, opener: str, final: bool
    ) -> tuple[int, int] | None:
        """Find the line closing a fence: ``(line start, line end)``, or ``None``.

        Complete lines already searched in an earlier call are not searched again.
        """
        position = max(search_from, self._resume.get(fence_start, 0))
        fence = (opener[0], len(opener))
        while position < len(text):
            newline = text.find("\n", position)
            if newline == -1:
                self._resume[fence_start] = position
                if final and _closes(text[position:], fence):
                    return position, len(text)
                return None
            if _closes(text[position:newline], fence):
                return position, newline
            position = newline + 1
        self._resume[fence_start] = position
        return None

    def _decode_fence(self, body: str, lang: str) -> list[RawCall] | None:
        if lang in TOOL_LANGS:
            return calls_from_pythonic_or_json(body, self.tools)
        calls = calls_from_json_text(body, self.tools, explicit=False)
        if calls is None and not lang and body.strip().startswith("["):
            pythonic = calls_from_pythonic(body, self.tools)
            if pythonic is not None and all(_known(c.name, self.tools) for c in pythonic):
                calls = pythonic
        if calls is None and self.conservative:
            return [RawCall(None, None, body, "possible call")]
        return calls

    # ------------------------------------------------------------------ within a line

    def _inline(self, text: str, start: int, line_end: int, final: bool) -> Span | int | None:
        """Look for call markers in ``text[start:line_end]`` outside inline code.

        Returns a span, :data:`_UNDECIDED` (then :attr:`_hold_at` is set) or ``None``.
        """
        index = max(start, self._resume.get(-start - 1, start))
        settled = True  # whether everything before ``index`` is final
        while True:
            match = _INLINE_RE.search(text, index, line_end)
            if match is None:
                break
            token = match.group()
            if not final and match.end() == len(text) and token[0] == "`":
                self._hold_at = match.start()  # a run that may still grow into a fence
                return _UNDECIDED
            if len(token) >= 3:  # "Sure. ```tool_calls": a tool fence opened mid-line
                fence = self._inline_fence(text, match.start(), match.end(), final)
                if fence == _UNDECIDED:
                    self._hold_at = match.start()
                    return _UNDECIDED
                if isinstance(fence, Span):
                    return fence
            if token[0] == "`":
                close = _find_run(text, len(token), match.end(), line_end, final)
                if close == -1 or (not final and match.end() == len(text)):
                    if settled:
                        self._resume[-start - 1] = match.start()
                        settled = False
                    index = match.end()
                else:
                    index = close + len(token)
                continue
            position = match.start()
            marker = _marker_at(text, position)
            if marker is None:
                if not final and _marker_prefix(text, position):
                    self._hold_at = position
                    return _UNDECIDED
                index = position + 1
                continue
            region = self._region(text, position, marker, final)
            if region == _UNDECIDED:
                self._hold_at = position
                return _UNDECIDED
            if region is None:
                index = position + len(marker.opening)
                continue
            return region
        if settled and not final:
            self._resume[-start - 1] = max(start, line_end - 1)
        return None

    def _inline_fence(
        self, text: str, start: int, after_run: int, final: bool
    ) -> Span | int | None:
        """A fence in a tool language opened after text on the same line, or ``None``."""
        word = _WORD_RE.match(text, after_run)
        assert word is not None  # the pattern also matches the empty string
        lang = word.group().lower()
        if word.end() == len(text) and not final:
            if any(tool_lang.startswith(lang) for tool_lang in TOOL_LANGS):
                return _UNDECIDED
            return None
        if lang not in TOOL_LANGS or (word.end() < len(text) and not text[word.end()].isspace()):
            return None
        close = text.find("```", word.end())
        if close == -1:
            if not final:
                return _UNDECIDED
            body, end = text[word.end() :], len(text)
        else:
            end = close
            while end < len(text) and text[end] == "`":
                end += 1
            body = text[word.end() : close]
        return Span(start, end, calls_from_pythonic_or_json(body, self.tools))

    def _region(self, text: str, position: int, marker: _Marker, final: bool) -> Span | int | None:
        """The span of an explicit call region; ``None`` if it is only a mention."""
        body_start = position + len(marker.opening)
        name = ""
        if marker.body == "function":
            tag = _FUNCTION_TAG_RE.match(text, position)
            if tag is None:
                return None if final or ">" in text[position : position + 80] else _UNDECIDED
            name, body_start = tag.group(1), tag.end()
        if marker.body in ("json", "calls", "function"):
            head = text[body_start : body_start + 40].lstrip()
            if not head:
                return None if final else _UNDECIDED
            starts_json = head[0] in "{["
            starts_xml = marker.body == "calls" and _INVOKE_START_RE.match(text, body_start)
            if not (starts_json or starts_xml):
                if not final and head[0] == "<" and "<invoke".startswith(head[:7]):
                    return _UNDECIDED
                return None
        search_from = max(body_start, self._resume.get(position, body_start))
        close_at, close_len = _find_first(text, marker.closing, search_from)
        if close_at == -1:
            if not final:
                longest = max((len(c) for c in marker.closing), default=0)
                self._resume[position] = max(body_start, len(text) - longest)
                return _UNDECIDED
            close_at, close_len = _json_end(text, body_start, marker), 0
        body = text[body_start:close_at]
        return Span(position, close_at + close_len, self._decode_region(body, marker, name))

    def _decode_region(self, body: str, marker: _Marker, name: str) -> list[RawCall]:
        decoders: dict[str, Callable[[], list[RawCall] | None]] = {
            "json": lambda: calls_from_pythonic_or_json(body, self.tools),
            "calls": lambda: (
                calls_from_invoke_xml(body) or calls_from_pythonic_or_json(body, self.tools)
            ),
            "function": lambda: [RawCall(name, body.strip() or "{}", f"<function={name}>{body}")],
            "python": lambda: calls_from_pythonic_or_json(body, self.tools),
            "mistral": lambda: calls_from_mistral(body, self.tools),
            "deepseek": lambda: calls_from_deepseek(body),
        }
        return decoders[marker.body]() or []


# ---------------------------------------------------------------------- helpers


def _whole_reply_kind(head: str) -> str:
    """``candidate``, ``undecided`` (need more text) or ``no`` for a reply's first chars."""
    first = head[0]
    if first == "`":
        if head.startswith("``"):
            return "no"
        if len(head) == 1:
            return "undecided"
        return "candidate" if head[1] in "{[" else "no"
    if first == "{":
        rest = head[1:].lstrip()
        if not rest:
            return "undecided"
        return "candidate" if rest[0] in "\"'}" else "no"
    if first == "[":
        rest = head[1:].lstrip()
        if not rest:
            return "undecided"
        if rest[0] in "{[\"'-]" or rest[0].isdigit():
            return "candidate"
        word = _IDENTIFIER_RE.match(rest)
        if word is None:
            return "no"
        after = rest[word.end() :].lstrip()
        if word.group() in ("true", "false", "null"):
            return "candidate"
        if not after:
            return "undecided"
        return "candidate" if after[0] == "(" else "no"
    return "no"


def _known(name: object, tools: Mapping[str, ToolSpec]) -> bool:
    if not isinstance(name, str):
        return False
    norm = name.rsplit(".", 1)[-1].lower().replace("-", "_")
    return any(key.lower().replace("-", "_") == norm for key in tools)


def _marker_at(text: str, position: int) -> _Marker | None:
    for marker in _MARKERS:
        if text.startswith(marker.opening, position):
            return marker
    return None


def _marker_prefix(text: str, position: int) -> bool:
    """Whether the text from ``position`` to its end is the beginning of some marker."""
    tail = text[position:]
    return len(tail) < 24 and any(
        m.opening.startswith(tail) and len(tail) < len(m.opening) for m in _MARKERS
    )


def _find_run(text: str, size: int, start: int, end: int, final: bool) -> int:
    """Find the backtick run of exactly ``size`` closing an inline code span, or ``-1``."""
    index = start
    while True:
        found = text.find("`", index, end)
        if found == -1:
            return -1
        stop = found
        while stop < end and text[stop] == "`":
            stop += 1
        if stop - found == size and (final or stop < len(text)):
            return found
        index = stop


def _closes(line: str, fence: tuple[str, int]) -> bool:
    """Whether ``line`` closes a fence of ``fence[1]`` or more ``fence[0]`` characters."""
    char, length = fence
    stripped = line.strip()
    indent = len(line) - len(line.lstrip(" "))
    return indent <= 3 and len(stripped) >= length and stripped == char * len(stripped)


def _find_first(text: str, needles: tuple[str, ...], start: int) -> tuple[int, int]:
    best, size = -1, 0
    for needle in needles:
        found = text.find(needle, start)
        if found != -1 and (best == -1 or found < best):
            best, size = found, len(needle)
    return best, size


def _json_end(text: str, start: int, marker: _Marker) -> int:
    """Where an unclosed JSON tag ends: after its JSON values, else at the end of the reply."""
    if marker.body not in ("json", "calls", "function"):
        return len(text)
    decoder = json.JSONDecoder()
    index = start
    end: int | None = None
    while True:
        while index < len(text) and text[index] in " \t\r\n,;":
            index += 1
        if index >= len(text) or text[index] not in "{[":
            break
        try:
            _, index = decoder.raw_decode(text, index)
        except (ValueError, RecursionError):
            return len(text)
        end = index
    return len(text) if end is None else end
