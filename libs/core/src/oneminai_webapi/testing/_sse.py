"""Writers for streamed answers: named SSE events (unified chat) and legacy raw text."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from aiohttp import web

from ._faults import StreamPlan
from ._runtime import Runtime

_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class EventStream:
    """Writes one streamed response, applying the request's :class:`StreamPlan`.

    ``send``/``send_text`` return ``False`` once the stream has ended early (cut connection
    or injected error); callers then stop producing events.
    """

    def __init__(
        self, request: web.Request, rt: Runtime, plan: StreamPlan, *, raw_text: bool = False
    ) -> None:
        self.request = request
        self.rt = rt
        self.plan = plan
        self.raw_text = raw_text
        self.sent = 0
        self.ended = False
        self.cut = False
        self._resp = web.StreamResponse(status=200)
        ctype = "text/plain; charset=utf-8" if raw_text else "text/event-stream"
        self._resp.headers["Content-Type"] = ctype
        self._resp.headers["Cache-Control"] = "no-cache"
        self._resp.headers["X-Accel-Buffering"] = "no"
        self._counted = False

    @property
    def response(self) -> web.StreamResponse:
        """The underlying response (return it from the handler)."""
        return self._resp

    async def open(self) -> None:
        """Send status and headers."""
        stats = self.rt.state.stats
        stats.open_streams += 1
        stats.streams_started += 1
        stats.peak_open_streams = max(stats.peak_open_streams, stats.open_streams)
        self._counted = True
        await self._resp.prepare(self.request)
        if self.plan.stall_body_s > 0:
            await asyncio.sleep(self.plan.stall_body_s)

    def _encode(self, event: str, data: Any) -> bytes:
        plan = self.plan
        le = plan.line_ending
        sep = ":" if plan.nospace else ": "
        parts: list[str] = []
        if plan.comment is not None:
            parts.append(f":{' ' if not plan.nospace else ''}{plan.comment}{le}{le}")
        if plan.multiline:
            payload = json.dumps(data, ensure_ascii=False, indent=1)
        else:
            payload = _compact(data)
        lines = [f"event{sep}{event}"] + [f"data{sep}{line}" for line in payload.split("\n")]
        parts.append(le.join(lines) + le + le)
        return "".join(parts).encode("utf-8")

    async def _write(self, data: bytes) -> None:
        size = self.plan.chunk_size
        if size is None:
            await self._resp.write(data)
            return
        for i in range(0, len(data), size):
            await self._resp.write(data[i : i + size])
            if self.plan.chunk_delay_s > 0:
                await asyncio.sleep(self.plan.chunk_delay_s)
            else:
                await asyncio.sleep(0)

    async def _before_unit(self) -> bool:
        if self.ended:
            return False
        plan = self.plan
        if plan.error_after is not None and self.sent >= plan.error_after:
            if not self.raw_text:
                await self._write(self._encode("error", {"error": plan.error_message}))
            else:
                await self._write(f"\n[ERROR] {plan.error_message}".encode())
            self.ended = True
            return False
        if self.sent and plan.drip_s > 0:
            await asyncio.sleep(plan.drip_s)
        return True

    async def _after_unit(self) -> bool:
        self.sent += 1
        if self.plan.cut_after is not None and self.sent >= self.plan.cut_after:
            self._cut()
            return False
        return True

    def _cut(self) -> None:
        transport = self.request.transport
        if transport is not None:
            transport.close()
        self.cut = True
        self.ended = True

    async def send(self, event: str, data: Any) -> bool:
        """Write one named event (skipped silently when the plan drops it)."""
        if event in self.plan.drop:
            return not self.ended
        if not await self._before_unit():
            return False
        await self._write(self._encode(event, data))
        return await self._after_unit()

    async def send_text(self, text: str) -> bool:
        """Write one raw text chunk (legacy streaming)."""
        if not await self._before_unit():
            return False
        await self._write(text.encode("utf-8"))
        return await self._after_unit()

    async def finish(self) -> web.StreamResponse:
        """End the stream (a pending ``cut_after`` beyond the last event still cuts)."""
        try:
            if not self.ended and self.plan.cut_after is not None:
                self._cut()
            if not self.cut:
                with contextlib.suppress(ConnectionError):
                    await self._resp.write_eof()
        finally:
            self.release()
        return self._resp

    def release(self) -> None:
        """Decrement the open-stream counter (idempotent)."""
        if self._counted:
            self._counted = False
            self.rt.state.stats.open_streams -= 1
