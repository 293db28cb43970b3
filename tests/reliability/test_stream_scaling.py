"""Issue 14 #2: streams use linear memory and time.

Every chunk used to hold its own copy of the whole text so far, so 630 KB of events took
2.4 GB and the time grew with the square of the length. Now a stream's chunks share one
buffer and join ``text`` only when it is read. Measured, not assumed: RSS in a fresh
interpreter for a million events, tracemalloc for chunks a caller keeps, and CPU time of
two stream sizes.
"""

from __future__ import annotations

import json
import pickle
import queue
import random
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from oneminai_webapi import SyncOneMinAIClient
from oneminai_webapi._protocol._chat import ChatStreamState
from oneminai_webapi._protocol._chat_output import TextBuffer
from oneminai_webapi._protocol._http import Request
from oneminai_webapi._protocol._ops import StreamPlan
from oneminai_webapi._protocol._sse import ServerSentEvent
from oneminai_webapi._protocol._streaming import StreamCore
from oneminai_webapi.testing import Emulator, Fault
from oneminai_webapi.tool_calling import ReplyAssembler, ReplyPlan
from oneminai_webapi.types import ChatOutput

CHILD = Path(__file__).with_name("_stream_scaling_child.py")
EVENT = b'event: content\ndata: {"content":"a"}\n\n'
DONE = b"event: done\ndata: {}\n\n"


def _core() -> StreamCore:
    return StreamCore(StreamPlan(Request("POST", "/api/chat-with-ai"), ChatStreamState("m")))


def _content(text: str) -> ServerSentEvent:
    return ServerSentEvent("content", json.dumps({"content": text}), None, None)


