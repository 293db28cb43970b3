"""The retry loop as a sans-IO generator, shared by the async and sync drivers.

``attempts(...)`` yields :class:`Attempt` (send this once) and :class:`~._http.Sleep`
(wait); the driver answers an attempt with the :class:`Response` it got — whatever its
status — or with the :class:`OneMinAIError` the transport raised. The generator returns
the successful response or raises the final error. Redirects are decided here too.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit

from ..exceptions import OneMinAIError, UnexpectedRedirectError
from ._errors import error_from_response
from ._http import Request, Response, Sleep
from ._ratelimit import RateLimiter
from ._retry import RetryPolicy, delay_for_error, delay_for_response

logger = logging.getLogger("oneminai_webapi")

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Attempt:
    """Send ``request`` to ``url`` once."""

    request: Request
    url: str


Outcome = Response | OneMinAIError


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
) -> Generator[Attempt | Sleep, Outcome, tuple[Response, str]]:
    """Run one logical request with retries; return ``(response, final_url)``.

    ``secrets`` are blanked in error bodies before they become exceptions.
    """
    retries = 0
    redirects = 0
    while True:
        if limiter is not None:
            wait = limiter.reserve(monotonic())
            if wait > 0:
                yield Sleep(wait)
        outcome = yield Attempt(request, url)
        if isinstance(outcome, Response):
            status = outcome.status
            if status < 300:
                return outcome, url
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
