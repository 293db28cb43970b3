"""OpenAI's error shape, and how the core client's exceptions map onto it.

Every failure the gateway answers is ``{"error": {"message", "type", "param", "code"}}``
with the status OpenAI would use: 400 bad input, 401 bad key, 403 not allowed, 404 unknown
route or model, 413 body too large, 429 rate limit (with ``Retry-After``) or budget
(``insufficient_quota``), 402 upstream credits, 502 upstream failure, 504 upstream timeout.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from aiohttp import web
from oneminai_webapi import exceptions as core

__all__ = ["GatewayError", "from_core", "json_error"]


@dataclass
class GatewayError(Exception):
    """An error answered in OpenAI's shape.

    Attributes:
        status: HTTP status.
        message: Human-readable text (never holds a secret).
        type: OpenAI error type (``invalid_request_error``, ``authentication_error``…).
        code: OpenAI error code, when there is one.
        param: The request parameter at fault, when known.
        retry_after: Seconds for ``Retry-After`` (429).
    """

    status: int
    message: str
    type: str = "invalid_request_error"
    code: str | None = None
    param: str | None = None
    retry_after: float | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def body(self) -> dict[str, object]:
        """The JSON body."""
        return {
            "error": {
                "message": self.message,
                "type": self.type,
                "param": self.param,
                "code": self.code,
            }
        }

    def response(self) -> web.Response:
        """The HTTP response."""
        headers = dict(self.headers)
        if self.retry_after is not None:
            headers["Retry-After"] = str(max(1, math.ceil(self.retry_after)))
        return json_error(self.status, self.body(), headers)


def json_error(status: int, body: dict[str, object], headers: dict[str, str]) -> web.Response:
    """A JSON error response."""
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        content_type="application/json",
        headers=headers,
    )


def bad_request(message: str, param: str | None = None, code: str | None = None) -> GatewayError:
    """A 400 ``invalid_request_error``."""
    return GatewayError(400, message, param=param, code=code)


def too_large(limit: int) -> GatewayError:
    """A 413: the body is over ``server.max_body_bytes``."""
    return GatewayError(
        413, f"The request body is larger than this gateway accepts ({limit} bytes).",
        code="request_too_large",
    )  # fmt: skip


def from_core(exc: core.OneMinAIError, *, pass_through: bool = False) -> GatewayError:
    """Map a core-client exception onto the error the gateway answers.

    Args:
        exc: What the core client raised.
        pass_through: The caller's own key was sent upstream: an upstream authentication
            failure is then the caller's 401, not a gateway fault (502).
    """
    message = _message(exc)
    if isinstance(exc, core.InvalidRequestError):
        return GatewayError(400, message)
    if isinstance(exc, core.APITimeoutError):
        return GatewayError(
            504, f"1min.AI did not answer in time: {message}", "upstream_error", "upstream_timeout"
        )
    if isinstance(exc, core.APIConnectionError):
        return GatewayError(
            502, f"cannot reach 1min.AI: {message}", "upstream_error", "upstream_unreachable"
        )
    if isinstance(exc, core.StreamError):
        return GatewayError(
            502, f"the 1min.AI stream failed: {message}", "upstream_error", "upstream_stream_error"
        )
    if isinstance(exc, core.AuthenticationError):
        if pass_through:
            return GatewayError(
                401,
                f"1min.AI refused the key: {message}",
                "authentication_error",
                "invalid_api_key",
            )
        return GatewayError(
            502,
            "1min.AI refused the gateway's upstream key",
            "upstream_error",
            "upstream_authentication",
        )
    if isinstance(exc, core.RateLimitError):
        return GatewayError(
            429, f"1min.AI rate limit: {message}", "rate_limit_error", "rate_limit_exceeded",
            retry_after=exc.retry_after_s if exc.retry_after_s is not None else 1.0,
        )  # fmt: skip
    if isinstance(exc, core.InsufficientCreditsError):
        return GatewayError(
            402, f"1min.AI credits exhausted: {message}", "insufficient_quota", "insufficient_quota"
        )
    if isinstance(exc, core.PermissionDeniedError):
        return GatewayError(
            403, f"1min.AI refused the call: {message}", "permission_error", "upstream_forbidden"
        )
    if isinstance(exc, core.UnsupportedModelError):
        return GatewayError(404, message, "invalid_request_error", "model_not_found", "model")
    if isinstance(exc, core.BadRequestError):
        return GatewayError(400, f"1min.AI refused the request: {message}")
    if isinstance(exc, core.NotFoundError):
        return GatewayError(404, message, code="not_found")
    if isinstance(exc, core.JobFailedError):
        return GatewayError(
            502, f"the 1min.AI job failed: {message}", "upstream_error", "upstream_job_failed"
        )
    return GatewayError(502, f"1min.AI failed: {message}", "upstream_error", "upstream_error")


def _message(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())[:500]
