"""Small web-app resources: feature settings, notebook, notification count."""

from __future__ import annotations

from typing import Any

from ..exceptions import UnexpectedResponseError
from . import _routes as routes
from ._account import get_json
from ._context import Context
from ._conversations import _webapp, webapp_only
from ._http import Request, Surface
from ._ops import Op, body_json
from ._records import as_dict


def update_feature_settings(ctx: Context, feature: str, models: list[str]) -> Op[Any]:
    """``POST /teams/{t}/features/settings/{FEATURE}`` with the preferred models."""
    team = yield from webapp_only(ctx, "update_feature_settings")
    path = routes.team_path(routes.TEAM_FEATURE_SETTINGS, team, feature=feature)
    response = yield from _webapp(
        ctx,
        "update_feature_settings",
        Request("POST", path, surface=Surface.WEBAPP, json={"models": models}),
    )
    return body_json(response) if response.body.strip() else {}


def notebook(ctx: Context) -> Op[str | None]:
    """``GET /users/notebook`` → the notebook text or None."""
    data = yield from get_json(ctx, "get_notebook", routes.NOTEBOOK, team=False)
    value = as_dict(data).get("notebook")
    return value if isinstance(value, str) else None


def unread_count(ctx: Context) -> Op[int]:
    """``GET /notifications/unread`` → the count."""
    data = yield from get_json(
        ctx, "get_unread_notification_count", routes.NOTIFICATIONS_UNREAD, team=False
    )
    value = as_dict(data).get("unread")
    if isinstance(value, bool) or not isinstance(value, int):
        raise UnexpectedResponseError(
            "The unread-count response has no number.", status_code=200, body=data
        )
    return value
