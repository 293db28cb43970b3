"""Conversation methods on both surfaces, with exact routes, bodies and paging."""

from __future__ import annotations

import json

import pytest
from oneminai_webapi import ConversationRecord, MessageRecord
from oneminai_webapi.exceptions import AuthenticationError

from .conftest import call


def team(emu, suffix: str) -> str:
    return f"/teams/{emu.team_id}{suffix}"


def webapp_auth(req, token: str) -> None:
    assert req.headers["x-auth-token"] == f"Bearer {token}"
    assert "api-key" not in req.headers
    assert req.headers["origin"] == "https://app.1min.ai"
    assert req.headers["referer"] == "https://app.1min.ai/"
    assert req.headers["traceparent"].startswith("00-")


async def test_create_conversation_with_api_key_uses_the_official_route(client, emu):
    record = await call(client.create_conversation("Planning", "gpt-4o"))
    assert isinstance(record, ConversationRecord)
    assert record.title == "Planning" and record.status == "ACTIVE"
    assert record.conversation_id in emu.conversations
    (req,) = emu.requests
    assert (req.method, req.path) == ("POST", "/api/conversations")
    assert req.json == {"type": "UNIFY_CHAT_WITH_AI", "title": "Planning", "model": "gpt-4o"}
    assert req.headers["api-key"] == emu.api_key
    # the default model is sent when none is given (the official route requires one)
    await call(client.create_conversation("Default"))
    assert emu.requests[-1].json["model"] == "gpt-4o-mini"


async def test_webapp_conversation_methods_with_api_key(client, emu):
    """With an API key the web-app routes get it in X-Auth-Token (when the service accepts it)."""
    a = emu.add_conversation("First")
    b = emu.add_conversation("Second")

    listed = await call(client.list_conversations())
    assert [c.conversation_id for c in listed] == [b.uuid, a.uuid]
    users, lst = emu.requests
    assert (users.method, users.path) == ("GET", "/users")
    assert (lst.method, lst.path, lst.query) == (
        "GET", team(emu, "/features/conversations"), {"type": "UNIFY_CHAT_WITH_AI"},
    )  # fmt: skip
    webapp_auth(lst, emu.api_key)

    emu.requests.clear()
    got = await call(client.get_conversation(a.uuid))
    assert got.conversation_id == a.uuid and got.title == "First"
    (req,) = emu.requests  # the team id is remembered: no second GET /users
    assert (req.method, req.path) == ("GET", team(emu, f"/features/conversations/{a.uuid}"))

    emu.requests.clear()
    renamed = await call(client.rename_conversation(a.uuid, "Renamed", tag_ids=["t1", "t2"]))
    assert renamed.title == "Renamed"
    (req,) = emu.requests
    assert (req.method, req.path) == ("PUT", team(emu, f"/features/conversations/{a.uuid}"))
    assert req.json == {"title": "Renamed", "tagIds": ["t1", "t2"]}
    assert emu.conversations[a.uuid].title == "Renamed"

    emu.requests.clear()
    await call(client.rename_conversation(a.uuid, "Again"))
    assert emu.requests[0].json == {"title": "Again", "tagIds": []}

    emu.requests.clear()
    assert await call(client.delete_conversation(a.uuid)) is None
    (req,) = emu.requests
    assert (req.method, req.path) == ("DELETE", f"/api/conversations/{a.uuid}")
    assert req.headers["api-key"] == emu.api_key
    assert a.uuid not in emu.conversations
    # deleting one that is already gone counts as deleted (404 tolerated, not retried)
    emu.requests.clear()
    assert await call(client.delete_conversation(a.uuid)) is None
    assert len(emu.requests) == 1


