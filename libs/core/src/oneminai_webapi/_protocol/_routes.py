"""Every path of both 1min.AI API surfaces, in one place."""

from __future__ import annotations

from urllib.parse import quote

# Official API-key API
CHAT = "/api/chat-with-ai"
FEATURES = "/api/features"
ASSETS = "/api/assets"
CONVERSATIONS = "/api/conversations"
RESULTS = "/api/results"
MODELS = "/models"

# Web-app API (team-scoped)
OAUTH = "/auth/oauth"
USERS = "/users"
USER_SETTINGS = "/users/settings"
NOTEBOOK = "/users/notebook"
NOTIFICATIONS_UNREAD = "/notifications/unread"
NOTIFICATIONS = "/notifications"
EXPLORE_POSTS = "/posts/explore"

TEAM_CHAT = "/teams/{team}/features/v2/unified-chat"
TEAM_FEATURES = "/teams/{team}/features"
TEAM_ASSETS = "/teams/{team}/assets"
TEAM_CONVERSATIONS = "/teams/{team}/features/conversations"
TEAM_MESSAGES = "/teams/{team}/features/unified-chat/conversations/messages/after-id"
TEAM_CREDITS = "/teams/{team}/credits"
TEAM_ESTIMATE = "/teams/{team}/credits/estimate-chat"
TEAM_FEATURE_SETTINGS = "/teams/{team}/features/settings/{feature}"
TEAM_MEMBERS = "/teams/{team}/members"
TEAM_TAGS = "/teams/{team}/tags"
TEAM_STUDIOS = "/teams/{team}/studios"

STREAMING_QUERY = {"isStreaming": "true"}


def segment(value: str, what: str = "id") -> str:
    """Percent-encode one path segment, refusing values that would change the path.

    Raises:
        InvalidRequestError: for an empty value, ``.``/``..`` (also percent-encoded).
    """
    from ..exceptions import InvalidRequestError

    if not isinstance(value, str) or not value.strip():
        raise InvalidRequestError(f"{what} must be a non-empty string")
    decoded = value.replace("%2e", ".").replace("%2E", ".")
    if decoded in (".", ".."):
        raise InvalidRequestError(f"{what} {value!r} is not a valid path segment")
    return quote(value, safe="")


def team_path(template: str, team: str, **params: str) -> str:
    """Fill a team-scoped template with encoded segments."""
    return template.format(
        team=segment(team, "team id"), **{k: segment(v) for k, v in params.items()}
    )
