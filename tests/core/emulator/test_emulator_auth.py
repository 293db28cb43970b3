from __future__ import annotations

import aiohttp
from oneminai_webapi.testing import Emulator

from .conftest import chat_body

UNAUTH = {
    "success": False,
    "error": {"code": "UNAUTHORIZED", "message": "Invalid or missing API key"},
}


async def test_official_requires_api_key(emu: Emulator, session: aiohttp.ClientSession) -> None:
    url = f"{emu.base_url}/api/chat-with-ai"
    for headers in ({}, {"API-KEY": "wrong"}, {"Authorization": f"Bearer {emu.api_key}"}):
        resp = await session.post(url, json=chat_body(), headers=headers)
        assert resp.status == 401
        assert await resp.json() == UNAUTH
    resp = await session.post(url, json=chat_body(), headers={"API-KEY": "test-key"})
    assert resp.status == 200
    resp = await session.get(f"{emu.base_url}/api/results/x", headers={"API-KEY": "nope"})
    assert resp.status == 401


async def test_bearer_flag(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.config.accept_bearer_auth = True
    resp = await session.post(
        f"{emu.base_url}/api/chat-with-ai",
        json=chat_body(),
        headers={"Authorization": "Bearer test-key"},
    )
    assert resp.status == 200


async def test_models_is_public(emu: Emulator, session: aiohttp.ClientSession) -> None:
    resp = await session.get(f"{emu.base_url}/models")
    assert await resp.json() == {"models": [], "total": 0}
    data = await (await session.get(f"{emu.base_url}/models?feature=UNIFY_CHAT_WITH_AI")).json()
    ids = {m["modelId"] for m in data["models"]}
    assert {
        "gpt-4o-mini",
        "gpt-4o",
        "gpt-4.1-nano",
        "gpt-5",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "gemini-2.5-flash",
        "grok-4-0709",
        "deepseek-chat",
    } <= ids
    assert data["total"] == len(data["models"])
    m = data["models"][0]
    for key in (
        "uuid",
        "modelId",
        "name",
        "group",
        "provider",
        "status",
        "features",
        "creditMetadata",
        "modality",
        "information",
        "numberOfStars",
        "createdAt",
    ):
        assert key in m
    tts = await (await session.get(f"{emu.base_url}/models?feature=TEXT_TO_SPEECH")).json()
    assert {m["modelId"] for m in tts["models"]} == {
        "NOT_APPLICABLE",  # the live catalog's placeholder row
        "tts-1",
        "tts-1-hd",
        "google-tts",
        "elevenlabs-tts",
        "qwen3-tts-flash",  # every TTSModel member is served
    }


async def test_webapp_auth(emu: Emulator, session: aiohttp.ClientSession) -> None:
    url = f"{emu.base_url}/users"
    assert (await session.get(url)).status == 401
    resp = await session.get(url, headers={"X-Auth-Token": "Bearer junk"})
    assert resp.status == 401 and await resp.json() == UNAUTH
    # API key in X-Auth-Token is accepted by default...
    assert (await session.get(url, headers=emu.webapp_headers())).status == 200
    # ...and refused with the flag off
    emu.config.webapp_accepts_api_key = False
    assert (await session.get(url, headers=emu.webapp_headers())).status == 401
    # API-KEY header alone never works on the web-app surface
    assert (await session.get(url, headers=emu.official_headers)).status == 401
    token = emu.issue_token()
    assert token.startswith("eyJ") and token.count(".") == 2
    assert (await session.get(url, headers=emu.webapp_headers(token))).status == 200
    emu.expire_token(token)
    resp = await session.get(url, headers=emu.webapp_headers(token))
    assert resp.status == 401
    refreshed = await session.post(f"{emu.base_url}/auth/refresh", json={"expiredToken": token})
    new = (await refreshed.json())["user"]["token"]
    assert (await session.get(url, headers=emu.webapp_headers(new))).status == 200


async def test_oauth(emu: Emulator, session: aiohttp.ClientSession) -> None:
    url = f"{emu.base_url}/auth/oauth"
    bad = await session.post(url, json={"oauthToken": "nope"}, headers={"X-Auth-Token": "Bearer"})
    assert bad.status == 401
    ok = await session.post(
        url,
        json={"oauthToken": "ya29.abc", "referral": {"referrerId": None, "source": None}},
        headers={"X-Auth-Token": "Bearer"},
    )
    assert ok.status == 200
    user = (await ok.json())["user"]
    assert user["token"].startswith("eyJ")
    team = user["teams"][0]
    assert team["team"]["uuid"] == emu.team_id == team["teamId"]
    assert {"uuid", "name", "credit", "subscription"} <= set(team["team"])
    me = await session.get(f"{emu.base_url}/users", headers=emu.webapp_headers(user["token"]))
    assert (await me.json())["user"]["email"] == user["email"]


async def test_wrong_team(emu: Emulator, session: aiohttp.ClientSession) -> None:
    resp = await session.get(
        f"{emu.base_url}/teams/other-team/credits", headers=emu.webapp_headers()
    )
    assert resp.status == 403
    assert (await resp.json())["error"]["code"] == "FORBIDDEN"


async def test_unknown_route(emu: Emulator, session: aiohttp.ClientSession) -> None:
    resp = await session.get(f"{emu.base_url}/api/nope", headers=emu.official_headers)
    assert resp.status == 404
    assert (await resp.json())["success"] is False
