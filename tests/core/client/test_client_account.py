"""Account, credits, settings, notifications and the catalog, with exact routes."""

from __future__ import annotations

import pytest
from oneminai_webapi import CreditEstimate, NotificationRecord, UserRecord
from oneminai_webapi.constants import FeatureType
from oneminai_webapi.exceptions import OAuthError

from .conftest import call

NOTIFICATION_ID = "5d7c1b2a-0000-4000-8000-000000000001"


async def test_oauth_login_then_calls_use_x_auth_token_and_webapp_routes(client, emu):
    user = await call(client.oauth_login("ya29.google", referrer_id="ref-1", source="ads"))
    assert isinstance(user, UserRecord)
    assert (user.user_id, user.email, user.team_id) == (
        emu.config.user_id,
        emu.config.user_email,
        emu.team_id,
    )
    assert (
        user.team_name == emu.config.team_name and user.plan == "PRO" and user.credit == emu.credits
    )
    assert "token" not in user.raw  # the JWT never lands in the record

    (login,) = emu.requests
    assert (login.method, login.path) == ("POST", "/auth/oauth")
    assert login.json == {
        "oauthToken": "ya29.google",
        "referral": {"referrerId": "ref-1", "source": "ads"},
    }
    assert login.headers["x-auth-token"] == "Bearer"
    assert login.headers["x-app-version"]
    assert login.headers["mp-identity"].startswith("$device:")
    assert "api-key" not in login.headers

    jwt = client._ctx.credential.reveal()
    assert jwt.startswith("eyJ") and client.auth_kind == "jwt"
    assert jwt not in repr(client) and jwt not in repr(user)

    emu.requests.clear()
    emu.script_replies(["streamed answer"])
    out = await call(client.generate_content("Hello"))  # web app always streams
    assert out.text == "streamed answer"
    (chat,) = emu.requests
    assert (chat.method, chat.path, chat.query) == (
        "POST", f"/teams/{emu.team_id}/features/v2/unified-chat", {"isStreaming": "true"},
    )  # fmt: skip
    assert chat.headers["x-auth-token"] == f"Bearer {jwt}"
    assert "api-key" not in chat.headers
    assert chat.json["conversationId"] == ""
    assert chat.json["metadata"]["messageGroup"].count("_") == 1
    assert chat.json["promptObject"]["prompt"] == "Hello"

    emu.requests.clear()
    session = client.start_chat()
    await call(session.send_message("first"))
    create, turn = emu.requests
    assert create.path == f"/teams/{emu.team_id}/features/conversations"
    assert create.json == {"type": "UNIFY_CHAT_WITH_AI", "title": "first"}
    assert (
        turn.json["conversationId"]
        == turn.json["promptObject"]["conversationId"]
        == session.conversation_id
    )


async def test_oauth_login_failure_is_an_oauth_error(client, emu):
    with pytest.raises(OAuthError) as info:
        await call(client.oauth_login("not-a-google-token"))
    assert info.value.status_code == 401
    assert client.auth_kind == "api_key"  # unchanged
    assert len(emu.requests) == 1


@pytest.fixture(params=["api_key", "jwt"])
async def signed_in(request, client, emu):
    """The client with its API key (accepted in X-Auth-Token), or signed in with oauth_login."""
    if request.param == "jwt":
        await call(client.oauth_login("ya29.x"))
    emu.requests.clear()
    return client


def only(emu, method: str, path: str):
    reqs = [r for r in emu.requests if r.path != "/users" or path == "/users"]
    assert [(r.method, r.path) for r in reqs] == [(method, path)]
    return reqs[0]


async def test_get_current_user(signed_in, emu):
    user = await call(signed_in.get_current_user())
    assert user.team_id == emu.team_id and user.email == emu.config.user_email
    assert emu.requests[-1].path == "/users" and emu.requests[-1].method == "GET"


async def test_get_team_credits(signed_in, emu):
    emu.credits = 4321
    assert await call(signed_in.get_team_credits()) == 4321
    only(emu, "GET", f"/teams/{emu.team_id}/credits")


