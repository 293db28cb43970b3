"""Conformance tests for the incremental SSE decoder (WHATWG "Parsing an event stream")."""

from __future__ import annotations

import json

import pytest
from oneminai_webapi._protocol._sse import ServerSentEvent, SSEDecoder
from oneminai_webapi.exceptions import EventTooLarge


def ev(data: str, event: str = "message", id: str | None = None, retry: int | None = None):
    return ServerSentEvent(event=event, data=data, id=id, retry=retry)


def decode(chunks: list[bytes], **kw: int) -> list[ServerSentEvent]:
    decoder = SSEDecoder(**kw)
    out: list[ServerSentEvent] = []
    for chunk in chunks:
        out += decoder.feed(chunk)
    out += decoder.finish()
    return out


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
]


@pytest.mark.parametrize(("raw", "expected"), [v[1:] for v in VECTORS], ids=[v[0] for v in VECTORS])
def test_vectors_whole(raw: bytes, expected: list[ServerSentEvent]) -> None:
    assert decode([raw]) == expected


@pytest.mark.parametrize(("raw", "expected"), [v[1:] for v in VECTORS], ids=[v[0] for v in VECTORS])
def test_vectors_byte_by_byte(raw: bytes, expected: list[ServerSentEvent]) -> None:
    assert decode([raw[i : i + 1] for i in range(len(raw))]) == expected


@pytest.mark.parametrize(("raw", "expected"), [v[1:] for v in VECTORS], ids=[v[0] for v in VECTORS])
def test_vectors_every_two_way_split(raw: bytes, expected: list[ServerSentEvent]) -> None:
    for i in range(len(raw) + 1):
        assert decode([raw[:i], raw[i:]]) == expected, i


@pytest.mark.parametrize("eol", [b"\n", b"\r", b"\r\n"], ids=["lf", "cr", "crlf"])
def test_every_split_point_three_pieces(eol: bytes) -> None:
    raw = eol.join([b"event: x", b"data:ok", b"data: \xc3\xa9", b"", b"data: 2", b"", b""])
    expected = [ev("ok\né", "x"), ev("2")]
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


def test_finish_flags_dropped_incomplete() -> None:
    d = SSEDecoder()
    assert d.feed(b"data: a\n\ndata: b\n") == [ev("a")]
    assert d.finish() == []
    assert d.dropped_incomplete is True

    d = SSEDecoder()
    d.feed(b"data: a\n\ndata: par")
    d.finish()
    assert d.dropped_incomplete is True

    d = SSEDecoder()
    d.feed(b"data: a\n\n: comment\n")
    d.finish()
    assert d.dropped_incomplete is False

    d = SSEDecoder()
    d.feed(b"data: a\n\n\xe2\x82")  # an incomplete character at EOF
    d.finish()
    assert d.dropped_incomplete is True


def test_five_mib_line() -> None:
    payload = b"x" * (5 * 1024 * 1024)
    raw = b"data: " + payload + b"\n\n"
    events = decode([raw[i : i + 65536] for i in range(0, len(raw), 65536)])
    assert len(events) == 1
    assert len(events[0].data) == len(payload)
    assert decode([raw]) == events


def test_huge_line_in_tiny_chunks_is_linear() -> None:
    # 1 MiB in 64-byte chunks: must not re-scan the growing line (would take minutes).
    raw = b"data: " + b"y" * (1 << 20) + b"\r\n\r\n"
    events = decode([raw[i : i + 64] for i in range(0, len(raw), 64)])
    assert [len(e.data) for e in events] == [1 << 20]


def test_ten_thousand_comments_leave_nothing_buffered() -> None:
    d = SSEDecoder()
    for _ in range(10_000):
        assert d.feed(b": keep-alive\n") == []
        assert not d.has_pending
    assert d.feed(b":" * 10 + b"\r\n" * 10_000) == []
    assert not d.has_pending
    assert d.feed(b"data: after\n\n") == [ev("after")]
    assert not d.has_pending


def test_many_events_one_chunk() -> None:
    raw = b"".join(b"data: %d\n\n" % i for i in range(2000))
    assert [e.data for e in decode([raw])] == [str(i) for i in range(2000)]


def test_retry_attribute_tracks_latest() -> None:
    d = SSEDecoder()
    d.feed(b"retry: 10\n\nretry: x\n\n")
    assert d.retry == 10


class TestMaxEventBytes:
    def test_rejects_non_positive(self) -> None:
        with pytest.raises(ValueError):
            SSEDecoder(max_event_bytes=0)

    def test_line_without_newline_raises(self) -> None:
        d = SSEDecoder(max_event_bytes=1000)
        d.feed(b"data: " + b"a" * 500)
        with pytest.raises(EventTooLarge):
            for _ in range(10):
                d.feed(b"a" * 100)

    def test_many_data_lines_raise(self) -> None:
        d = SSEDecoder(max_event_bytes=100)
        with pytest.raises(EventTooLarge):
            d.feed(b"data: 0123456789\n" * 20)

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

    def test_earlier_events_of_the_chunk_are_kept(self) -> None:
        d = SSEDecoder(max_event_bytes=50)
        with pytest.raises(EventTooLarge) as info:
            d.feed(b"data: ok\n\ndata: " + b"q" * 100 + b"\n")
        assert info.value.completed_events == [ev("ok")]  # type: ignore[attr-defined]


class TestOneMinAIFraming:
    """The chat stream of protocol.md §B.4."""

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


def test_event_is_frozen_and_comparable() -> None:
    from dataclasses import FrozenInstanceError

    e = decode([b"event: x\nid: 3\nretry: 4\ndata: y\n\n"])[0]
    assert e == ServerSentEvent("x", "y", "3", 4)
    assert hash(e) == hash(ServerSentEvent("x", "y", "3", 4))
    assert repr(e) == "ServerSentEvent(event='x', data='y', id='3', retry=4)"
    with pytest.raises(FrozenInstanceError):
        e.data = "z"  # type: ignore[misc]
