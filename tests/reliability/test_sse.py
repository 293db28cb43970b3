"""§2.9 #10–#12 and hostile input for the SSE decoder: WHATWG vectors, chunk invariance
(Hypothesis), invalid UTF-8, huge lines, endless comments, oversized events."""

from __future__ import annotations

import contextlib
import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oneminai_webapi._protocol._sse import ServerSentEvent, SSEDecoder
from oneminai_webapi.exceptions import EventTooLarge

Ev = tuple[str, str, "str | None", "int | None"]


def decode(chunks: list[bytes], **kw: int) -> list[Ev]:
    d = SSEDecoder(**kw)  # type: ignore[arg-type]
    out: list[ServerSentEvent] = []
    for c in chunks:
        out.extend(d.feed(c))
    out.extend(d.finish())
    return [(e.event, e.data, e.id, e.retry) for e in out]


def reference(raw: bytes) -> list[Ev]:
    """A deliberately naive, whole-body implementation of WHATWG §9.2.6 (our oracle)."""
    text = raw.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = re.split(r"\r\n|\r|\n", text)
    lines.pop()  # the last piece never ended with a line break: discarded at EOF
    events: list[Ev] = []
    data: list[str] = []
    event, last_id, retry = "", None, None
    for line in lines:
        if line == "":
            if data:
                events.append((event or "message", "\n".join(data), last_id, retry))
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


# ── #10 conformance vectors ─────────────────────────────────────────────────────────────

VECTORS: list[tuple[str, bytes, list[Ev]]] = [
    ("lf", b"data: a\n\n", [("message", "a", None, None)]),
    ("cr", b"data: a\r\r", [("message", "a", None, None)]),
    ("crlf", b"data: a\r\n\r\n", [("message", "a", None, None)]),
    ("mixed endings", b"data: a\r\ndata: b\rdata: c\n\r\n", [("message", "a\nb\nc", None, None)]),
    ("multi-line data", b"data: x\ndata: y\n\n", [("message", "x\ny", None, None)]),
    ("data without colon", b"data\n\n", [("message", "", None, None)]),
    ("two data without colon", b"data\ndata\n\n", [("message", "\n", None, None)]),
    ("one space removed", b"data:  x\n\n", [("message", " x", None, None)]),
    ("no space", b"data:x\n\n", [("message", "x", None, None)]),
    ("comment ignored", b": hello\ndata: a\n: bye\n\n", [("message", "a", None, None)]),
    ("unknown field", b"foo: bar\nDATA: no\ndata: a\n\n", [("message", "a", None, None)]),
    ("event name", b"event: content\ndata: a\n\n", [("content", "a", None, None)]),
    (
        "event resets",
        b"event: x\ndata: a\n\ndata: b\n\n",
        [("x", "a", None, None), ("message", "b", None, None)],
    ),
    (
        "id persists",
        b"id: 1\ndata: a\n\ndata: b\n\n",
        [("message", "a", "1", None), ("message", "b", "1", None)],
    ),
    (
        "id with NUL ignored",
        b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n",
        [("message", "a", "1", None), ("message", "b", "1", None)],
    ),
    (
        "empty id resets",
        b"id: 1\ndata: a\n\nid\ndata: b\n\n",
        [("message", "a", "1", None), ("message", "b", "", None)],
    ),
    ("retry digits", b"retry: 5\ndata: a\n\n", [("message", "a", None, 5)]),
    ("retry +5 ignored", b"retry: +5\ndata: a\n\n", [("message", "a", None, None)]),
    ("retry space ignored", b"retry:  7\ndata: a\n\n", [("message", "a", None, None)]),
    ("retry 5s ignored", b"retry: 5s\ndata: a\n\n", [("message", "a", None, None)]),
    (
        "retry unicode digit ignored",
        "retry: \u0665\ndata: a\n\n".encode(),
        [("message", "a", None, None)],
    ),
    ("bom stripped", b"\xef\xbb\xbfdata: a\n\n", [("message", "a", None, None)]),
    (
        "only one bom stripped",
        b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\ndata: b\n\n",
        [("message", "b", None, None)],
    ),
    ("unterminated final block", b"data: a\n\ndata: tail", [("message", "a", None, None)]),
    ("unterminated final fields", b"data: a\n\ndata: tail\n", [("message", "a", None, None)]),
    (
        "event without data not dispatched",
        b"event: ping\n\ndata: a\n\n",
        [("message", "a", None, None)],
    ),
    ("invalid utf-8 replaced", b"data: \xff\xfe\n\n", [("message", "\ufffd\ufffd", None, None)]),
    (
        "u2028 is not a line end",
        "data: a\u2028b\u0085c\x0bd\x0ce\n\n".encode(),
        [("message", "a\u2028b\u0085c\x0bd\x0ce", None, None)],
    ),
]


@pytest.mark.parametrize(("raw", "expected"), [v[1:] for v in VECTORS], ids=[v[0] for v in VECTORS])
def test_vector(raw: bytes, expected: list[Ev]) -> None:
    assert decode([raw]) == expected
    assert decode([raw[i : i + 1] for i in range(len(raw))]) == expected  # byte by byte
    assert reference(raw) == expected


