"""Fault injection: what can go wrong, and which requests it hits.

A :class:`Fault` describes one misbehaviour; ``emu.inject(fault, times=..., path=...)``
arms it. On every request, each armed fault whose filters match is consumed (one use), at
most one fault per *slot*, so two armed ``status`` faults hit two successive requests.
Stream faults (``cut_after``, ``crlf``, ``drip`` …) only match streaming requests
(``?isStreaming=true``) and combine freely with each other.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_CLOUDFLARE_HTML = (
    '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
    '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head>'
    '<body><div class="main-wrapper" role="main"><div class="main-content">'
    "<h1>api.1min.ai</h1><h2>Verifying you are human. This may take a few seconds.</h2>"
    '</div></div><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1">'
    "</script></body></html>"
)


@dataclass(frozen=True)
class Fault:
    """One injectable misbehaviour. Build instances with the class-method constructors.

    Attributes:
        kind: Fault kind (``"status"``, ``"cut_after"`` …).
        slot: Faults sharing a slot are mutually exclusive within one request.
        stream_only: Only streaming requests (``?isStreaming=true``) consume this fault.
        params: Kind-specific parameters.
    """

    kind: str
    slot: str
    stream_only: bool = False
    params: Mapping[str, Any] = field(default_factory=dict)

    # ----- whole-response faults -------------------------------------------------------
    @classmethod
    def status(
        cls,
        status: int,
        body: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
        content_type: str | None = None,
    ) -> Fault:
        """Answer with ``status`` instead of the real response.

        Args:
            status: HTTP status code.
            body: ``dict``/``list`` (sent as JSON), ``str`` (text), ``bytes``, or ``None`` for
                a default ``{"success": false, "error": {...}}`` body.
            headers: Extra response headers, e.g. ``{"Retry-After": "1"}``.
            content_type: Override the Content-Type.
        """
        return cls(
            "status",
            "response",
            params={
                "status": status,
                "body": body,
                "headers": dict(headers or {}),
                "content_type": content_type,
            },
        )

    @classmethod
    def provider_error(
        cls,
        reason: str = (
            "for stable-diffusion-xl-1024-v0-9 and stable-diffusion-xl-1024-v1-0 the allowed "
            "dimensions are 1024x1024, 1152x896, 1216x832, 1344x768, 1536x640, 640x1536, "
            "768x1344, 832x1216, 896x1152, but we received 512x512"
        ),
        *,
        status: int = 400,
        message: str = "External API response with error",
        details: str | None = None,
    ) -> Fault:
        """An upstream provider's refusal, forwarded as the live service does.

        The body is ``{"errorCode": "EXTERNAL_API_RESPONSE_WITH_ERROR", "message": ...,
        "details": "<the provider's JSON, as a string>"}``.

        Args:
            reason: The provider's message, put inside the ``details`` JSON string.
            status: HTTP status (the service answered 400).
            message: The service's own ``message``.
            details: The exact ``details`` string (overrides ``reason``), JSON or not.
        """
        if details is None:
            details = json.dumps({"id": "emulated", "name": "invalid_argument", "message": reason})
        body = {
            "errorCode": "EXTERNAL_API_RESPONSE_WITH_ERROR",
            "message": message,
            "details": details,
        }
        return cls.status(status, body)

    @classmethod
    def rate_limited(cls, retry_after: str | int | None = 1) -> Fault:
        """A 429 with ``Retry-After`` (``None`` omits the header)."""
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        return cls.status(429, headers=headers)

    @classmethod
    def cloudflare(cls, status: int = 403) -> Fault:
        """A Cloudflare challenge HTML page with ``cf-mitigated: challenge``."""
        return cls.status(
            status,
            _CLOUDFLARE_HTML,
            headers={"cf-mitigated": "challenge", "Server": "cloudflare", "cf-ray": "8f00emu-AMS"},
            content_type="text/html; charset=UTF-8",
        )

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Fault:
        """Redirect (301/302/303/307/308) to ``location``."""
        return cls("redirect", "response", params={"status": status, "location": location})

    @classmethod
    def disconnect(cls) -> Fault:
        """Close the connection without sending any response."""
        return cls("disconnect", "response")

    @classmethod
    def stall(cls, seconds: float) -> Fault:
        """Sleep ``seconds`` before handling the request (nothing is sent meanwhile)."""
        return cls("stall", "stall", params={"seconds": seconds})

    @classmethod
    def stall_body(cls, seconds: float) -> Fault:
        """Send status and headers, then sleep ``seconds`` before the body / first event."""
        return cls("stall_body", "stall_body", params={"seconds": seconds})

    @classmethod
    def headers(cls, headers: Mapping[str, str]) -> Fault:
        """Add headers to the (otherwise normal) response."""
        return cls("headers", "headers", params={"headers": list(dict(headers).items())})

    @classmethod
    def set_cookie(cls, name: str, value: str, attrs: str = "Path=/; HttpOnly") -> Fault:
        """Add a ``Set-Cookie`` header (e.g. ``__cf_bm`` / ``cf_clearance``) to the response."""
        return cls(
            "headers", "cookie", params={"headers": [("Set-Cookie", f"{name}={value}; {attrs}")]}
        )

    # ----- stream faults ----------------------------------------------------------------
    @classmethod
    def cut_after(cls, events: int) -> Fault:
        """Close the TCP connection after ``events`` SSE events (or raw chunks) were sent."""
        return cls("cut_after", "cut", True, {"events": events})

    @classmethod
    def error_after(cls, events: int, message: str = "Upstream model error") -> Fault:
        """After ``events`` events, send ``event: error`` / ``{"error": message}`` and end."""
        return cls("error_after", "error", True, {"events": events, "message": message})

    @classmethod
    def crlf(cls) -> Fault:
        r"""Use ``\r\n`` line endings in this stream."""
        return cls("crlf", "crlf", True)

    @classmethod
    def multiline_data(cls) -> Fault:
        """Spread each event's JSON over several ``data:`` lines (valid when joined with LF)."""
        return cls("multiline", "multiline", True)

    @classmethod
    def keepalive_comments(cls, text: str = "keep-alive") -> Fault:
        """Put a ``: keep-alive`` comment block before every event."""
        return cls("comments", "comments", True, {"text": text})

    @classmethod
    def no_space_after_colon(cls) -> Fault:
        """Write ``data:{...}`` / ``event:content`` without the optional space."""
        return cls("nospace", "nospace", True)

    @classmethod
    def byte_chunks(cls, size: int = 1, delay_s: float = 0.0) -> Fault:
        """Write the stream in ``size``-byte pieces (splits UTF-8 sequences)."""
        return cls("chunks", "chunks", True, {"size": max(1, size), "delay_s": delay_s})

    @classmethod
    def drip(cls, delay_s: float) -> Fault:
        """Sleep ``delay_s`` between events (idle-timeout tests)."""
        return cls("drip", "drip", True, {"delay_s": delay_s})

    @classmethod
    def drop_events(cls, *names: str) -> Fault:
        """Do not send the named events (``"result"``, ``"done"``)."""
        return cls("drop", "drop", True, {"names": frozenset(names)})

    @classmethod
    def no_done(cls) -> Fault:
        """Omit the final ``done`` event."""
        return cls.drop_events("done")

    @classmethod
    def no_result(cls) -> Fault:
        """Omit the ``result`` event."""
        return cls.drop_events("result")

    @classmethod
    def no_result_no_done(cls) -> Fault:
        """Omit both ``result`` and ``done`` (stream ends after the content events)."""
        return cls.drop_events("result", "done")

    @classmethod
    def json_instead_of_stream(cls, body: Any = None) -> Fault:
        """Answer a streaming call with 200 ``application/json`` (default: the aiRecord)."""
        return cls("json", "response", True, {"body": body})

    @classmethod
    def raw_stream(cls, data: str | bytes, content_type: str = "text/event-stream") -> Fault:
        """Answer a streaming call with exactly ``data`` as the 200 body."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        return cls("raw", "response", True, {"data": raw, "content_type": content_type})


@dataclass
class InjectedFault:
    """An armed fault. ``remaining`` is ``None`` for unlimited uses.

    Attributes:
        fault: The fault.
        remaining: Uses left (``None`` = forever).
        path: Path prefix filter (``None`` = any path).
        method: HTTP method filter (``None`` = any method).
        hits: How many requests consumed it so far.
    """

    fault: Fault
    remaining: int | None
    path: str | None = None
    method: str | None = None
    hits: int = 0

    def cancel(self) -> None:
        """Disarm this fault."""
        self.remaining = 0

    @property
    def active(self) -> bool:
        """Whether it can still hit a request."""
        return self.remaining is None or self.remaining > 0


class FaultRegistry:
    """Thread-safe list of armed faults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: list[InjectedFault] = []

    def add(
        self, fault: Fault, times: int | None, path: str | None, method: str | None
    ) -> InjectedFault:
        """Arm a fault."""
        item = InjectedFault(fault, times, path, method.upper() if method else None)
        with self._lock:
            self._armed.append(item)
        return item

    def clear(self) -> None:
        """Disarm everything."""
        with self._lock:
            self._armed.clear()

    @property
    def armed(self) -> list[InjectedFault]:
        """Faults still armed."""
        with self._lock:
            return [f for f in self._armed if f.active]

    def consume(self, method: str, path: str, streaming: bool) -> list[Fault]:
        """Take the faults that hit this request (one per slot, in arming order)."""
        if not self._armed:
            return []
        taken: list[Fault] = []
        slots: set[str] = set()
        with self._lock:
            for item in self._armed:
                f = item.fault
                if not item.active or f.slot in slots:
                    continue
                if f.stream_only and not streaming:
                    continue
                if item.path is not None and not path.startswith(item.path):
                    continue
                if item.method is not None and item.method != method:
                    continue
                slots.add(f.slot)
                item.hits += 1
                if item.remaining is not None:
                    item.remaining -= 1
                taken.append(f)
            self._armed = [i for i in self._armed if i.active]
        return taken


