"""Account, credits, settings, notifications and the model catalog.

What the live catalog looks like: ``docs/protocol.md``, "The model catalog".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..exceptions import APIError, InvalidRequestError, OAuthError, UnexpectedResponseError
from . import _routes as routes
from ._chat import ChatOptions, require_text
from ._context import Context, Credential
from ._conversations import _webapp, webapp_only
from ._errors import check_envelope
from ._http import Request, Surface
from ._ops import Op, body_json, send
from ._records import as_dict

if TYPE_CHECKING:
    from ..types import CreditEstimate, ModelInfo, NotificationRecord, UserRecord

APP_VERSION = "1.1.45"


def user_from_body(data: Any) -> UserRecord:
    """Parse ``{"user": {...}}``: the first team membership names the team."""
    from ..types import UserRecord

    check_envelope(data)
    user = as_dict(as_dict(data).get("user"))
    if not user:
        raise UnexpectedResponseError("The response has no user.", status_code=200)
    teams = user.get("teams") if isinstance(user.get("teams"), list) else []
    membership = as_dict(teams[0]) if teams else {}
    team = as_dict(membership.get("team"))
    credit = team.get("credit")
    public = {k: v for k, v in user.items() if k != "token"}  # the JWT never lands in raw
    return UserRecord(
        user_id=str(user.get("uuid") or ""),
        email=str(user.get("email") or ""),
        team_id=str(team.get("uuid") or membership.get("teamId") or ""),
        team_name=str(team.get("name") or ""),
        credit=int(credit)
        if isinstance(credit, (int, float)) and not isinstance(credit, bool)
        else 0,
        plan=str(as_dict(team.get("subscription")).get("plan") or ""),
        raw=public,
    )


def oauth_login(
    ctx: Context, oauth_token: str, referrer_id: str | None, source: str | None, device_id: str
) -> Op[UserRecord]:
    """Exchange a Google access token for the service's JWT; later calls use the JWT."""
    require_text(oauth_token, "oauth_token")
    request = Request(
        "POST",
        routes.OAUTH,
        surface=Surface.PUBLIC,
        json={"oauthToken": oauth_token, "referral": {"referrerId": referrer_id, "source": source}},
        extra_headers={
            "X-Auth-Token": "Bearer",
            "X-App-Version": APP_VERSION,
            "MP-Identity": f"$device:{device_id}",
            "Origin": "https://app.1min.ai",
            "Referer": "https://app.1min.ai/",
        },
    )
    try:
        response = yield from send(request)
    except APIError as exc:
        raise OAuthError(
            f"Google sign-in failed: {exc.message}", status_code=exc.status_code
        ) from None
    try:
        data = body_json(response)
    except APIError:
        raise OAuthError(
            "Google sign-in returned an unreadable body.", status_code=response.status
        ) from None
    token = as_dict(as_dict(data).get("user")).get("token")
    if not isinstance(token, str) or not token:
        raise OAuthError("Google sign-in returned no session token.", status_code=response.status)
    user = user_from_body(data)
    ctx.credential = Credential(token, "jwt")
    ctx.team_id = user.team_id or None
    return user


def current_user(ctx: Context) -> Op[UserRecord]:
    """``GET /users`` (web-app only); also remembers the team id."""
    yield from webapp_only(ctx, "get_current_user")
    response = yield from _webapp(
        ctx, "get_current_user", Request("GET", routes.USERS, surface=Surface.WEBAPP)
    )
    user = user_from_body(body_json(response))
    return user


def update_user_settings(ctx: Context, settings: dict[str, Any]) -> Op[UserRecord]:
    """``PUT /users/settings``."""
    if not settings:
        raise InvalidRequestError("update_user_settings needs at least one setting")
    yield from webapp_only(ctx, "update_user_settings")
    response = yield from _webapp(
        ctx,
        "update_user_settings",
        Request("PUT", routes.USER_SETTINGS, surface=Surface.WEBAPP, json=settings),
    )
    return user_from_body(body_json(response))


def get_json(ctx: Context, operation: str, path: str, *, team: bool, **params: str) -> Op[Any]:
    """GET a web-app resource and return its JSON (``path`` may be a team template)."""
    team_id = yield from webapp_only(ctx, operation)
    if team:
        path = routes.team_path(path, team_id, **params)
    response = yield from _webapp(ctx, operation, Request("GET", path, surface=Surface.WEBAPP))
    data = body_json(response)
    check_envelope(data)
    return data


def team_credits(ctx: Context) -> Op[int]:
    """``GET /teams/{t}/credits`` → the credit balance."""
    data = yield from get_json(ctx, "get_team_credits", routes.TEAM_CREDITS, team=True)
    credit = as_dict(data).get("credit")
    if isinstance(credit, bool) or not isinstance(credit, (int, float)):
        raise UnexpectedResponseError(
            "The credits response has no number.", status_code=200, body=data
        )
    return int(credit)