@pytest.mark.onemin_emulator(history_page_size=2)
async def test_get_conversation_messages_follows_every_page(client, emu):
    conv = emu.add_conversation("Paged")
    for i in range(3):  # 6 messages → pages of 2, 2, 2, then an empty page
        await call(client.chat(f"turn {i}", conversation_id=conv.uuid))
    emu.requests.clear()

    messages = await call(client.get_conversation_messages(conv.uuid))
    assert all(isinstance(m, MessageRecord) for m in messages)
    assert [m.content for m in messages][0::2] == ["turn 0", "turn 1", "turn 2"]
    assert [m.role for m in messages] == ["USER", "gpt-4o-mini"] * 3
    assert len({m.message_id for m in messages}) == 6
    assert messages[1].ai_record_id and messages[1].credit is not None

    pages = [r for r in emu.requests if r.path.endswith("/messages/after-id")]
    assert len(pages) == 4
    cursors = [json.loads(r.query["filters"]) for r in pages]
    assert cursors[0] == {"conversationId": conv.uuid, "afterId": None}
    assert [c["afterId"] for c in cursors[1:]] == [
        messages[1].message_id, messages[3].message_id, messages[5].message_id,
    ]  # fmt: skip
    assert all(
        r.path == team(emu, "/features/unified-chat/conversations/messages/after-id") for r in pages
    )

    emu.requests.clear()
    tail = await call(client.get_conversation_messages(conv.uuid, after_id=messages[2].message_id))
    assert [m.message_id for m in tail] == [m.message_id for m in messages[3:]]
    first_filter = json.loads(emu.requests[0].query["filters"])
    assert first_filter["afterId"] == messages[2].message_id


async def test_conversations_after_oauth_login_use_the_jwt_and_team_routes(client, emu):
    user = await call(client.oauth_login("ya29.fake-google-token"))
    assert user.team_id == emu.team_id
    assert client.auth_kind == "jwt"
    token = emu.requests[0].headers  # the login itself
    assert token["x-auth-token"] == "Bearer"
    jwt = client._ctx.credential.reveal()
    assert emu._rt.state.tokens[jwt] is True  # issued by this login
    emu.requests.clear()

    created = await call(client.create_conversation("Web chat", "gpt-4o"))
    (req,) = emu.requests  # team learned at login: no GET /users
    assert (req.method, req.path) == ("POST", team(emu, "/features/conversations"))
    assert req.json == {"type": "UNIFY_CHAT_WITH_AI", "title": "Web chat"}
    webapp_auth(req, jwt)

    await call(client.list_conversations())
    await call(client.get_conversation(created.conversation_id))
    await call(client.rename_conversation(created.conversation_id, "New"))
    await call(client.get_conversation_messages(created.conversation_id))
    emu.requests.clear()
    await call(client.delete_conversation(created.conversation_id))
    (req,) = emu.requests
    assert (req.method, req.path) == (
        "DELETE", team(emu, f"/features/conversations/{created.conversation_id}"),
    )  # fmt: skip
    webapp_auth(req, jwt)
    assert created.conversation_id not in emu.conversations


WEBAPP_ONLY = [
    ("list_conversations", ()),
    ("get_conversation", ("c-1",)),
    ("rename_conversation", ("c-1", "Title")),
    ("get_conversation_messages", ("c-1",)),
    ("get_current_user", ()),
    ("get_team_credits", ()),
    ("estimate_chat_cost", ("Hi", ["gpt-4o-mini"])),
    ("list_team_members", ()),
    ("get_feature_settings", ()),
    ("update_feature_settings", (["gpt-4o"],)),
    ("update_user_settings", ()),
    ("get_notebook", ()),
    ("get_unread_notification_count", ()),
    ("get_notification", ("n-1",)),
    ("get_explore_posts", ()),
    ("list_tags", ()),
    ("list_studios", ()),
    ("upload_asset_from_url", ("https://example.com/cat.png",)),
]


@pytest.mark.onemin_emulator(webapp_accepts_api_key=False)
@pytest.mark.parametrize(("method", "args"), WEBAPP_ONLY, ids=[m for m, _ in WEBAPP_ONLY])
async def test_webapp_only_operation_refusing_the_api_key_says_what_it_needs(
    client, emu, method, args
):
    kwargs = {"chatbot": False} if method == "update_user_settings" else {}
    with pytest.raises(AuthenticationError) as info:
        await call(getattr(client, method)(*args, **kwargs))
    message = str(info.value)
    assert f"{method}()" in message
    assert "web-app" in message
    assert "oauth_login" in message and "JWT" in message
    assert info.value.status_code == 401
    assert info.value.webapp_only == method  # tools can tell "needs a JWT" from "bad key"
    assert len(emu.requests) == 1  # 401 is not retried
    assert emu.api_key not in message and emu.api_key not in repr(info.value)