async def test_estimate_chat_cost(signed_in, emu):
    conv = emu.add_conversation("E")
    est = await call(
        signed_in.estimate_chat_cost(
            "x" * 40,
            ["gpt-4o-mini", "gpt-4o"],
            conversation_id=conv.uuid,
            history_message_limit=5,
            is_mixed=True,
            web_search=True,
            images=["images/a.png"],
            files=["f1"],
        )
    )
    assert isinstance(est, CreditEstimate)
    assert set(est.models) == {"gpt-4o-mini", "gpt-4o"}
    assert est.total_input_tokens == sum(m.input_tokens for m in est.models.values())
    assert est.total_estimated_credit == sum(m.estimated_credit for m in est.models.values())
    req = only(emu, "POST", f"/teams/{emu.team_id}/credits/estimate-chat")
    assert req.json == {
        "prompt": "x" * 40,
        "settings": {
            "historySettings": {"historyMessageLimit": 5, "isMixed": True},
            "webSearchSettings": {"webSearch": True},
        },
        "attachments": {"images": ["images/a.png"], "files": ["f1"]},
        "models": ["gpt-4o-mini", "gpt-4o"],
        "conversationId": conv.uuid,
    }


async def test_list_models_for_one_feature_is_public(client, emu):
    models = await call(client.list_models(FeatureType.UNIFY_CHAT_WITH_AI))
    ids = [m.id for m in models]
    assert "gpt-4o-mini" in ids
    (req,) = emu.requests
    assert (req.method, req.path, req.query) == (
        "GET",
        "/models",
        {"feature": "UNIFY_CHAT_WITH_AI"},
    )
    assert "api-key" not in req.headers and "x-auth-token" not in req.headers
    await call(client.list_models("IMAGE_GENERATOR"))
    assert emu.requests[-1].query == {"feature": "IMAGE_GENERATOR"}


async def test_list_models_without_feature_merges_every_feature(client, emu):
    models = await call(client.list_models())
    features_asked = [r.query["feature"] for r in emu.requests]
    assert len(features_asked) == len(set(features_asked)) > 5
    assert all(r.path == "/models" and "api-key" not in r.headers for r in emu.requests)
    ids = [m.id for m in models]
    assert len(ids) == len(set(ids))  # merged by modelId
    assert "NOT_APPLICABLE" not in ids  # the catalog's placeholder rows are not models
    gpt = next(m for m in models if m.id == "gpt-4o-mini")
    assert {"UNIFY_CHAT_WITH_AI", "CODE_GENERATOR"} <= set(gpt.features)


async def test_list_models_returns_typed_model_info(client, emu):
    from oneminai_webapi import ModelInfo

    models = await call(client.list_models("UNIFY_CHAT_WITH_AI"))
    assert models and all(isinstance(m, ModelInfo) for m in models)
    by_id = {m.id: m for m in models}
    gpt = by_id["gpt-4o-mini"]
    assert (gpt.provider, gpt.status, gpt.active) == ("openai", "ACTIVE", True)
    assert gpt.output_modalities == ["text"] and gpt.credits["INPUT"] == 0.15
    assert gpt.deprecation_date is None
    assert by_id["gpt-4.1-nano"].deprecation_date == "2026-10-21T00:00:00.000Z"
    # Vision comes from modality.INPUT, not from the deprecated CHAT_WITH_IMAGE feature.
    claude = by_id["us.anthropic.claude-sonnet-4-6"]
    assert claude.vision and "CHAT_WITH_IMAGE" not in claude.features
    assert not by_id["deepseek-chat"].vision
    # Code written against the earlier list[dict] keeps working.
    assert gpt["modelId"] == "gpt-4o-mini" and gpt.get("provider") == "openai"
    assert "modality" in gpt and gpt.get("nope", 1) == 1
    assert "raw" not in repr(gpt) and str(gpt) == "gpt-4o-mini"


