"""The retry loop, written once as sans-IO generators for both drivers.

An operation yields :class:`~._http.Request` values (see :mod:`._ops`). :func:`with_retries`
runs the operation and turns each request into what a driver executes:

* :class:`Attempt` — send this request to this URL once. The driver answers with the
  :class:`~._http.Response` it got, whatever its status (a streamed request that opened
  answers a :class:`~._http.StreamedResponse`), or throws in the
  :class:`~oneminai_webapi.exceptions.OneMinAIError` its transport raised;
* :class:`~._http.Sleep` — wait (the backoff, or the client-side rate limit);
* the operation's other steps (``Sleep``, ``StreamPlan``, ``Download``) pass through.

:func:`attempts` is the loop of one request: the rate limit, redirects (same origin only),
and the decisions of :mod:`._retry_policy` (which failures, how long to wait). The request
either ends in a 2xx response, sent back into the operation, or in an error, thrown into it.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

from ..exceptions import OneMinAIError, UnexpectedRedirectError
from ._errors import error_from_response
from ._http import Request, Response, Sleep
from ._ops import Op, Step
from ._ratelimit import RateLimiter
from ._retry_policy import RetryPolicy, delay_for_error, delay_for_response

logger = logging.getLogger("oneminai_webapi")

T = TypeVar("T")

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Attempt:
    """Send ``request`` to ``url`` once."""

    request: Request
    url: str


@dataclass(frozen=True)
class Retries:
    """What the retry loop needs from a client.

    Attributes:
        policy: Which failures to retry and how patiently.
        base_url: The API origin relative request paths are joined to.
        limiter: The client-side rate limit, if any (one token per attempt).
        secrets: Blanked in error bodies before they become exceptions.
        before_request: Called before each request (a closed client copy raises there).
    """

    policy: RetryPolicy
    base_url: str
    limiter: RateLimiter | None = None
    secrets: tuple[str, ...] = ()
    before_request: Callable[[], None] | None = None


#: What a driver executes: one attempt, a wait, or an operation's own stream or download.
DriverStep = Attempt | Step


def with_retries(op: Op[T], retries: Retries) -> Generator[DriverStep, Any, T]:
    """Run ``op``; each request it yields is sent with :func:`attempts`, the rest passes through.

    The 2xx response of a request is sent back into ``op``; its final error is thrown into
    ``op`` (which may handle it, such as a 404 on delete). Errors a driver throws in while it
    executes another step reach ``op`` the same way.
    """
    value: Any = None
    error: OneMinAIError | None = None
    while True:
        try:
            step = op.throw(error) if error is not None else op.send(value)
        except StopIteration as stop:
            result: T = stop.value
            return result
        value, error = None, None
        try:
            if isinstance(step, Request):
                if retries.before_request is not None:
                    retries.before_request()
                value = yield from attempts(
                    step, step.url(retries.base_url), retries.policy, retries.limiter,
                    secrets=retries.secrets,
                )  # fmt: skip
            else:
                value = yield step
        except OneMinAIError as exc:
            error = exc


def attempts(
    request: Request,
    url: str,
    policy: RetryPolicy,
    limiter: RateLimiter | None = None,
    *,
    rand: Callable[[], float] = random.random,
    clock: Callable[[], float] = time.time,
    monotonic: Callable[[], float] = time.monotonic,
    secrets: tuple[str, ...] = (),
) -> Generator[Attempt | Sleep, Response, Response]:
    """Send one request with retries and redirects; return its 2xx response.

    Raises:
        OneMinAIError: the mapped error of the last answer, or the transport's last error,
            once the policy gives up.
    """
    retries = 0
    redirects = 0
    while True:
        if limiter is not None:
            wait = limiter.reserve(monotonic())
            if wait > 0:
                yield Sleep(wait)
        try:
            outcome: Response | OneMinAIError = yield Attempt(request, url)
        except OneMinAIError as exc:
            outcome = exc
        if isinstance(outcome, Response):
            status = outcome.status
            if status < 300:
                return outcome
            if status in REDIRECT_STATUSES and redirects < MAX_REDIRECTS:
                url = redirect_target(url, outcome, request)
                redirects += 1
                if status == 303:
                    request = replace(request, method="GET", json=None, files=(), form=None)
                continue
            delay = delay_for_response(
                policy, retries, status, outcome.headers, now=clock(), rand=rand()
            )
            if delay is None:
                raise error_from_response(status, outcome.headers, outcome.body, secrets=secrets)
            logger.debug(
                "HTTP %s on %s %s; retry %d in %.2fs",
                status,
                request.method,
                request.path,
                retries + 1,
                delay,
                extra={"retry_delay": delay},  # for progress displays (the CLI)
            )
        else:
            delay = delay_for_error(
                policy, retries, outcome, idempotent=request.idempotent, rand=rand()
            )
            if delay is None:
                raise outcome
            logger.debug(
                "%s on %s %s; retry %d in %.2fs",
                type(outcome).__name__,
                request.method,
                request.path,
                retries + 1,
                delay,
                extra={"retry_delay": delay},
            )
        retries += 1
        yield Sleep(delay)


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with default ports made explicit."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def redirect_target(url: str, response: Response, request: Request) -> str:
    """Where to go for a same-origin redirect; cross-origin ones are refused.

    The client never follows a redirect to another origin, because the ``API-KEY`` header
    would go with it (aiohttp and requests strip only standard auth headers).
    """
    location = response.headers.get("location", "")
    target = urljoin(url, location)
    if not location or origin(target) != origin(url):
        raise UnexpectedRedirectError(
            f"The server redirected ({response.status}) to another origin; not following it "
            "with the API key.",
            location=_strip_userinfo(target),
        )
    if request.method not in ("GET", "HEAD") and response.status not in (307, 308):
        raise UnexpectedRedirectError(
            f"The server redirected a {request.method} with {response.status}; not replaying it.",
            location=_strip_userinfo(target),
        )
    return target


def _strip_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    return parts._replace(netloc=parts.hostname or "").geturl()