def test_a_million_events_decode_in_linear_memory_and_time() -> None:
    # A fresh interpreter, so the peak RSS belongs to this stream alone. The events are
    # ~38 MB on the wire and 1 MB of text; the old design needed hundreds of GB.
    result = subprocess.run(
        [sys.executable, str(CHILD), "100000", "1000000"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["peak_growth_kib"] < 64 * 1024, measured
    # Ten times the events: linear gives ~10x, the old quadratic design ~100x.
    ratio = measured["big_s"] / max(measured["small_s"], 1e-3)
    assert ratio < 30, measured


def _kept_chunk_bytes(events: int) -> int:
    """Peak bytes allocated while decoding ``events`` events and keeping every chunk."""
    body = EVENT * events + DONE
    core = _core()
    kept: list[ChatOutput] = []
    tracemalloc.start()
    try:
        for i in range(0, len(body), 4096):
            core.feed(body[i : i + 4096])
            while core.pending:
                kept.append(core.pending.popleft())
        core.finish()
        kept.extend(core.pending.popleft() for _ in range(len(core.pending)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept[-1].is_final and kept[-1].text == "a" * events
    return peak


def test_chunks_a_caller_keeps_cost_the_same_whatever_the_text_so_far() -> None:
    # Four times the chunks must cost about four times the memory (the old design: 16x).
    small, big = _kept_chunk_bytes(2000), _kept_chunk_bytes(8000)
    assert big / small < 6, (small, big)


def test_a_chunk_text_is_its_prefix_of_the_shared_buffer() -> None:
    state = ChatStreamState("m")
    core = _core()
    core.plan.state = state
    pieces = ["Hel", "lo", ", ", "world"]
    body = b"".join(
        f"event: content\ndata: {json.dumps({'content': p})}\n\n".encode() for p in pieces
    )
    core.feed(body + DONE)
    core.finish()
    chunks = [core.pending.popleft() for _ in range(len(core.pending))]
    assert [c.text_delta for c in chunks[:-1]] == pieces
    assert [c.text for c in chunks[:-1]] == ["Hel", "Hello", "Hello, ", "Hello, world"]
    assert chunks[-1].text == "Hello, world" and chunks[-1].is_final
    assert state.text == "Hello, world"


def test_lazy_text_behaves_like_a_field() -> None:
    state = ChatStreamState("m")
    first = state.on_event(_content("ab"))
    second = state.on_event(_content("cd"))
    assert first is not None and second is not None
    assert "text" not in first.__dict__  # not joined before it is read
    assert second.model_dump()["text"] == "abcd"
    assert list(second.model_dump()) == list(ChatOutput.model_fields)  # field order kept
    assert json.loads(first.model_dump_json())["text"] == "ab"
    assert str(first) == "ab" and "ab" in repr(first)
    assert first == ChatOutput(text="ab", text_delta="ab", model="m", is_final=False)
    assert dict(ChatOutput.model_validate(second))["text"] == "abcd"
    assert pickle.loads(pickle.dumps(state.on_event(_content("e")))).text == "abcde"
    third = state.on_event(_content("f"))
    assert third is not None
    copied = third.model_copy()
    assert copied.text == "abcdef"
    third.text = "mine"  # an assignment wins over the buffer
    assert third.text == "mine" and third == third.model_copy()
    assert ChatOutput.model_json_schema()["properties"]["text"]["type"] == "string"


def test_text_buffer_joins_once_and_slices() -> None:
    buffer = TextBuffer()
    for piece in ("a", "bc", "def"):
        buffer.append(piece)
    assert buffer.length == 6
    assert buffer.text(3) == "abc"
    assert buffer.text() == "abcdef"
    assert buffer.text() is buffer.text()  # joined once, then shared
    buffer.append("g")
    assert buffer.text(99) == "abcdefg"


def test_a_long_stream_through_the_sync_client(canary: str) -> None:
    # End to end: 20,000 events through the emulator and the blocking client. Peak
    # allocations stay small (the text is 20 KB; the old design kept ~hundreds of copies).
    events = 20_000
    body = EVENT * events + b'event: result\ndata: {"aiRecord": {"aiRecordDetail": {}}}\n\n'
    with Emulator(api_key=canary) as emu:
        emu.inject(Fault.raw_stream(body), path="/api/chat-with-ai")
        with SyncOneMinAIClient(canary, base_url=emu.base_url) as client:
            received = 0
            tracemalloc.start()
            try:
                with client.chat("x", stream=True) as stream:
                    for chunk in stream:
                        received += len(chunk.text_delta)
                        final = chunk
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
    assert received == events
    assert final.is_final and final.text == "a" * events
    assert peak < 8 * 1024 * 1024, peak


# ── the adapters' reply assembler (LangChain and LlamaIndex stream through it) ────────


def _assemble_seconds(deltas: int) -> float:
    assembler = ReplyAssembler(ReplyPlan.create([], None, None, stop=["STOP!"]))
    start = time.process_time()
    for _ in range(deltas):
        assembler.feed("ab")
    elapsed = time.process_time() - start
    assert len(assembler.emitted) == 2 * deltas - 4  # the last 4 characters are held back
    return elapsed


def test_text_replies_are_assembled_in_linear_time() -> None:
    # Ten times the deltas: linear gives ~10x; re-scanning the whole reply per delta ~100x.
    small, big = _assemble_seconds(20_000), _assemble_seconds(200_000)
    assert big / max(small, 1e-3) < 30, (small, big)


def _reference(deltas: list[str], stops: list[str]) -> tuple[list[str], str]:
    """The assembler's contract, written the simple (quadratic) way."""
    held = max((len(s) for s in stops), default=1) - 1
    raw, emitted, out = "", "", []
    for delta in deltas:
        if any(s in raw for s in stops) or not delta:
            out.append("")
            continue
        raw += delta
        cuts = [i for s in stops if (i := raw.find(s)) != -1]
        stopped = bool(cuts)
        raw = raw[: min(cuts)] if cuts else raw
        end = len(raw) if stopped else max(0, len(raw) - held)
        if not raw[:end].strip() and not stopped:
            end = 0  # only white space so far: it could still lead into a <think> block
        piece = raw[len(emitted) : end] if end > len(emitted) else ""
        emitted += piece
        out.append(piece)
        if stopped:
            raw += stops[0]  # remember that it stopped
    return out, emitted


@pytest.mark.parametrize("seed", range(30))
def test_text_mode_matches_the_simple_reading(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "abS!T "
    stops = rng.choice([[], ["S!"], ["ST", "!!!"], ["abab"]])
    deltas = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4))) for _ in range(40)]
    assembler = ReplyAssembler(ReplyPlan.create([], None, None, stop=stops))
    got = [assembler.feed(d) for d in deltas]
    expected, emitted = _reference(deltas, stops)
    assert got == expected and assembler.emitted == emitted
    outcome = assembler.finish()
    assert assembler.emitted + outcome.tail == outcome.content


def test_chunks_read_on_another_thread_while_the_stream_goes_on() -> None:
    # The reader thread appends to the buffer while a worker reads chunks' text: every text
    # is exactly its prefix, and nothing appended meanwhile is lost.
    core = _core()
    handed: queue.Queue[ChatOutput | None] = queue.Queue()
    problems: list[str] = []

    reference = "0123456789" * 2000

    def worker() -> None:
        while (chunk := handed.get()) is not None:
            text = chunk.text
            if text != reference[: len(text)] or len(text) != int(chunk.text_delta):
                problems.append(chunk.text_delta)

    thread = threading.Thread(target=worker)
    thread.start()
    text_len = 0
    for i in range(3000):
        digits = "".join(str((text_len + k) % 10) for k in range(6))
        text_len += 6
        # Each delta ends with the cumulative length so the worker can check its chunk.
        body = EVENT.replace(b'"a"', json.dumps(digits).encode())
        core.feed(body)
        while core.pending:
            chunk = core.pending.popleft()
            chunk.__dict__["text_delta"] = f"{text_len:06d}"
            handed.put(chunk)
        if i % 500 == 0:
            assert core.text == reference[:text_len]
    handed.put(None)
    thread.join(timeout=30)
    assert problems == []
