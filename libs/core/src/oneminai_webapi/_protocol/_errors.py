"""Map 1min.AI error answers to the exception tree (pure functions).

The service answers errors in several shapes (``docs/protocol.md``, "Errors")::

    {"success": false, "error": {"code": "UNAUTHORIZED", "message": "..."}}
    {"message": "..."}                 {"error": "..."}           {"detail": "..."}
    {"errorCode": "UNSUPPORTED_MODEL", "message": "..."}
    {"errorCode": "EXTERNAL_API_RESPONSE_WITH_ERROR", "message": "...",
     "details": "<the upstream provider's JSON, as a string>"}
    {"error": {"message": "...", "details": [...]}}
    {"aiRecord": {"aiRecordDetail": {"errorMessage": "..."}}}
    text or HTML (proxies, Cloudflare), or nothing at all

The message is taken from the first of ``error.message``, ``message``, ``error`` (a
string), ``detail``, ``aiRecord.aiRecordDetail.errorMessage``; else the raw text
(truncated to 2 KiB; for HTML, its ``<title>``); else the HTTP reason phrase. It is
then suffixed with ``(HTTP <status>)``. A ``details`` string (the upstream provider's own
answer, forwarded by the service) is read for the provider's reason: it lands on
``provider_detail`` and, for ``EXTERNAL_API_RESPONSE_WITH_ERROR``, in the message. Only
response data is used: request headers, and so the API key, never reach an exception.
"""

from __future__ import annotations

import http
import json
import re
import time
from collections.abc import Mapping
from typing import Any

from ..exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    CloudflareChallengeError,
    ConflictError,
    InsufficientCreditsError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnsupportedModelError,
    ValidationError,
)
from ._http import Response
from ._http import request_id as _request_id
from ._retry_policy import is_cloudflare_challenge, parse_retry_after
from ._secrets import redact_bytes

__all__ = [
    "MAX_TEXT_BYTES",
    "check_envelope",
    "error_from_response",
    "raise_for_response",
    "redact",
]

#: Text bodies kept on exceptions (and used as messages) are cut to this many bytes.
MAX_TEXT_BYTES = 2048

_STATUS_CLASSES: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitError,
}

# Error codes that name a class when the status does not (e.g. ``success: false`` in a 200).
_CODE_CLASSES: dict[str, type[APIError]] = {
    "UNSUPPORTED_MODEL": UnsupportedModelError,
    "UNAUTHORIZED": AuthenticationError,
    "UNAUTHENTICATED": AuthenticationError,
    "INVALID_API_KEY": AuthenticationError,
    "FORBIDDEN": PermissionDeniedError,
    "NOT_FOUND": NotFoundError,
    "CONFLICT": ConflictError,
    "RATE_LIMITED": RateLimitError,
    "RATE_LIMIT_EXCEEDED": RateLimitError,
    "TOO_MANY_REQUESTS": RateLimitError,
    "VALIDATION_ERROR": ValidationError,
    "BAD_REQUEST": BadRequestError,
    "INTERNAL_SERVER_ERROR": InternalServerError,
    "INTERNAL_ERROR": InternalServerError,
}

_CREDITS_RE = re.compile(
    r"(?:insufficient|not[\s_-]+enough|n[o']t[\s_-]+have[\s_-]+enough|out[\s_-]+of)"
    r"[\s_-]+credits?\b",
    re.IGNORECASE,
)
_CLOUDFLARE_MARKERS = (
    "cf-chl",
    "cf_chl",
    "challenge-platform",
    "just a moment",
    "attention required! | cloudflare",
)
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_NOT_JSON = object()


def _truncate(text: str, limit: int = MAX_TEXT_BYTES) -> str:
    if len(text) <= limit // 4:
        return text
    raw = text.encode("utf-8", "replace")
    return text if len(raw) <= limit else raw[:limit].decode("utf-8", "ignore")


