"""Connection failures in plain words, naming the host (shared by both drivers)."""

from __future__ import annotations

import socket
import ssl
from urllib.parse import urlsplit

from ..exceptions import APIConnectionError

__all__ = ["connection_error", "host_of", "os_reason"]

_PLAIN = (
    (ConnectionRefusedError, "connection refused"),
    (ConnectionResetError, "connection reset by the server"),
    (ConnectionAbortedError, "connection aborted"),
    (BrokenPipeError, "connection closed by the server while sending"),
    (socket.gaierror, "host name could not be resolved"),
    (TimeoutError, "timed out"),
)


def host_of(url: str) -> str:
    """``host:port`` of ``url`` (never its user name or password)."""
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        port = None
    host = parts.hostname or "?"
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{port}" if port else host


def os_reason(exc: BaseException | None) -> str:
    """A short reason for a low-level error (its type and OS message, never its repr)."""
    if exc is None:
        return "unknown reason"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted ({exc.verify_message or 'verification failed'})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error ({exc.reason or type(exc).__name__})"
    for kind, text in _PLAIN:
        if isinstance(exc, kind):
            return text
    if isinstance(exc, OSError) and exc.strerror:
        return str(exc.strerror).lower()
    return type(exc).__name__


def connection_error(
    url: str, reason: str, *, sent: bool, proxy: str | None = None
) -> APIConnectionError:
    """The :class:`APIConnectionError` for a failure talking to ``url``."""
    via = f" through the proxy {host_of(proxy)}" if proxy else ""
    if sent:
        message = f"The connection to {host_of(url)}{via} failed: {reason}."
    else:
        message = f"Could not connect to {host_of(url)}{via}: {reason}."
    return APIConnectionError(message, request_sent=sent)