def estimate(ctx: Context, options: ChatOptions, models: Sequence[str]) -> Op[CreditEstimate]:
    """``POST /teams/{t}/credits/estimate-chat`` (the credit estimate)."""
    model_ids = [require_text(getattr(m, "value", m), "model") for m in models]
    if not model_ids:
        raise InvalidRequestError("estimate_chat_cost needs at least one model")
    team = yield from webapp_only(ctx, "estimate_chat_cost")
    body: dict[str, Any] = {
        "prompt": options.prompt,
        "settings": {
            "historySettings": {
                "historyMessageLimit": options.history_message_limit,
                "isMixed": options.is_mixed,
            },
            "webSearchSettings": {"webSearch": options.web_search},
        },
        "attachments": {"images": list(options.images), "files": list(options.files)},
        "models": model_ids,
    }
    if options.conversation_id:
        body["conversationId"] = options.conversation_id
    request = Request(
        "POST", routes.team_path(routes.TEAM_ESTIMATE, team), surface=Surface.WEBAPP, json=body
    )
    response = yield from _webapp(ctx, "estimate_chat_cost", request)
    data = as_dict(body_json(response))
    check_envelope(data)
    from ..types import CreditEstimate, ModelCreditEstimate

    per_model = {
        name: ModelCreditEstimate(
            input_tokens=int(as_dict(v).get("inputTokens") or 0),
            estimated_credit=float(as_dict(v).get("estimatedCredit") or 0),
        )
        for name, v in as_dict(data.get("models")).items()
    }
    total = as_dict(data.get("total"))
    return CreditEstimate(
        models=per_model,
        total_input_tokens=int(
            total.get("inputTokens") or sum(m.input_tokens for m in per_model.values())
        ),
        total_estimated_credit=float(
            total.get("estimatedCredit") or sum(m.estimated_credit for m in per_model.values())
        ),
        raw=data,
    )


def list_key(
    ctx: Context, operation: str, path: str, key: str, *, team: bool = True
) -> Op[list[Any]]:
    """GET a web-app list resource and return the list under ``key``."""
    data = yield from get_json(ctx, operation, path, team=team)
    items = as_dict(data).get(key)
    return list(items) if isinstance(items, list) else []


def feature_path(feature: str) -> str:
    """Validate a feature name for the settings route."""
    value = require_text(getattr(feature, "value", feature), "feature")
    return routes.segment(value, "feature")


def notification(ctx: Context, notification_id: str) -> Op[NotificationRecord]:
    """``GET /notifications/{id}``."""
    path = f"{routes.NOTIFICATIONS}/{routes.segment(notification_id, 'notification_id')}"
    data = yield from get_json(ctx, "get_notification", path, team=False)
    item = as_dict(as_dict(data).get("notification"))
    from ..types import NotificationRecord

    return NotificationRecord(
        notification_id=str(item.get("uuid") or notification_id),
        type=str(item.get("type") or ""),
        scope=str(item.get("scope") or ""),
        content=item.get("content"),
        status=str(item.get("status") or ""),
        raw=item,
    )


#: The catalog's placeholder ``modelId`` (a row per feature that is not a model).
NOT_APPLICABLE = "NOT_APPLICABLE"


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value if isinstance(v, str)] if isinstance(value, list) else []


def model_info(row: dict[str, Any], feature: str | None = None) -> ModelInfo | None:
    """A catalog row as :class:`ModelInfo` (``None`` for placeholder or id-less rows)."""
    from ..types import ModelInfo

    model_id = row.get("modelId")
    if not isinstance(model_id, str) or not model_id or model_id == NOT_APPLICABLE:
        return None
    modality = as_dict(row.get("modality"))
    features = _strings(row.get("features")) or ([feature] if feature else [])
    deprecation = row.get("deprecationDate")
    return ModelInfo(
        id=model_id,
        name=str(row.get("name") or ""),
        provider=str(row.get("provider") or ""),
        features=features,
        input_modalities=_strings(modality.get("INPUT")),
        output_modalities=_strings(modality.get("OUTPUT")),
        status=str(row.get("status") or ""),
        deprecation_date=deprecation if isinstance(deprecation, str) and deprecation else None,
        credits=dict(as_dict(row.get("creditMetadata"))),
        raw=row,
    )


def models(feature: str) -> Op[list[ModelInfo]]:
    """The public catalog for one feature: ``GET /models?feature=X`` (no credential).

    The catalog's ``NOT_APPLICABLE`` placeholder rows are left out.
    """
    value = require_text(getattr(feature, "value", feature), "feature")
    response = yield from send(
        Request("GET", routes.MODELS, surface=Surface.PUBLIC, query={"feature": value})
    )
    data = body_json(response)
    check_envelope(data)
    items = as_dict(data).get("models")
    rows = [m for m in items if isinstance(m, dict)] if isinstance(items, list) else []
    return [info for info in (model_info(m, value) for m in rows) if info is not None]


def all_models(features: Iterable[str]) -> Op[list[ModelInfo]]:
    """Every model of every feature, merged by id (``/models`` alone returns [])."""
    merged: dict[str, ModelInfo] = {}
    for feature in features:
        for model in (yield from models(feature)):
            known = merged.get(model.id)
            if known is None:
                merged[model.id] = model
                continue
            for f in model.features or [feature]:
                if f not in known.features:
                    known.features.append(f)
    return list(merged.values())