def _lower_keys(headers: Mapping[str, str]) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _text_of(value: Any) -> str | None:
    """A non-empty message string from a field, or None."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list) and value:  # FastAPI-style ``detail: [{"msg": ...}]``
        parts = [_text_of(_get(item, "msg") or _get(item, "message") or item) for item in value]
        joined = "; ".join(part for part in parts if part)
        return joined or None
    return None


def _message_of(data: Any) -> str | None:
    if not isinstance(data, dict):
        return _text_of(data)
    for candidate in (
        _get(data, "error", "message"),
        data.get("message"),
        data.get("error") if isinstance(data.get("error"), str) else None,
        data.get("detail"),
        _get(data, "aiRecord", "aiRecordDetail", "errorMessage"),
    ):
        text = _text_of(candidate)
        if text:
            return _truncate(text)
    return None


def _code_of(data: Any) -> str | None:
    for candidate in (_get(data, "error", "code"), _get(data, "errorCode"), _get(data, "code")):
        if isinstance(candidate, str) and candidate:
            return candidate
        if isinstance(candidate, int) and not isinstance(candidate, bool):
            return str(candidate)
    return None


def _details_of(data: Any) -> list[Any] | None:
    for candidate in (_get(data, "error", "details"), _get(data, "details"), _get(data, "detail")):
        if isinstance(candidate, list) and candidate:
            return candidate
    return None


#: The code under which the service forwards an upstream provider's refusal.
EXTERNAL_API_ERROR = "EXTERNAL_API_RESPONSE_WITH_ERROR"
#: The provider's reason is cut to this many characters.
MAX_PROVIDER_DETAIL = 500


def _provider_detail(data: Any) -> str | None:
    """The upstream provider's reason from a ``details`` string, when there is one.

    The service forwards the provider's answer as a string; when that string is JSON its
    message is taken (``message``, ``error.message``, ``error``, ``detail``, the first of
    ``errors``), else the whole string.
    """
    details = _get(data, "details")
    if details is None:
        details = _get(data, "error", "details")
    if not isinstance(details, str) or not details.strip():
        return None
    reason: str | None = None
    try:
        parsed = json.loads(details)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        errors = parsed.get("errors")
        first = errors[0] if isinstance(errors, list) and errors else None
        for candidate in (
            _get(parsed, "message"),
            _get(parsed, "error", "message"),
            _get(parsed, "error") if isinstance(parsed.get("error"), str) else None,
            _get(parsed, "detail"),
            _get(first, "message") if isinstance(first, dict) else first,
        ):
            reason = _text_of(candidate)
            if reason:
                break
    elif isinstance(parsed, str):
        reason = _text_of(parsed)
    reason = " ".join((reason or details).split())
    if len(reason) > MAX_PROVIDER_DETAIL:
        reason = reason[: MAX_PROVIDER_DETAIL - 1] + "…"
    return reason


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith("<") and ("<html" in head or "<!doctype" in head or "<head" in head)


def _is_cloudflare_page(text: str) -> bool:
    lowered = text[:65536].lower()
    return any(marker in lowered for marker in _CLOUDFLARE_MARKERS)


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Unexpected status"


def _class_for(
    status: int, code: str | None, message: str, details: list[Any] | None
) -> type[APIError]:
    if code is not None and code.upper() == "UNSUPPORTED_MODEL":
        return UnsupportedModelError
    if status == 402 or _CREDITS_RE.search(message) or (code and _CREDITS_RE.search(code)):
        return InsufficientCreditsError
    if status == 400 and details:
        return ValidationError
    if status in _STATUS_CLASSES:
        return _STATUS_CLASSES[status]
    if status >= 500:
        return InternalServerError
    if code is not None and code.upper() in _CODE_CLASSES:
        return _CODE_CLASSES[code.upper()]
    return APIError


def _build(
    status: int,
    headers: dict[str, str],
    data: Any,
    text: str,
    *,
    now: float | None,
) -> APIError:
    request_id = _request_id(headers)
    is_json = data is not _NOT_JSON
    body: Any = data if is_json else _truncate(text)

    if not is_json and (
        (status in (403, 429, 503) and is_cloudflare_challenge(headers))
        or (_looks_like_html(text) and _is_cloudflare_page(text))
    ):
        return CloudflareChallengeError(
            f"Blocked by a Cloudflare challenge page instead of an API answer (HTTP {status})",
            status_code=status,
            body=body,
            request_id=request_id,
        )

    code = _code_of(data) if is_json else None
    details = _details_of(data) if is_json else None
    message = _message_of(data) if is_json else None
    if message is None and not is_json and text.strip():
        if _looks_like_html(text):
            title = _TITLE_RE.search(text[:65536])
            message = _truncate(" ".join(title.group(1).split())) if title else None
        else:
            message = _truncate(text.strip())
    if not message:
        message = code or (_reason(status) if status >= 400 else "The request failed")
    provider = _provider_detail(data) if is_json else None
    if provider and code == EXTERNAL_API_ERROR and provider not in message:
        message = f"{message} (the provider said: {provider})"

    cls = _class_for(status, code, message, details)
    full = f"{message} (HTTP {status})"
    common: dict[str, Any] = {
        "status_code": status,
        "body": body,
        "code": code,
        "request_id": request_id,
        "provider_detail": provider,
    }
    if cls is ValidationError:
        return ValidationError(full, details=details, **common)
    if cls is RateLimitError:
        retry_after = parse_retry_after(headers, time.time() if now is None else now)
        return RateLimitError(full, retry_after_s=retry_after, **common)
    return cls(full, **common)


def _decode(body: bytes) -> tuple[Any, str]:
    text = body.decode("utf-8", "replace")
    if not text.strip():
        return _NOT_JSON, text
    try:
        return json.loads(text), text
    except (ValueError, RecursionError):  # RecursionError: nested too deeply to parse
        return _NOT_JSON, text


def redact(body: bytes, secrets: tuple[str, ...]) -> bytes:
    r"""``body`` with every secret replaced by ``***`` (see ``_secrets.redact_bytes``).

    Escaped forms count too: JSON ``\uXXXX`` and ``\/`` escapes, percent-encoding.
    """
    return redact_bytes(body, secrets)


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    secrets: tuple[str, ...] = (),
) -> APIError:
    """Build the exception for an error answer.

    Args:
        status: The HTTP status.
        headers: Response headers (names matched case-insensitively).
        body: The raw response body.
        now: Epoch seconds used to resolve an HTTP-date ``Retry-After`` (default: now).
        secrets: Values (the client's credential) blanked in the body first: a server
            that echoes the key in its error message must not put it into an exception.

    Returns:
        The mapped :class:`~oneminai_webapi.exceptions.APIError` subclass, with
        ``status_code``, ``body`` (decoded JSON, or text cut to 2 KiB), ``code`` and
        ``request_id`` (from ``x-request-id`` or ``cf-ray``) filled in.
    """
    body = redact(body, secrets)
    data, text = _decode(body)
    return _build(status, _lower_keys(headers), data, text, now=now)


def raise_for_response(resp: Response) -> None:
    """Raise the mapped error unless the response is a 2xx.

    Args:
        resp: The complete response.

    Raises:
        APIError: The status is not 2xx (the subclass depends on status and body).
    """
    if not 200 <= resp.status < 300:
        raise error_from_response(resp.status, resp.headers, resp.body)


def check_envelope(data: Any, status: int = 200) -> None:
    """Raise when a successful answer reports a failure inside its body.

    ``{"success": false, ...}`` becomes the error its code names (for example
    ``UNSUPPORTED_MODEL`` → :class:`~oneminai_webapi.exceptions.UnsupportedModelError`),
    else a plain :class:`~oneminai_webapi.exceptions.APIError`, with ``status_code``
    set to ``status``.

    Args:
        data: The decoded JSON body.
        status: The HTTP status it came with.

    Raises:
        APIError: The body says ``success: false``.
    """
    if isinstance(data, dict) and data.get("success") is False:
        raise _build(status, {}, data, "", now=None)
