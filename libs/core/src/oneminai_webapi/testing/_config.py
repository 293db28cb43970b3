"""Emulator configuration (a mutable dataclass read at request time)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._validation import PromptValidator, validate_prompt_object


def _insufficient_body() -> dict[str, Any]:
    return {
        "success": False,
        "error": {"code": "INSUFFICIENT_CREDITS", "message": "Insufficient credits"},
    }


@dataclass
class EmulatorConfig:
    r"""Behaviour switches. Change them at any time, e.g. ``emu.config.sse_line_ending = "\r\n"``.

    Attributes:
        api_key: The key accepted in ``API-KEY`` (official surface).
        accept_bearer_auth: Also accept ``Authorization: Bearer <api_key>`` on ``/api/*``.
        webapp_accepts_api_key: Accept the API key in ``X-Auth-Token`` on web-app routes
            (JWTs issued by ``/auth/oauth`` are always accepted).
        login_password: Password accepted by ``POST /auth/login`` (any e-mail).
        team_id: The single team's uuid; other team ids get 403.
        user_id: The user's uuid.
        user_email: The user's e-mail.
        user_name: The user's display name.
        team_name: The team's name.
        plan: ``subscription.plan`` of the team.
        initial_credits: Team credit at start and after ``reset()``.
        credits_per_call: Credits charged per chat turn / feature call.
        insufficient_credits_status: HTTP status when credits are exhausted.
        insufficient_credits_body: JSON body when credits are exhausted.
        rate_limit: Enable the token-bucket rate limit (per credential).
        rate_limit_per_minute: Refill per minute (and the bucket size, unless ``rate_limit_burst``).
        rate_limit_burst: Bucket size, the requests that may arrive at once (default: a
            minute's worth).
        sse_line_ending: Line ending used in SSE streams (``"\n"`` or ``"\r\n"``).
        stream_words_per_event: Words per ``content`` event.
        repeat_answer_models: Model-id prefixes whose streams send the whole answer once more
            as their last ``content`` event, before ``result``, as the service does for
            gpt-5.x models. ``("",)`` does it for every model, ``()`` for none.
        moderation_trigger: A chat prompt containing this text gets the moderated answer
            the service gives: a record whose ``resultObject`` is ``[{"code", "message"}]``
            (streams send no content, only that record). Empty: never.
        history_page_size: Max messages per page of the messages/after-id route.
        default_history_limit: ``historyMessageLimit`` when the request has none.
        async_delay_s: Seconds before an async job leaves ``PROCESSING``.
        async_pending_polls: ``GET /api/results`` calls answering ``PROCESSING`` first.
        async_fail: Async jobs end ``FAILED`` instead of ``SUCCESS``.
        async_failed_status: The status string of failed jobs (``FAILED`` or ``FAILURE``).
        feature_latency_s: Per feature type, seconds a synchronous call sleeps.
        legacy_chat: Accept legacy chat types on ``/api/features`` (raw-text streaming with
            ``?isStreaming=true``); when false they get 400.
        extra_feature_types: Additional ``type -> output kind`` entries.
        prompt_validator: ``(type, model, promptObject) -> error | None``.
        record_requests: Record requests in ``emu.requests``.
        record_bodies: Keep raw bodies (up to 64 KiB) in recorded requests.
    """

    api_key: str = "test-key"
    accept_bearer_auth: bool = False
    webapp_accepts_api_key: bool = True
    login_password: str = "password"  # noqa: S105 - emulator fixture value
    team_id: str = "7f3d2c1b-0a9e-4d8c-b7a6-5e4f3d2c1b0a"
    user_id: str = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
    user_email: str = "emulator@example.com"
    user_name: str = "Emulator User"
    team_name: str = "Emulator Team"
    plan: str = "PRO"
    initial_credits: int = 1_000_000
    credits_per_call: int = 100
    insufficient_credits_status: int = 402
    insufficient_credits_body: dict[str, Any] = field(default_factory=_insufficient_body)
    rate_limit: bool = False
    rate_limit_per_minute: int = 180
    rate_limit_burst: int | None = None
    sse_line_ending: str = "\n"
    stream_words_per_event: int = 1
    repeat_answer_models: tuple[str, ...] = ("gpt-5",)
    moderation_trigger: str = "[moderate-me]"
    history_page_size: int = 20
    default_history_limit: int = 10
    async_delay_s: float = 0.0
    async_pending_polls: int = 0
    async_fail: bool = False
    async_failed_status: str = "FAILED"
    feature_latency_s: dict[str, float] = field(default_factory=dict)
    legacy_chat: bool = False
    extra_feature_types: dict[str, str] = field(default_factory=dict)
    prompt_validator: PromptValidator = validate_prompt_object
    record_requests: bool = True
    record_bodies: bool = False
