"""A safe vcrpy configuration for recording 1min.AI traffic.

Example::

    import vcr
    from oneminai_webapi.testing.cassettes import vcr_config

    recorder = vcr.VCR(**vcr_config(secrets=[api_key]))
    with recorder.use_cassette("tests/cassettes/chat.yaml"):
        ...

Requests keep no credential (``API-KEY``, ``X-Auth-Token``, ``Authorization``, ``Cookie``
become ``REDACTED``, so replay works with any dummy key). Responses keep only an allowlist
of headers — never ``Set-Cookie`` (``cf_clearance``, ``__cf_bm`` …) nor anything a server
might echo — and every given secret is replaced in bodies, so a server that repeats the key
in an error message cannot leak it into a committed file. Upload bodies (streamed in pieces)
are recorded as one value, their random multipart boundary replaced by
:data:`STABLE_BOUNDARY`, so that a recorded upload replays (bodies are matched).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["REDACTED", "SAFE_RESPONSE_HEADERS", "vcr_config"]

REDACTED = "REDACTED"
SECRET_REQUEST_HEADERS = (
    "api-key",
    "x-auth-token",
    "authorization",
    "cookie",
    "proxy-authorization",
)
#: Response headers worth keeping (lower-case); every other header is dropped.
SAFE_RESPONSE_HEADERS = frozenset(
    {"content-type", "retry-after", "retry-after-ms", "location", "cf-mitigated", "x-request-id"}
)


def _scrub(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, bytes):
        for secret in secrets:
            value = value.replace(secret.encode(), REDACTED.encode())
    elif isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, REDACTED)
    return value


#: What a multipart boundary (random per request) becomes in cassettes, so uploads match.
STABLE_BOUNDARY = "oneminai-cassette-boundary"


def _stable_boundary(request: Any) -> None:
    content_type = request.headers.get("Content-Type") or ""
    if "boundary=" not in content_type or not isinstance(request.body, bytes):
        return
    boundary = content_type.split("boundary=", 1)[1].split(";", 1)[0].strip().strip('"')
    if boundary:
        request.body = request.body.replace(boundary.encode(), STABLE_BOUNDARY.encode())
        request.headers["Content-Type"] = content_type.replace(boundary, STABLE_BOUNDARY)


def vcr_config(secrets: Iterable[str] = (), record_mode: str = "none") -> dict[str, Any]:
    """Keyword arguments for ``vcr.VCR(...)`` (or a ``vcr_config`` fixture).

    Args:
        secrets: Values to blank wherever they appear in recorded bodies and URLs.
        record_mode: vcrpy record mode; ``"none"`` (the default) replays only.
    """
    known = tuple(s for s in secrets if s)

    def before_request(request: Any) -> Any:
        body = request.body
        if body is not None and not isinstance(body, (bytes, str)):
            # A streamed upload body (vcrpy keeps its pieces): recorded as one value.
            data = body.read() if hasattr(body, "read") else b"".join(body)
            request = type(request)(request.method, request.uri, data, request.headers)
        _stable_boundary(request)
        request.uri = _scrub(request.uri, known)
        if request.body:
            request.body = _scrub(request.body, known)
        return request

    def before_response(response: dict[str, Any]) -> dict[str, Any]:
        headers = response.get("headers") or {}
        response["headers"] = {
            name: [_scrub(v, known) for v in values]
            if isinstance(values, list)
            else _scrub(values, known)
            for name, values in headers.items()
            if name.lower() in SAFE_RESPONSE_HEADERS
        }
        body = response.get("body") or {}
        if "string" in body:
            body["string"] = _scrub(body["string"], known)
        return response

    return {
        "filter_headers": [(name, REDACTED) for name in SECRET_REQUEST_HEADERS],
        "before_record_request": before_request,
        "before_record_response": before_response,
        "decode_compressed_response": True,
        "record_mode": record_mode,
        "match_on": ("method", "scheme", "host", "port", "path", "query", "body"),
    }
