"""Property tests: the SSE decoder is chunking-invariant and round-trips encoded events."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oneminai_webapi._protocol._sse import ServerSentEvent, SSEDecoder

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any character except CR and LF (surrogates cannot be encoded). Includes astral
# characters and U+2028 / U+0085 / U+000B / U+000C, which are NOT SSE line ends.
_value_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n")
_special = st.sampled_from(["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "😀", "𝄞", "é", " ", ":"])
_value = st.lists(st.one_of(_value_chars, _special), max_size=8).map("".join)
_eol = st.sampled_from([b"\n", b"\r", b"\r\n"])


@st.composite
def streams(draw: st.DrawFn) -> tuple[list[tuple[bytes, bytes]], list[ServerSentEvent]]:
    """Return (lines as (content, eol) pairs, the events they must decode to)."""
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


def _split(raw: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(raw) + 1) for c in cuts})
    pieces, start = [], 0
    for p in points:
        pieces.append(raw[start:p])
        start = p
    pieces.append(raw[start:])
    return pieces


def _decode(chunks: list[bytes]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    out: list[ServerSentEvent] = []
    for chunk in chunks:
        out += decoder.feed(chunk)
    out += decoder.finish()
    return out


@SETTINGS
@given(streams(), st.lists(st.integers(0, 10_000), max_size=12))
def test_round_trip_any_chunking(stream, cuts: list[int]) -> None:
    lines, expected = stream
    raw = _join(lines)
    assert _decode([raw]) == expected
    # random cuts (often inside UTF-8 sequences)
    assert _decode(_split(raw, cuts)) == expected
    # one byte at a time
    assert _decode([raw[i : i + 1] for i in range(len(raw))]) == expected
    # a cut right after every CR, so each CRLF is split across two chunks
    cr_cuts = [i + 1 for i, b in enumerate(raw) if b == 0x0D]
    assert _decode(_split(raw, cr_cuts)) == expected


@SETTINGS
@given(st.binary(max_size=300), st.lists(st.integers(0, 10_000), max_size=10))
def test_arbitrary_bytes_never_raise_and_are_chunk_invariant(raw: bytes, cuts: list[int]) -> None:
    whole = _decode([raw])
    assert _decode(_split(raw, cuts)) == whole
    assert _decode([raw[i : i + 1] for i in range(len(raw))]) == whole


@SETTINGS
@given(
    st.lists(
        st.sampled_from([b"data: ", b"\xff", b"\xc3", b"\xa9", b"\xf0\x9f", b"\r", b"\n", b"x"])
    ),
    st.lists(st.integers(0, 10_000), max_size=10),
)
def test_invalid_utf8_becomes_replacement_char(parts: list[bytes], cuts: list[int]) -> None:
    raw = b"".join(parts) + b"\n\n"
    whole = _decode([raw])
    assert _decode(_split(raw, cuts)) == whole
    for event in whole:
        assert event.data == event.data.encode("utf-8").decode("utf-8")
