"""Tests for the legacy raw-text stream decoder."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oneminai_webapi._protocol._textstream import TextStreamDecoder


def run(chunks: list[bytes]) -> str:
    d = TextStreamDecoder()
    return "".join(d.feed(c) for c in chunks) + d.finish()


def test_plain_text() -> None:
    assert run([b"Hello ", b"world"]) == "Hello world"


def test_multibyte_split() -> None:
    raw = "é€😀".encode()
    d = TextStreamDecoder()
    out = [d.feed(raw[i : i + 1]) for i in range(len(raw))]
    assert "".join(out) + d.finish() == "é€😀"
    assert out[0] == ""  # nothing emitted while a character is incomplete


def test_newlines_and_separators_kept() -> None:
    text = "a\r\nb\rc\u2028d\n\n"
    assert run([text.encode()]) == text


def test_leading_bom_stripped_once() -> None:
    assert run([b"\xef\xbb\xbf\xef\xbb\xbfhi"]) == "\ufeffhi"
    assert run([b"\xef", b"\xbb", b"\xbfhi"]) == "hi"
    assert run([b"", b"\xef\xbb\xbf", b"hi"]) == "hi"


def test_bom_later_is_text() -> None:
    assert run([b"a", b"\xef\xbb\xbf"]) == "a\ufeff"


@pytest.mark.parametrize(
    ("raw", "text"),
    [(b"\xff", "\ufffd"), (b"a\xc3", "a\ufffd"), (b"\xed\xa0\x80", "\ufffd\ufffd\ufffd")],
)
def test_invalid_bytes_replaced(raw: bytes, text: str) -> None:
    assert run([raw]) == text


def test_finish_twice() -> None:
    d = TextStreamDecoder()
    d.feed(b"\xe2\x82")
    assert d.finish() == "\ufffd"
    assert d.finish() == ""


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200), st.lists(st.integers(0, 400), max_size=8))
def test_chunk_invariant(raw: bytes, cuts: list[int]) -> None:
    points = sorted({c % (len(raw) + 1) for c in cuts})
    chunks, start = [], 0
    for p in points:
        chunks.append(raw[start:p])
        start = p
    chunks.append(raw[start:])
    expected = raw.decode("utf-8", "replace")
    if expected.startswith("\ufeff"):
        expected = expected[1:]
    assert run(chunks) == expected