async def test_list_models_reads_rows_vision_only_from_modality(client, emu):
    emu.catalog.add(
        "acme/legacy-vision",
        ["@chat", "@vision"],
        modality={"INPUT": ["text"], "OUTPUT": ["text"]},
        status="INACTIVE",
        deprecationDate="2026-12-01T00:00:00.000Z",
    )
    (row,) = [
        m for m in await call(client.list_models("CHAT_WITH_IMAGE")) if m.id.startswith("acme")
    ]
    assert "CHAT_WITH_IMAGE" in row.features and row.vision is False
    assert row.status == "INACTIVE" and not row.active
    assert row.deprecation_date == "2026-12-01T00:00:00.000Z"


async def test_list_team_members_tags_studios(signed_in, emu):
    members = await call(signed_in.list_team_members())
    assert members and members[0]["email"] == emu.config.user_email
    only(emu, "GET", f"/teams/{emu.team_id}/members")
    emu.requests.clear()
    assert await call(signed_in.list_tags()) == []
    only(emu, "GET", f"/teams/{emu.team_id}/tags")
    emu.requests.clear()
    assert await call(signed_in.list_studios()) == []
    only(emu, "GET", f"/teams/{emu.team_id}/studios")


async def test_feature_settings_round_trip(signed_in, emu):
    saved = await call(signed_in.update_feature_settings(["gpt-4o", "claude-sonnet-4-6"]))
    req = only(emu, "POST", f"/teams/{emu.team_id}/features/settings/UNIFY_CHAT_WITH_AI")
    assert req.json == {"models": ["gpt-4o", "claude-sonnet-4-6"]}
    assert saved["models"] == ["gpt-4o", "claude-sonnet-4-6"]
    emu.requests.clear()
    got = await call(signed_in.get_feature_settings())
    only(emu, "GET", f"/teams/{emu.team_id}/features/settings/UNIFY_CHAT_WITH_AI")
    assert got["models"] == ["gpt-4o", "claude-sonnet-4-6"] and "lastInputSubmission" in got
    emu.requests.clear()
    await call(signed_in.get_feature_settings(FeatureType.IMAGE_GENERATOR))
    only(emu, "GET", f"/teams/{emu.team_id}/features/settings/IMAGE_GENERATOR")


async def test_update_user_settings_and_notebook(signed_in, emu):
    user = await call(signed_in.update_user_settings(chatbot=False, homepage="social"))
    req = only(emu, "PUT", "/users/settings")
    assert req.json == {"chatbot": False, "homepage": "social"}
    assert user.raw["settings"]["chatbot"] is False
    emu.requests.clear()
    assert await call(signed_in.get_notebook()) is None
    only(emu, "GET", "/users/notebook")


async def test_notifications(signed_in, emu):
    assert await call(signed_in.get_unread_notification_count()) == 1
    only(emu, "GET", "/notifications/unread")
    emu.requests.clear()
    note = await call(signed_in.get_notification(NOTIFICATION_ID))
    assert isinstance(note, NotificationRecord)
    assert (note.notification_id, note.type, note.status) == (NOTIFICATION_ID, "SYSTEM", "UNREAD")
    only(emu, "GET", f"/notifications/{NOTIFICATION_ID}")


async def test_explore_posts(signed_in, emu):
    posts = await call(signed_in.get_explore_posts())
    assert [p["title"] for p in posts] == ["Post 1", "Post 2", "Post 3"]
    # with a custom base URL the social host is the same origin (the emulator serves it)
    only(emu, "GET", "/posts/explore")


async def test_webapp_requests_carry_the_browser_headers(signed_in, emu):
    await call(signed_in.get_team_credits())
    req = emu.requests[-1]
    token = signed_in._ctx.credential.reveal()
    assert req.headers["x-auth-token"] == f"Bearer {token}"
    assert req.headers["origin"] == "https://app.1min.ai"
    assert req.headers["accept"] == "application/json"
    assert "api-key" not in req.headers
