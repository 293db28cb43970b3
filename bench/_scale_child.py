"""One scale run in a fresh process: ``python -m bench._scale_child WHO BASE_URL N``.

Prints one JSON line: RSS after warm-up, RSS with N streams open at once (each has read its
first chunk and waits; their connections are part of the cost), peak RSS, and the wall time of N complete concurrent streams.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time

from ._util import CONTENT_EVENTS, hwm_kib, rss_kib
from .workloads import Floor, Ours, run


async def main(who: str, base: str, n: int) -> dict[str, float]:
    cls = Ours if who == "ours" else Floor
    async with cls(base, limit=n) as c:
        await run(c.stream, 20, concurrent=True)  # warm-up: imports, caches, a few connections
        gc.collect()
        base_rss = rss_kib()
        # N streams open at the same time
        release = asyncio.Event()
        opened = [asyncio.Event() for _ in range(n)]
        tasks = [asyncio.ensure_future(c.hold(o, release)) for o in opened]
        await asyncio.gather(*(o.wait() for o in opened))
        held_rss = rss_kib()
        release.set()
        held = sum(await asyncio.gather(*tasks))
        assert held == n * CONTENT_EVENTS, held
        # wall time of N complete concurrent streams
        walls = []
        for _ in range(3):
            t0 = time.perf_counter()
            total = await run(c.stream, n, concurrent=True)
            walls.append(time.perf_counter() - t0)
            assert total == n * CONTENT_EVENTS, total
    walls.sort()
    return {
        "base_rss_kib": base_rss,
        "held_rss_kib": held_rss,
        "peak_rss_kib": hwm_kib(),
        "wall_s": walls[1],
    }


if __name__ == "__main__":
    who, base, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print(json.dumps(asyncio.run(main(who, base, n))))
