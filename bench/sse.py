"""§2 SSE decoding: our ``SSEDecoder`` against openai's and httpx-sse's on identical bytes.

Each decoder turns the same list of byte chunks into events; the harness checks that all
of them produce the same ``(event, data)`` sequence before anything is timed.

* ours: ``SSEDecoder().feed(chunk)`` for every chunk, then ``finish()`` (both with no limit
  and with the 64 MiB ``max_event_bytes`` guard our streams use).
* openai: ``openai._streaming.SSEDecoder().iter_bytes(chunks)`` (its own line splitter).
* httpx-sse: an incremental UTF-8 decoder (what ``httpx.Response.iter_text`` does), then
  ``SSELineDecoder.decode(text)`` and ``SSEDecoder.decode(line)``, as ``EventSource`` does.
"""

from __future__ import annotations

import codecs
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ._util import median

Decoder = Callable[[list[bytes]], list[tuple[str, str]]]


def _ours(limit: int | None) -> Decoder:
    from oneminai_webapi._protocol._sse import SSEDecoder

    def run(chunks: list[bytes]) -> list[tuple[str, str]]:
        dec = SSEDecoder(max_event_bytes=limit)
        feed = dec.feed
        events = []
        for chunk in chunks:
            events += feed(chunk)
        dec.finish()
        return [(e.event, e.data) for e in events]

    return run


def _openai() -> Decoder | None:
    try:
        from openai._streaming import SSEDecoder
    except ImportError:
        return None

    def run(chunks: list[bytes]) -> list[tuple[str, str]]:
        events = list(SSEDecoder().iter_bytes(iter(chunks)))
        return [(e.event or "message", e.data) for e in events]

    return run


def _httpx_sse() -> Decoder | None:
    try:
        from httpx_sse._decoders import SSEDecoder, SSELineDecoder
    except ImportError:
        return None

    def run(chunks: list[bytes]) -> list[tuple[str, str]]:
        text_decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        lines = SSELineDecoder()
        sse = SSEDecoder()
        events = []
        for chunk in chunks:
            text = text_decoder.decode(chunk)
            if not text:
                continue
            for line in lines.decode(text):
                ev = sse.decode(line)
                if ev is not None:
                    events.append(ev)
        for line in lines.flush():
            ev = sse.decode(line)
            if ev is not None:
                events.append(ev)
        return [(e.event or "message", e.data) for e in events]

    return run


def _split(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def _small_events(n: int, le: str = "\n") -> bytes:
    out = []
    for i in range(n):
        payload = json.dumps({"content": f"word{i % 97} "})
        out.append(f"event: content{le}data: {payload}{le}{le}")
    return "".join(out).encode()


def _huge_events(n: int, size: int) -> bytes:
    body = ("x" * 63 + "é") * (size // 65)  # mostly ASCII with some 2-byte characters
    out = [f'event: result\ndata: {{"text": "{body}{i}"}}\n\n' for i in range(n)]
    return "".join(out).encode()


@dataclass
class Workload:
    name: str
    chunks: list[bytes]
    repeat: int

    @property
    def nbytes(self) -> int:
        return sum(len(c) for c in self.chunks)


def workloads(quick: bool = False) -> list[Workload]:
    k = 4 if quick else 1
    small = _small_events(20_000 // k)
    small_crlf = _small_events(20_000 // k, "\r\n")
    huge = _huge_events(4, (4 << 20) // k)
    tiny = _small_events(600 // k)
    return [
        Workload("many small events (20k events, 16 KiB chunks)", _split(small, 16_384), 5),
        Workload("many small events, CRLF (16 KiB chunks)", _split(small_crlf, 16_384), 5),
        Workload("a few huge events (4 × 4 MiB, 64 KiB chunks)", _split(huge, 65_536), 5),
        Workload("1-byte chunks (600 small events)", _split(tiny, 1), 5),
    ]


@dataclass
class SSEResult:
    workload: Workload
    #: decoder -> seconds per pass (median), or an error message
    seconds: dict[str, float] = field(default_factory=dict)
    events: int = 0


def measure(rounds: int = 7, quick: bool = False) -> tuple[list[SSEResult], list[str]]:
    decoders: dict[str, Decoder | None] = {
        "ours": _ours(None),
        "ours (64 MiB guard)": _ours(64 << 20),
        "openai": _openai(),
        "httpx-sse": _httpx_sse(),
    }
    missing = [k for k, v in decoders.items() if v is None]
    active = {k: v for k, v in decoders.items() if v is not None}
    results = []
    for wl in workloads(quick):
        expected = active["ours"](wl.chunks)
        res = SSEResult(wl, events=len(expected))
        for name, fn in active.items():
            got = fn(wl.chunks)
            if got != expected:
                raise AssertionError(f"{name} decoded {wl.name} differently")
        times: dict[str, list[float]] = {k: [] for k in active}
        for r in range(rounds):
            names = list(active)
            names = names[r % len(names) :] + names[: r % len(names)]
            for name in names:
                fn = active[name]
                t0 = time.perf_counter()
                for _ in range(wl.repeat):
                    fn(wl.chunks)
                times[name].append((time.perf_counter() - t0) / wl.repeat)
        res.seconds = {k: median(v) for k, v in times.items()}
        results.append(res)
    return results, missing


if __name__ == "__main__":
    results, missing = measure(5)
    for res in results:
        mb = res.workload.nbytes / 1e6
        print(res.workload.name, f"{mb:.1f} MB {res.events} events")
        for k, s in res.seconds.items():
            print(f"   {k:22s} {mb / s:8.1f} MB/s  {s * 1e3:8.2f} ms")
