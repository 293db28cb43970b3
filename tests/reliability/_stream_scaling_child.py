"""Run in a fresh interpreter by ``test_stream_scaling.py``: decode big synthetic streams.

Prints one JSON line: the CPU seconds each stream took and how much the peak RSS grew while
decoding them. The body is produced on the fly from one periodic block (chunks cut across
event boundaries), so the test's own bytes do not count against the client.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from oneminai_webapi._protocol._chat import ChatStreamState
from oneminai_webapi._protocol._http import Request
from oneminai_webapi._protocol._ops import StreamPlan
from oneminai_webapi._protocol._streaming import StreamCore

EVENT = b'event: content\ndata: {"content":"a"}\n\n'
CHUNK = 65536


def decode(events: int) -> tuple[float, int]:
    """CPU seconds to decode ``events`` one-character content events, and the final length."""
    period = EVENT * (CHUNK // len(EVENT) + 2)
    total = len(EVENT) * events
    core = StreamCore(StreamPlan(Request("POST", "/api/chat-with-ai"), ChatStreamState("m")))
    pending = core.pending
    received = 0
    final = None
    start = time.process_time()
    offset = 0
    while offset < total:
        size = min(CHUNK, total - offset)
        start_at = offset % len(EVENT)
        core.feed(period[start_at : start_at + size])
        offset += size
        while pending:
            chunk = pending.popleft()
            received += len(chunk.text_delta)
    core.feed(b"event: done\ndata: {}\n\n")
    core.finish()
    while pending:
        final = pending.popleft()
    elapsed = time.process_time() - start
    assert final is not None and final.is_final
    assert received == events == len(final.text)
    return elapsed, received


def peak_kib() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main() -> None:
    small, big = (int(arg) for arg in sys.argv[1:3])
    decode(2000)  # warm-up: imports, the chunk builder, caches
    before = peak_kib()
    small_s, _ = decode(small)
    big_s, _ = decode(big)
    print(json.dumps({"small_s": small_s, "big_s": big_s, "peak_growth_kib": peak_kib() - before}))


if __name__ == "__main__":
    main()