def test_dropped_incomplete_is_reported() -> None:
    d = SSEDecoder()
    d.feed(b"data: a\n\ndata: tail")
    d.finish()
    assert d.dropped_incomplete
    clean = SSEDecoder()
    clean.feed(b"data: a\n\n")
    clean.finish()
    assert not clean.dropped_incomplete


@pytest.mark.parametrize("ending", [b"\n", b"\r", b"\r\n"])
def test_every_split_point(ending: bytes) -> None:
    raw = b"data:ok" + ending + ending + "data: é😀".encode() + ending + ending
    expected = decode([raw])
    assert len(expected) == 2
    for i in range(len(raw) + 1):
        for j in range(i, len(raw) + 1):
            assert decode([raw[:i], raw[i:j], raw[j:]]) == expected


# ── #11 chunk invariance (Hypothesis) ───────────────────────────────────────────────────

_line_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=20
)
_endings = st.sampled_from(["\n", "\r", "\r\n"])


@st.composite
def encoded_streams(draw: st.DrawFn) -> tuple[bytes, list[Ev]]:
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
    expected: list[Ev] = []
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
        expected.append((name or "message", "\n".join(data), last_id, None))
    return "".join(parts).encode("utf-8"), expected


def _split(raw: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(raw) + 1) for c in cuts})
    bounds = [0, *points, len(raw)]
    return [raw[a:b] for a, b in itertools.pairwise(bounds)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(encoded_streams(), st.lists(st.integers(min_value=0), max_size=12))
def test_chunk_invariance(stream: tuple[bytes, list[Ev]], cuts: list[int]) -> None:
    raw, expected = stream
    assert decode([raw]) == expected
    assert decode(_split(raw, cuts)) == expected
    assert reference(raw) == expected


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300), st.lists(st.integers(min_value=0), max_size=12))
def test_arbitrary_bytes_match_the_reference(raw: bytes, cuts: list[int]) -> None:
    # Invalid UTF-8, stray CRs, NULs, BOMs anywhere: never an exception, always the spec.
    assert decode(_split(raw, cuts)) == reference(raw)


_alphabet = st.sampled_from(
    [
        b"data",
        b"event",
        b"id",
        b"retry",
        b":",
        b" ",
        b"\n",
        b"\r",
        b"\r\n",
        b"x",
        b"5",
        b"\xff",
        b"\xc3",
        b"\xa9",
        b"\xef\xbb\xbf",
        b"\0",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_alphabet, max_size=60), st.lists(st.integers(min_value=0), max_size=12))
def test_sse_shaped_noise_matches_the_reference(pieces: list[bytes], cuts: list[int]) -> None:
    raw = b"".join(pieces)
    assert decode(_split(raw, cuts)) == reference(raw)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200), st.lists(st.integers(min_value=0), max_size=8), st.integers(1, 64))
def test_limit_never_raises_anything_but_event_too_large(
    raw: bytes, cuts: list[int], limit: int
) -> None:
    with contextlib.suppress(EventTooLarge):
        decode(_split(raw, cuts), max_event_bytes=limit)


# ── #12 big and adversarial streams ─────────────────────────────────────────────────────


def test_five_mib_single_line() -> None:
    payload = "z" * (5 * 1024 * 1024)
    raw = ("data: " + payload + "\n\n").encode()
    chunks = [raw[i : i + 65536] for i in range(0, len(raw), 65536)]
    assert decode(chunks) == [("message", payload, None, None)]
    assert decode(chunks, max_event_bytes=64 * 1024 * 1024) == [("message", payload, None, None)]


def test_ten_thousand_keepalives_leave_the_buffer_empty() -> None:
    d = SSEDecoder(max_event_bytes=1024)
    for _ in range(10_000):
        assert d.feed(b": keep-alive\n\n") == []
        assert not d.has_pending
    assert d.feed(b"data: a\n\n")[0].data == "a"


def test_endless_comment_without_newline_is_bounded() -> None:
    d = SSEDecoder(max_event_bytes=64 * 1024)
    with pytest.raises(EventTooLarge):
        for _ in range(10_000):
            d.feed(b":" + b"k" * 1023)


@pytest.mark.parametrize("chunk", [1, 97, 4096])
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


def test_events_completed_before_an_oversized_one_are_kept() -> None:
    d = SSEDecoder(max_event_bytes=100)
    with pytest.raises(EventTooLarge) as info:
        d.feed(b"data: a\n\ndata: b\n\n" + b"data: " + b"x" * 500)
    completed = info.value.completed_events  # type: ignore[attr-defined]
    assert [e.data for e in completed] == ["a", "b"]


def test_many_small_events_in_one_chunk() -> None:
    raw = b"".join(b'event: content\ndata: {"content":"%d"}\n\n' % i for i in range(5_000))
    events = decode([raw])
    assert len(events) == 5_000
    assert events[-1][1] == '{"content":"4999"}'
