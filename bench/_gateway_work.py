"""The gateway's own per-call work, in one process: ``python -m bench._gateway_work``.

No server, no sockets: the SSE encoding of one streamed answer (40 text events, the finish
and usage chunks, ``[DONE]``), the validation of a request body, and one ledger row (record
and batched write by the background thread). Minimum of 7 repeats, so a loaded machine
inflates it little. Put another tree's ``libs/gateway/src`` first on ``PYTHONPATH`` to
measure that tree with the same script (an older ``_ChunkWriter`` without ``text()`` is
driven through its ``_write_event``).
"""

from __future__ import annotations

import contextlib
import json
import tempfile
import time
import timeit
from pathlib import Path
from typing import Any

import oneminai_gateway._chat as chat
from oneminai_gateway._ledger import Entry, Ledger
from oneminai_gateway._models import ChatCompletionRequest, parse

from ._util import MODEL, PROMPT

TEXTS = ["Echo", " from", f" {MODEL}:"] + [f" word{i}" for i in range(37)]
EXTENSION = {"credits": 12, "record_id": "r", "sources": [], "usage_estimated": True, "attempts": 1}
USAGE = {"prompt_tokens": 40, "completion_tokens": 40, "total_tokens": 80}
BODY = json.dumps({"model": MODEL, "messages": [{"role": "user", "content": PROMPT}]}).encode()


class _Sink:
    async def write(self, data: bytes) -> None:
        pass

    async def write_eof(self, data: bytes = b"") -> None:
        pass


class _Text:
    type = "text"

    def __init__(self, text: str) -> None:
        self.text = text


EVENTS = [_Text(t) for t in TEXTS]


def encode_stream() -> None:
    writer = chat._ChunkWriter(_Sink(), MODEL, include_usage=True)  # type: ignore[arg-type]
    writer.delta({"role": "assistant", "content": ""})
    fast = getattr(writer, "text", None)
    for event in EVENTS:
        if fast is not None:
            fast(event.text)
        else:
            chat._write_event(writer, event, legacy=False)  # type: ignore[arg-type]
    writer.finish("stop", EXTENSION)
    writer.usage(USAGE)
    send: Any = writer.send(b"data: [DONE]\n\n", last=True)
    with contextlib.suppress(StopIteration):
        send.send(None)  # nothing awaits for real: the sink returns at once


def per_call(fn: Any, n: int = 5000) -> float:
    return min(timeit.repeat(fn, number=n, repeat=7)) / n


def ledger_row(rows: int = 2000) -> float:
    with tempfile.TemporaryDirectory() as folder:
        ledger = Ledger(str(Path(folder) / "ledger.sqlite3"))
        entry = Entry(time=time.time(), key="bench", model=MODEL, endpoint="chat.completions",
                      status=200, credits=1.0, prompt_tokens=40, completion_tokens=40,
                      duration_ms=5, record_id="r")  # fmt: skip
        best = float("inf")
        for _ in range(7):
            c0 = time.process_time()  # the whole process: the writer thread included
            for _ in range(rows):
                ledger.record(entry)
            ledger.flush()
            best = min(best, (time.process_time() - c0) / rows)
        ledger.close()
    return best


def main() -> None:
    print(f"gateway: {chat.__file__}")
    print(f"encode one 40-event stream: {per_call(encode_stream) * 1e6:8.1f} µs")
    body = per_call(lambda: parse(ChatCompletionRequest, json.loads(BODY)))
    print(f"validate a request body:    {body * 1e6:8.1f} µs")
    print(f"one ledger row:             {ledger_row() * 1e6:8.1f} µs")


if __name__ == "__main__":
    main()
