"""``with_options``: a copy of a client with other settings, sharing its connection pool.

A copy is a shallow clone of the client object with a new :class:`Context` (credential and
settings); the transport (session, pool, connection slots) is the original's. Closing a
copy only marks the copy closed; the pool is closed by the client that created it.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import TYPE_CHECKING, Any, TypeVar

from .._config import Limits, Timeouts
from .._protocol._context import Context, Credential, resolve_settings
from .._protocol._http import UploadProgress
from .._protocol._ratelimit import RateLimiter
from ..exceptions import InvalidRequestError

if TYPE_CHECKING:
    from ._base import ClientCore

C = TypeVar("C", bound="ClientCore")


class NotGiven(enum.Enum):
    """The marker of an option left unchanged (``None`` is a meaningful timeout)."""

    NOT_GIVEN = "NOT_GIVEN"

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven.NOT_GIVEN


def check_max_retries(value: object) -> int:
    """``max_retries`` must be an int >= 0 (checked before anything is sent)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidRequestError(f"max_retries must be an int >= 0, got {value!r}")
    return value


def clone(client: C) -> C:
    """A shallow copy of ``client`` that borrows its pool (``copy.copy`` is refused: pickling)."""
    copy = object.__new__(type(client))
    copy.__dict__.update(client.__dict__)
    copy._borrows_pool = True
    copy._closed_copy = False
    copy._responses = None
    return copy


def copy_with_options(
    client: C,
    *,
    api_key: str | NotGiven,
    base_url: str | NotGiven,
    asset_base_url: str | NotGiven,
    timeout: float | NotGiven,
    timeouts: Timeouts | NotGiven,
    max_retries: int | NotGiven,
    retry_on_timeout: bool | NotGiven,
    requests_per_minute: float | NotGiven | None,
    on_upload_progress: UploadProgress | NotGiven | None = NOT_GIVEN,
) -> C:
    """Validate the changes, then build the copy (see ``ClientCore.with_options``)."""
    ctx = client._ctx
    settings = dataclasses.replace(ctx.settings)
    if not isinstance(base_url, NotGiven) or not isinstance(asset_base_url, NotGiven):
        hosts = resolve_settings(
            base_url=settings.base_url if isinstance(base_url, NotGiven) else base_url,
            proxy=settings.proxy,
            timeout=None,
            timeouts=settings.timeouts,
            retry=settings.retry,
            limits=settings.limits,
            asset_base_url=_asset_base(settings.asset_base_url, base_url, asset_base_url),
        )
        settings.base_url = hosts.base_url
        settings.asset_base_url = hosts.asset_base_url
        settings.social_base_url = hosts.social_base_url
    if not isinstance(timeouts, NotGiven):
        if not isinstance(timeouts, Timeouts):
            raise InvalidRequestError(f"timeouts must be a Timeouts, got {type(timeouts).__name__}")
        settings.timeouts = timeouts
    if timeout is None:
        # The constructor reads timeout=None as "the Timeouts defaults", openai-python as
        # "no limit": refuse the ambiguity instead of picking one silently.
        raise InvalidRequestError(
            "with_options(timeout=None) is ambiguous: pass timeouts=Timeouts(total=None) for "
            "no total limit, or a number of seconds"
        )
    if not isinstance(timeout, NotGiven):
        settings.timeouts = dataclasses.replace(settings.timeouts, total=timeout)
    if not isinstance(max_retries, NotGiven):
        settings.retry = dataclasses.replace(
            settings.retry, max_retries=check_max_retries(max_retries)
        )
    if not isinstance(retry_on_timeout, NotGiven):
        settings.retry = dataclasses.replace(settings.retry, retry_on_timeout=retry_on_timeout)
    limiter = client._limiter  # unchanged: the copy spends the same budget
    if not isinstance(requests_per_minute, NotGiven):
        settings.limits = Limits(settings.limits.max_connections, requests_per_minute)
        limiter = RateLimiter(requests_per_minute) if requests_per_minute else None
    credential, team_id = ctx.credential, ctx.team_id
    if not isinstance(api_key, NotGiven):
        if not isinstance(api_key, str) or not api_key:
            raise InvalidRequestError("api_key must be a non-empty string")
        credential, team_id = Credential(api_key), None  # the team belongs to the old key
    progress = ctx.upload_progress
    if not isinstance(on_upload_progress, NotGiven):
        if on_upload_progress is not None and not callable(on_upload_progress):
            raise InvalidRequestError("on_upload_progress must be callable or None")
        progress = on_upload_progress
    copy = clone(client)
    copy._ctx = Context(credential, settings, team_id=team_id, upload_progress=progress)
    copy._limiter = limiter
    return copy


def _asset_base(current: str, base_url: Any, asset_base_url: Any) -> str | None:
    if not isinstance(asset_base_url, NotGiven):
        return str(asset_base_url)
    # A new base URL derives its asset host again, as the constructor does.
    return None if not isinstance(base_url, NotGiven) else current
