"""The SSE decoder (``_protocol/_sse.py``): WHATWG conformance vectors, chunk invariance
(Hypothesis, against a naive whole-body oracle), invalid UTF-8, huge lines, endless comments,
oversized events, and the 1min.AI chat framing.

docs/reliability.md requirements 10 (vectors), 11 (chunk invariance) and 12 (big and
adversarial streams) point here.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oneminai_webapi._protocol._sse import ServerSentEvent, SSEDecoder
from oneminai_webapi.exceptions import EventTooLarge

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ev(data: str, event: str = "message", id: str | None = None, retry: int | None = None):
    return ServerSentEvent(event=event, data=data, id=id, retry=retry)


def decode(chunks: list[bytes], **kw: int) -> list[ServerSentEvent]:
    decoder = SSEDecoder(**kw)
    out: list[ServerSentEvent] = []
    for chunk in chunks:
        out += decoder.feed(chunk)
    out += decoder.finish()
    return out


def reference(raw: bytes) -> list[ServerSentEvent]:
    """A deliberately naive, whole-body implementation of the WHATWG HTML event-stream
    parsing rules (our oracle)."""
    text = raw.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = re.split(r"\r\n|\r|\n", text)
    lines.pop()  # the last piece never ended with a line break: discarded at EOF
    events: list[ServerSentEvent] = []
    data: list[str] = []
    event, last_id, retry = "", None, None
    for line in lines:
        if line == "":
            if data:
                events.append(ServerSentEvent(event or "message", "\n".join(data), last_id, retry))
            data, event, retry = [], "", None
            continue
        if line.startswith(":"):
            continue
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            event = value
        elif name == "data":
            data.append(value)
        elif name == "id":
            if "\0" not in value:
                last_id = value
        elif name == "retry" and value and all("0" <= ch <= "9" for ch in value):
            retry = int(value)
    return events


def _split(raw: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(raw) + 1) for c in cuts})
    bounds = [0, *points, len(raw)]
    return [raw[a:b] for a, b in itertools.pairwise(bounds)]


# ── conformance vectors (requirement 10) ────────────────────────────────────────────────

VECTORS = [
    # line endings
    ("lf", b"data: a\n\n", [ev("a")]),
    ("cr", b"data: a\r\r", [ev("a")]),
    ("crlf", b"data: a\r\n\r\n", [ev("a")]),
    ("mixed endings", b"data: a\r\ndata: b\rdata: c\n\r\n", [ev("a\nb\nc")]),
    ("cr cr is two line ends", b"data: a\r\rdata: b\r\r", [ev("a"), ev("b")]),
    # data
    ("multi-line data", b"data: a\ndata: b\ndata:\n\n", [ev("a\nb\n")]),
    ("data without colon", b"data\n\n", [ev("")]),
    ("data with colon only", b"data:\n\n", [ev("")]),
    ("two empty data lines", b"data\ndata\n\n", [ev("\n")]),
    ("only one space removed", b"data:  x\n\n", [ev(" x")]),
    ("no space", b"data:x\n\n", [ev("x")]),
    ("tab kept", b"data:\tx\n\n", [ev("\tx")]),
    ("colon in value", b"data: a: b:c\n\n", [ev("a: b:c")]),
    ("trailing spaces kept", b"data: a  \n\n", [ev("a  ")]),
    ("json data", b'data: {"a": 1}\n\n', [ev('{"a": 1}')]),
    # event type
    ("event type", b"event: add\ndata: 1\n\n", [ev("1", "add")]),
    ("empty event type -> message", b"event:\ndata: 1\n\n", [ev("1")]),
    ("event type without colon", b"event\ndata: 1\n\n", [ev("1")]),
    ("last event field wins", b"event: a\nevent: b\ndata: 1\n\n", [ev("1", "b")]),
    ("event type resets", b"event: a\ndata: 1\n\ndata: 2\n\n", [ev("1", "a"), ev("2")]),
    ("event type resets without dispatch", b"event: a\n\ndata: 2\n\n", [ev("2")]),
    # events without data are not dispatched (documented policy, per spec)
    ("event without data", b"event: ping\n\n", []),
    ("blank lines only", b"\n\n\r\n\r\r", []),
    # comments and unknown fields
    ("comment", b": keep-alive\ndata: a\n\n", [ev("a")]),
    ("comment only colon", b":\n\n", []),
    ("comment between data", b"data: a\n:c\ndata: b\n\n", [ev("a\nb")]),
    ("unknown field", b"foo: bar\ndata: a\n\n", [ev("a")]),
    ("case-sensitive field", b"Data: a\nDATA: b\n\n", []),
    ("field with space in name", b"data : a\n\n", []),
    ("leading space in name", b" data: a\n\n", []),
    # id
    ("id", b"id: 1\ndata: a\n\n", [ev("a", id="1")]),
    ("id persists", b"id: 1\ndata: a\n\ndata: b\n\n", [ev("a", id="1"), ev("b", id="1")]),
    ("id with NUL ignored", b"id: 1\n\nid: 2\x003\ndata: a\n\n", [ev("a", id="1")]),
    ("empty id resets", b"id: 1\ndata: a\n\nid\ndata: b\n\n", [ev("a", id="1"), ev("b", id="")]),
    ("id set in dataless block persists", b"id: 7\n\ndata: a\n\n", [ev("a", id="7")]),
    # retry
    ("retry", b"retry: 5000\ndata: a\n\n", [ev("a", retry=5000)]),
    ("retry plus sign ignored", b"retry: +5\ndata: a\n\n", [ev("a")]),
    ("retry two spaces ignored", b"retry:  7\ndata: a\n\n", [ev("a")]),
    ("retry unit ignored", b"retry: 5s\ndata: a\n\n", [ev("a")]),
    ("retry empty ignored", b"retry\ndata: a\n\n", [ev("a")]),
    ("retry non-ascii digits ignored", "retry: ٣\ndata: a\n\n".encode(), [ev("a")]),
    ("retry is per block", b"retry: 1\ndata: a\n\ndata: b\n\n", [ev("a", retry=1), ev("b")]),
    # BOM
    ("bom stripped", b"\xef\xbb\xbfdata: a\n\n", [ev("a")]),
    ("only first bom stripped", b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\n", []),
    ("bom in data kept", b"data: \xef\xbb\xbfa\n\n", [ev("\ufeffa")]),
    # end of stream
    ("unterminated final block dropped", b"data: a\n\ndata: tail", [ev("a")]),
    ("final block without blank line dropped", b"data: a\n\ndata: tail\n", [ev("a")]),
    # unicode line separators are not line ends
    (
        "u2028 not a line end",
        "data: a\u2028b\u0085c\x0cd\x0be\x1cf\n\n".encode(),
        [ev("a\u2028b\u0085c\x0cd\x0be\x1cf")],
    ),
    ("astral", "data: 😀𝄞\n\n".encode(), [ev("😀𝄞")]),
    # invalid utf-8
    ("invalid utf-8 replaced", b"data: \xff\xfe\n\n", [ev("\ufffd\ufffd")]),
    ("truncated sequence replaced", b"data: \xe2\x82\n\n", [ev("\ufffd")]),
    # more of the same rules, in other shapes
    ("comment around data", b": hello\ndata: a\n: bye\n\n", [ev("a")]),
    ("unknown and upper-case fields", b"foo: bar\nDATA: no\ndata: a\n\n", [ev("a")]),
    ("multi-line data x y", b"data: x\ndata: y\n\n", [ev("x\ny")]),
    ("event name content", b"event: content\ndata: a\n\n", [ev("a", "content")]),
    (
        "id with NUL keeps the last id",
        b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n",
        [ev("a", id="1"), ev("b", id="1")],
    ),
    ("retry digit", b"retry: 5\ndata: a\n\n", [ev("a", retry=5)]),
    ("retry arabic-indic five ignored", "retry: \u0665\ndata: a\n\n".encode(), [ev("a")]),
    (
        "second bom ends the first event only",
        b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\ndata: b\n\n",
        [ev("b")],
    ),
    ("event without data then data", b"event: ping\n\ndata: a\n\n", [ev("a")]),
    (
        "u2028 and friends in data",
        "data: a\u2028b\u0085c\x0bd\x0ce\n\n".encode(),
        [ev("a\u2028b\u0085c\x0bd\x0ce")],
    ),
]


@pytest.mark.parametrize(("raw", "expected"), [v[1:] for v in VECTORS], ids=[v[0] for v in VECTORS])
def test_vector(raw: bytes, expected: list[ServerSentEvent]) -> None:
    assert decode([raw]) == expected
    assert decode([raw[i : i + 1] for i in range(len(raw))]) == expected  # byte by byte
    for i in range(len(raw) + 1):  # every two-way split
        assert decode([raw[:i], raw[i:]]) == expected, i
    assert reference(raw) == expected  # the oracle agrees with every vector


@pytest.mark.parametrize("eol", [b"\n", b"\r", b"\r\n"], ids=["lf", "cr", "crlf"])
def test_every_split_point(eol: bytes) -> None:
    cases = [
        (
            eol.join([b"event: x", b"data:ok", b"data: \xc3\xa9", b"", b"data: 2", b"", b""]),
            [ev("ok\né", "x"), ev("2")],
        ),
        (
            b"data:ok" + eol + eol + "data: é😀".encode() + eol + eol,
            [ev("ok"), ev("é😀")],
        ),
    ]
    for raw, expected in cases:
        for i in range(len(raw) + 1):
            for j in range(i, len(raw) + 1):
                assert decode([raw[:i], raw[i:j], raw[j:]]) == expected, (i, j)


def test_cr_at_chunk_end_and_lf_at_next_start_is_one_line_end() -> None:
    assert decode([b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]) == [ev("a\nb")]


def test_cr_then_empty_chunks_then_lf() -> None:
    assert decode([b"data: a\r", b"", b"", b"\n\r\n"]) == [ev("a")]


def test_cr_then_incomplete_utf8_then_lf() -> None:
    # The chunk after the CR decodes to nothing yet; the LF that follows still pairs with it.
    d = SSEDecoder()
    assert d.feed(b"data: a\r") == []
    assert d.feed(b"\n") == []
    assert d.feed(b"data: \xc3") == []
    assert d.feed(b"\xa9\r") == []
    assert d.feed(b"\n\r\n") == [ev("a\né")]


def test_bom_split_across_chunks() -> None:
    assert decode([b"\xef", b"\xbb", b"\xbf", b"data: a\n\n"]) == [ev("a")]


def test_bom_alone_then_data() -> None:
    assert decode([b"\xef\xbb\xbf", b"data: a\n\n"]) == [ev("a")]


def test_invalid_utf8_never_raises() -> None:
    noise = bytes(range(256)) * 4
    d = SSEDecoder()
    for i in range(0, len(noise), 7):
        d.feed(noise[i : i + 7])
    d.finish()
    assert decode([b"data: \x80\xc3(\xed\xa0\x80z\n\n"]) == [ev("\ufffd\ufffd(\ufffd\ufffd\ufffdz")]


def test_dropped_incomplete_is_reported() -> None:
    d = SSEDecoder()
    assert d.feed(b"data: a\n\ndata: b\n") == [ev("a")]
    assert d.finish() == []
    assert d.dropped_incomplete is True

    d = SSEDecoder()
    d.feed(b"data: a\n\ndata: tail")
    d.finish()
    assert d.dropped_incomplete is True

    d = SSEDecoder()
    d.feed(b"data: a\n\n")
    d.finish()
    assert d.dropped_incomplete is False

    d = SSEDecoder()
    d.feed(b"data: a\n\n: comment\n")
    d.finish()
    assert d.dropped_incomplete is False

    d = SSEDecoder()
    d.feed(b"data: a\n\n\xe2\x82")  # an incomplete character at EOF
    d.finish()
    assert d.dropped_incomplete is True


def test_retry_attribute_tracks_latest() -> None:
    d = SSEDecoder()
    d.feed(b"retry: 10\n\nretry: x\n\n")
    assert d.retry == 10


def test_event_is_frozen_and_comparable() -> None:
    from dataclasses import FrozenInstanceError

    e = decode([b"event: x\nid: 3\nretry: 4\ndata: y\n\n"])[0]
    assert e == ServerSentEvent("x", "y", "3", 4)
    assert hash(e) == hash(ServerSentEvent("x", "y", "3", 4))
    assert repr(e) == "ServerSentEvent(event='x', data='y', id='3', retry=4)"
    with pytest.raises(FrozenInstanceError):
        e.data = "z"  # type: ignore[misc]


# ── chunk invariance, against the oracle (requirement 11; Hypothesis) ───────────────────

_line_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=20
)
_endings = st.sampled_from(["\n", "\r", "\r\n"])


@st.composite
def encoded_streams(draw: st.DrawFn) -> tuple[bytes, list[ServerSentEvent]]:
    """An encoded stream (BOM, comments, event names, ids, mixed line ends) and its events."""
    events = draw(
        st.lists(
            st.tuples(
                st.one_of(st.just(""), _line_text.filter(lambda s: ":" not in s[:0])),
                st.lists(_line_text, min_size=1, max_size=4),
                st.one_of(st.none(), _line_text.filter(lambda s: "\0" not in s)),
            ),
            max_size=6,
        )
    )
    parts: list[str] = []
    expected: list[ServerSentEvent] = []
    last_id: str | None = None
    if draw(st.booleans()):
        parts.append("\ufeff")
    for name, data, ident in events:
        lines = []
        if draw(st.booleans()):
            lines.append(": " + draw(_line_text))
        if name:
            lines.append("event: " + name)
        if ident is not None:
            lines.append("id: " + ident)
            last_id = ident
        lines.extend("data: " + d for d in data)
        ending = "\n"
        for line in lines:
            ending = draw(_endings)
            parts.append(line + ending)
        # After a lone CR, a lone LF would merge with it into one CRLF line end.
        parts.append(draw(st.sampled_from(["\r", "\r\n"])) if ending == "\r" else draw(_endings))
        expected.append(ServerSentEvent(name or "message", "\n".join(data), last_id, None))
    return "".join(parts).encode("utf-8"), expected


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(encoded_streams(), st.lists(st.integers(min_value=0), max_size=12))
def test_chunk_invariance(stream: tuple[bytes, list[ServerSentEvent]], cuts: list[int]) -> None:
    raw, expected = stream
    assert decode([raw]) == expected
    assert decode(_split(raw, cuts)) == expected
    assert reference(raw) == expected


# Any character except CR and LF (surrogates cannot be encoded). Includes astral
# characters and U+2028 / U+0085 / U+000B / U+000C, which are NOT SSE line ends.
_value_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n")
_special = st.sampled_from(["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "😀", "𝄞", "é", " ", ":"])
_value = st.lists(st.one_of(_value_chars, _special), max_size=8).map("".join)
_eol = st.sampled_from([b"\n", b"\r", b"\r\n"])


@st.composite
def line_streams(draw: st.DrawFn) -> tuple[list[tuple[bytes, bytes]], list[ServerSentEvent]]:
    """Lines as ``(content, eol)`` pairs (``data:`` with and without the space) and their events."""
    lines: list[tuple[bytes, bytes]] = []
    expected: list[ServerSentEvent] = []
    last_id: str | None = None
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            lines.append((b":" + draw(_value).encode(), draw(_eol)))
        name = draw(st.one_of(st.none(), _value))
        if name is not None:
            lines.append((b"event: " + name.encode(), draw(_eol)))
        if draw(st.booleans()):
            last_id = draw(_value.filter(lambda v: "\0" not in v))
            lines.append((b"id: " + last_id.encode(), draw(_eol)))
        data = draw(st.lists(_value, min_size=1, max_size=4))
        for value in data:
            # Either "data: <value>" or "data:<value>" when the value has no leading space.
            sep = b": " if value.startswith(" ") or draw(st.booleans()) else b":"
            lines.append((b"data" + sep + value.encode(), draw(_eol)))
        lines.append((b"", draw(_eol)))
        expected.append(ServerSentEvent(name or "message", "\n".join(data), last_id, None))
    return lines, expected


def _join(lines: list[tuple[bytes, bytes]]) -> bytes:
    out = b""
    for i, (content, eol) in enumerate(lines):
        nxt = lines[i + 1][0] if i + 1 < len(lines) else b"x"
        # A CR then an empty line ending in LF would read as one CRLF: write CRLF instead.
        if eol == b"\r" and nxt == b"" and i + 1 < len(lines) and lines[i + 1][1] != b"\r":
            eol = b"\r\n"
        out += content + eol
    return out


@SETTINGS
@given(line_streams(), st.lists(st.integers(0, 10_000), max_size=12))
def test_round_trip_any_chunking(stream, cuts: list[int]) -> None:
    lines, expected = stream
    raw = _join(lines)
    assert decode([raw]) == expected
    # random cuts (often inside UTF-8 sequences)
    assert decode(_split(raw, cuts)) == expected
    # one byte at a time
    assert decode([raw[i : i + 1] for i in range(len(raw))]) == expected
    # a cut right after every CR, so each CRLF is split across two chunks
    cr_cuts = [i + 1 for i, b in enumerate(raw) if b == 0x0D]
    assert decode(_split(raw, cr_cuts)) == expected


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300), st.lists(st.integers(min_value=0), max_size=12))
def test_arbitrary_bytes_match_the_reference(raw: bytes, cuts: list[int]) -> None:
    # Invalid UTF-8, stray CRs, NULs, BOMs anywhere: never an exception, always the spec.
    expected = reference(raw)
    assert decode([raw]) == expected
    assert decode(_split(raw, cuts)) == expected
    assert decode([raw[i : i + 1] for i in range(len(raw))]) == expected


_alphabet = st.sampled_from(
    [b"data", b"event", b"id", b"retry", b":", b" ", b"\n", b"\r", b"\r\n", b"x", b"5", b"\xff",
     b"\xc3", b"\xa9", b"\xef\xbb\xbf", b"\0"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_alphabet, max_size=60), st.lists(st.integers(min_value=0), max_size=12))
def test_sse_shaped_noise_matches_the_reference(pieces: list[bytes], cuts: list[int]) -> None:
    raw = b"".join(pieces)
    assert decode(_split(raw, cuts)) == reference(raw)


@SETTINGS
@given(
    st.lists(
        st.sampled_from([b"data: ", b"\xff", b"\xc3", b"\xa9", b"\xf0\x9f", b"\r", b"\n", b"x"])
    ),
    st.lists(st.integers(0, 10_000), max_size=10),
)
def test_invalid_utf8_becomes_replacement_char(parts: list[bytes], cuts: list[int]) -> None:
    raw = b"".join(parts) + b"\n\n"
    whole = decode([raw])
    assert decode(_split(raw, cuts)) == whole
    for event in whole:
        assert event.data == event.data.encode("utf-8").decode("utf-8")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200), st.lists(st.integers(min_value=0), max_size=8), st.integers(1, 64))
def test_limit_never_raises_anything_but_event_too_large(
    raw: bytes, cuts: list[int], limit: int
) -> None:
    with contextlib.suppress(EventTooLarge):
        decode(_split(raw, cuts), max_event_bytes=limit)


# ── big and adversarial streams (requirement 12) ────────────────────────────────────────


def test_five_mib_single_line() -> None:
    payload = "z" * (5 * 1024 * 1024)
    raw = ("data: " + payload + "\n\n").encode()
    chunks = [raw[i : i + 65536] for i in range(0, len(raw), 65536)]
    assert decode(chunks) == [ev(payload)]
    assert decode([raw]) == [ev(payload)]
    assert decode(chunks, max_event_bytes=64 * 1024 * 1024) == [ev(payload)]


def test_huge_line_in_tiny_chunks_is_linear() -> None:
    # 1 MiB in 64-byte chunks: must not re-scan the growing line (would take minutes).
    raw = b"data: " + b"y" * (1 << 20) + b"\r\n\r\n"
    events = decode([raw[i : i + 64] for i in range(0, len(raw), 64)])
    assert [len(e.data) for e in events] == [1 << 20]


def test_ten_thousand_keepalives_leave_the_buffer_empty() -> None:
    d = SSEDecoder(max_event_bytes=1024)
    for _ in range(10_000):
        assert d.feed(b": keep-alive\n\n") == []
        assert not d.has_pending
    assert d.feed(b"data: a\n\n")[0].data == "a"
    d = SSEDecoder()
    for _ in range(10_000):
        assert d.feed(b": keep-alive\n") == []
        assert not d.has_pending
    assert d.feed(b":" * 10 + b"\r\n" * 10_000) == []
    assert not d.has_pending
    assert d.feed(b"data: after\n\n") == [ev("after")]
    assert not d.has_pending


def test_endless_comment_without_newline_is_bounded() -> None:
    d = SSEDecoder(max_event_bytes=64 * 1024)
    with pytest.raises(EventTooLarge):
        for _ in range(10_000):
            d.feed(b":" + b"k" * 1023)


@pytest.mark.parametrize("chunk", [1, 97, 100, 4096])
def test_oversized_event_without_newline(chunk: int) -> None:
    raw = b"data: " + b"x" * 20_000
    d = SSEDecoder(max_event_bytes=10_000)
    with pytest.raises(EventTooLarge):
        for i in range(0, len(raw), chunk):
            d.feed(raw[i : i + chunk])


def test_oversized_multi_line_event() -> None:
    d = SSEDecoder(max_event_bytes=1000)
    with pytest.raises(EventTooLarge):
        for _ in range(1000):
            d.feed(b"data: 0123456789\n")
    with pytest.raises(EventTooLarge):  # the same lines in one chunk
        SSEDecoder(max_event_bytes=100).feed(b"data: 0123456789\n" * 20)


def test_events_completed_before_an_oversized_one_are_kept() -> None:
    d = SSEDecoder(max_event_bytes=100)
    with pytest.raises(EventTooLarge) as info:
        d.feed(b"data: a\n\ndata: b\n\n" + b"data: " + b"x" * 500)
    assert info.value.completed_events == [ev("a"), ev("b")]  # type: ignore[attr-defined]
    d = SSEDecoder(max_event_bytes=50)
    with pytest.raises(EventTooLarge) as info:
        d.feed(b"data: ok\n\ndata: " + b"q" * 100 + b"\n")
    assert info.value.completed_events == [ev("ok")]  # type: ignore[attr-defined]


def test_many_small_events_in_one_chunk() -> None:
    raw = b"".join(b'event: content\ndata: {"content":"%d"}\n\n' % i for i in range(5_000))
    events = decode([raw])
    assert len(events) == 5_000
    assert events[-1] == ev('{"content":"4999"}', "content")
    raw = b"".join(b"data: %d\n\n" % i for i in range(2000))
    assert [e.data for e in decode([raw])] == [str(i) for i in range(2000)]


class TestMaxEventBytes:
    def test_rejects_non_positive(self) -> None:
        with pytest.raises(ValueError):
            SSEDecoder(max_event_bytes=0)

    def test_counted_in_utf8_bytes(self) -> None:
        # 40 three-byte characters = 120 bytes > 100, though only 40 characters.
        with pytest.raises(EventTooLarge):
            SSEDecoder(max_event_bytes=100).feed(b"data: " + "€".encode() * 40 + b"\n")

    def test_events_under_the_limit_pass(self) -> None:
        raw = b"data: " + b"z" * 90 + b"\n\n"
        assert decode([raw] * 50, max_event_bytes=100) == [ev("z" * 90)] * 50

    def test_limit_is_per_event(self) -> None:
        raw = b"".join(b"data: " + b"k" * 60 + b"\n\n" for _ in range(100))
        assert len(decode([raw], max_event_bytes=100)) == 100


# ── the 1min.AI chat framing ────────────────────────────────────────────────────────────


class TestOneMinAIFraming:
    """The unified chat stream of 1min.AI."""

    STREAM = (
        b'event: content\ndata: {"content":"Hello "}\n\n'
        b'event: content\ndata: {"content":"w\xc3\xb6rld \xf0\x9f\x98\x80"}\n\n'
        b'event: result\ndata: {"aiRecord":{"uuid":"u1","status":"SUCCESS",'
        b'"aiRecordDetail":{"resultObject":["Hello w\xc3\xb6rld \xf0\x9f\x98\x80"]}}}\n\n'
        b'event: done\ndata: {"message":"Stream completed"}\n\n'
    )

    def check(self, events: list[ServerSentEvent]) -> None:
        assert [e.event for e in events] == ["content", "content", "result", "done"]
        text = "".join(json.loads(e.data)["content"] for e in events if e.event == "content")
        assert text == "Hello wörld 😀"
        record = json.loads(events[2].data)["aiRecord"]
        assert record["aiRecordDetail"]["resultObject"] == [text]
        assert json.loads(events[3].data) == {"message": "Stream completed"}

    @pytest.mark.parametrize("size", [1, 2, 3, 5, 17, 64, 4096])
    def test_chunked(self, size: int) -> None:
        raw = self.STREAM
        self.check(decode([raw[i : i + size] for i in range(0, len(raw), size)]))

    def test_crlf(self) -> None:
        self.check(decode([self.STREAM.replace(b"\n", b"\r\n")]))

    def test_error_event(self) -> None:
        raw = b'event: content\ndata: {"content":"par"}\n\nevent: error\ndata: {"error":"boom"}\n\n'
        events = decode([raw])
        assert events[-1] == ev('{"error":"boom"}', "error")

    def test_truncated_stream_drops_partial_event(self) -> None:
        cut = self.STREAM[: self.STREAM.index(b"event: result") + 30]
        d = SSEDecoder()
        events = d.feed(cut)
        d.finish()
        assert [e.event for e in events] == ["content", "content"]
        assert d.dropped_incomplete
