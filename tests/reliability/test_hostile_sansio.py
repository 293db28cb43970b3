"""Properties of the sans-IO pieces behind issue 14 (Hypothesis): content decoding, safe file
names, stream deadlines and redaction hold for any input, not only the attacks above."""

from __future__ import annotations

import gzip
import unicodedata
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st
from oneminai_webapi import Timeouts
from oneminai_webapi._protocol._bodies import PIECE_BYTES, BodyReader, ContentDecoder
from oneminai_webapi._protocol._deadlines import StreamTimer
from oneminai_webapi._protocol._filenames import MAX_NAME_BYTES, safe_filename
from oneminai_webapi._protocol._secrets import Secret, redact_text
from oneminai_webapi.exceptions import ResponseTooLargeError, UnexpectedResponseError


def _encode(data: bytes, how: str) -> tuple[bytes, str]:
    if how == "gzip":
        return gzip.compress(data), "gzip"
    if how == "zlib":
        return zlib.compress(data), "deflate"
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    return comp.compress(data) + comp.flush(), "deflate"


@settings(max_examples=150, deadline=None)
@given(
    data=st.binary(max_size=3000) | st.just(b"a" * 200_000),
    how=st.sampled_from(["gzip", "zlib", "raw"]),
    cuts=st.lists(st.integers(min_value=0, max_value=5000), max_size=8),
)
def test_decoding_is_invariant_to_chunking(data: bytes, how: str, cuts: list[int]) -> None:
    body, encoding = _encode(data, how)
    points = sorted({min(c, len(body)) for c in cuts})
    chunks = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]
    decoder = ContentDecoder(encoding)
    pieces = [piece for chunk in chunks for piece in decoder.feed(chunk)]
    assert b"".join(pieces) == data
    assert all(0 < len(p) <= PIECE_BYTES for p in pieces)


@given(st.binary(min_size=1, max_size=200), st.sampled_from(["gzip", "deflate"]))
def test_garbage_is_a_typed_error_or_nothing(garbage: bytes, encoding: str) -> None:
    decoder = ContentDecoder(encoding)
    try:
        out = b"".join(decoder.feed(garbage))
    except UnexpectedResponseError:
        return
    assert len(out) <= 200 * 1032  # deflate cannot expand more than ~1032:1


@given(st.integers(min_value=1, max_value=5000), st.integers(min_value=0, max_value=20000))
def test_body_reader_limits(limit: int, size: int) -> None:
    raw = b"x" * size
    ok = BodyReader(200, {}, max_body_bytes=limit, max_error_bytes=limit)
    try:
        ok.feed(raw)
    except ResponseTooLargeError:
        assert size > limit
    else:
        assert size <= limit and ok.body() == raw
    err = BodyReader(500, {}, max_body_bytes=limit, max_error_bytes=limit)
    err.feed(raw)
    assert err.body() == raw[:limit]


@settings(max_examples=300)
@given(st.text(max_size=400))
def test_safe_filename_is_always_a_plain_name(suggestion: str) -> None:
    name = safe_filename(suggestion)
    assert name and len(name.encode()) <= MAX_NAME_BYTES
    assert "/" not in name and "\\" not in name
    assert not name.startswith(".") and not name.endswith((".", " "))
    assert all(unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp") for c in name)
    assert name not in (".", "..")
    assert not any(c in name for c in '<>:"|?*')


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@given(
    st.lists(
        st.tuples(st.sampled_from(["wait", "read", "content", "busy"]), st.floats(0.0, 3.0)),
        max_size=30,
    ),
    st.floats(min_value=0.05, max_value=2.0),
    st.one_of(st.none(), st.floats(min_value=0.05, max_value=5.0)),
    st.one_of(st.none(), st.floats(min_value=0.05, max_value=5.0)),
)
def test_stream_deadline_never_moves_earlier(
    steps: list[tuple[str, float]], read: float, first: float | None, total: float | None
) -> None:
    """The watchdog may sleep until a deadline: reads, contents and the caller's own time
    only ever move it later, and it never passes the whole-stream deadline."""
    clock = _Clock()
    timer = StreamTimer(Timeouts(read=read, first_event=first, stream_total=total), clock)
    timer.waited()
    last = timer.deadline()
    for step, gap in steps:
        clock.now += gap
        if step == "wait":
            timer.wait()
        elif step == "read":
            timer.waited()
        elif step == "content":
            timer.waited()
            timer.data()
        deadline = timer.deadline()
        assert deadline >= last - 1e-9
        if total is not None:
            assert deadline <= 100.0 + total + 1e-9
        last = deadline
    assert timer.phase() in ("read", "first_event", "stream_total")


def test_only_waiting_counts_as_idle() -> None:
    clock = _Clock()
    timer = StreamTimer(Timeouts(read=1.0), clock)
    timer.waited()
    clock.now += 50  # the caller is busy with what it got: not the server's fault
    timer.wait()
    assert timer.deadline() == clock.now + 1.0
    clock.now += 0.6  # a comment after 0.6 s of waiting
    timer.waited()
    timer.wait()
    assert timer.deadline() == clock.now + 0.4  # comments do not restart the idle time
    clock.now += 0.4
    assert timer.deadline() <= clock.now and timer.phase() == "read"


_KEYISH = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+=", min_size=6, max_size=40
)
_TEXT = st.text('abc xyz{}":,\\u0123456789-/', max_size=60)


@given(_KEYISH, _TEXT, _TEXT)
def test_redaction_catches_every_escaped_form(secret: str, before: str, after: str) -> None:
    escaped = "".join(f"\\u{ord(c):04x}" for c in secret)
    percent = "".join(f"%{ord(c):02X}" for c in secret)
    for form in (
        secret,
        escaped,
        escaped.upper().replace("\\U", "\\u"),
        percent,
        secret.replace("/", "\\/"),
    ):
        assert secret not in redact_text(before + form + after, (Secret(secret),))
    assert repr(Secret(secret)) == "'***'"