@dataclass
class StreamPlan:
    """Stream modifiers gathered from the faults (and config) of one request."""

    line_ending: str = "\n"
    cut_after: int | None = None
    error_after: int | None = None
    error_message: str = ""
    multiline: bool = False
    comment: str | None = None
    nospace: bool = False
    chunk_size: int | None = None
    chunk_delay_s: float = 0.0
    drip_s: float = 0.0
    stall_body_s: float = 0.0
    drop: frozenset[str] = frozenset()
    json_body: Any = None
    json_instead: bool = False

    @classmethod
    def build(cls, faults: list[Fault], line_ending: str) -> StreamPlan:
        """Fold a request's faults into one plan."""
        plan = cls(line_ending=line_ending)
        for f in faults:
            p = f.params
            if f.kind == "cut_after":
                plan.cut_after = int(p["events"])
            elif f.kind == "error_after":
                plan.error_after = int(p["events"])
                plan.error_message = str(p["message"])
            elif f.kind == "crlf":
                plan.line_ending = "\r\n"
            elif f.kind == "multiline":
                plan.multiline = True
            elif f.kind == "comments":
                plan.comment = str(p["text"])
            elif f.kind == "nospace":
                plan.nospace = True
            elif f.kind == "chunks":
                plan.chunk_size = int(p["size"])
                plan.chunk_delay_s = float(p["delay_s"])
            elif f.kind == "drip":
                plan.drip_s = float(p["delay_s"])
            elif f.kind == "stall_body":
                plan.stall_body_s = float(p["seconds"])
            elif f.kind == "drop":
                plan.drop = plan.drop | p["names"]
            elif f.kind == "json":
                plan.json_instead = True
                plan.json_body = p["body"]
        return plan
