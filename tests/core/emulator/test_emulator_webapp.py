from __future__ import annotations

import json
from urllib.parse import quote

import aiohttp
from oneminai_webapi.testing import Emulator

from .conftest import chat_body, parse_sse


def team(emu: Emulator, path: str) -> str:
    return f"{emu.base_url}/teams/{emu.team_id}{path}"


async def test_unified_chat_stream(emu: Emulator, session: aiohttp.ClientSession) -> None:
    token = emu.issue_token()
    h = emu.webapp_headers(token)
    conv = await (
        await session.post(
            team(emu, "/features/conversations"),
            json={"type": "UNIFY_CHAT_WITH_AI", "title": "T"},
            headers=h,
        )
    ).json()
    cid = conv["conversation"]["uuid"]
    body = chat_body("hi", conversationId=cid)
    body["conversationId"] = cid
    body["metadata"] = {"messageGroup": "1727596968593_71"}
    resp = await session.post(
        team(emu, "/features/v2/unified-chat?isStreaming=true"), json=body, headers=h
    )
    assert resp.headers["Content-Type"] == "text/event-stream"
    events = parse_sse(await resp.read())
    assert [e for e, _ in events][-2:] == ["result", "done"]
    rec = events[-2][1]["aiRecord"]
    assert rec["conversationId"] == cid and rec["metadata"]["messageGroup"] == "1727596968593_71"
    # Live chat records also carry their cost in metadata (credit = inputCredit + outputCredit).
    meta = rec["metadata"]
    assert meta["credit"] == meta["inputCredit"] + meta["outputCredit"] == 100


async def test_conversations_crud(emu: Emulator, session: aiohttp.ClientSession) -> None:
    h = emu.webapp_headers()
    url = team(emu, "/features/conversations")
    created = await session.post(
        url, json={"type": "UNIFY_CHAT_WITH_AI", "title": "First"}, headers=h
    )
    c1 = (await created.json())["conversation"]
    assert {"uuid", "title", "status", "createdAt"} <= set(c1)
    await session.post(url, json={"type": "UNIFY_CHAT_WITH_AI", "title": "Second"}, headers=h)
    listed = (await (await session.get(f"{url}?type=UNIFY_CHAT_WITH_AI", headers=h)).json())[
        "conversationList"
    ]
    assert [c["title"] for c in listed] == ["Second", "First"]
    got = await session.get(f"{url}/{c1['uuid']}", headers=h)
    assert (await got.json())["conversation"]["uuid"] == c1["uuid"]
    put = await session.put(
        f"{url}/{c1['uuid']}", json={"title": "Renamed", "tagIds": ["t1"]}, headers=h
    )
    assert (await put.json())["conversation"]["title"] == "Renamed"
    assert emu.conversations[c1["uuid"]].tag_ids == ["t1"]
    assert (await session.delete(f"{url}/{c1['uuid']}", headers=h)).status == 200
    assert (await session.get(f"{url}/{c1['uuid']}", headers=h)).status == 404
    assert (await session.delete(f"{url}/{c1['uuid']}", headers=h)).status == 404
    too_long = await session.post(
        url, json={"type": "UNIFY_CHAT_WITH_AI", "title": "x" * 92}, headers=h
    )
    assert too_long.status == 400


async def test_official_conversations(emu: Emulator, session: aiohttp.ClientSession) -> None:
    h = emu.official_headers
    url = f"{emu.base_url}/api/conversations"
    ok = await session.post(
        url,
        json={"type": "UNIFY_CHAT_WITH_AI", "title": "x" * 91, "model": "gpt-4o-mini"},
        headers=h,
    )
    assert ok.status == 200
    conv = (await ok.json())["conversation"]
    assert conv["status"] == "ACTIVE"
    for bad in (
        {"title": "t", "model": "gpt-4o-mini"},
        {"type": "UNIFY_CHAT_WITH_AI", "model": "gpt-4o-mini"},
        {"type": "UNIFY_CHAT_WITH_AI", "title": "t"},
        {"type": "UNIFY_CHAT_WITH_AI", "title": "x" * 92, "model": "gpt-4o-mini"},
    ):
        resp = await session.post(url, json=bad, headers=h)
        assert resp.status == 400, bad
        assert (await resp.json())["error"]["code"] == "VALIDATION_ERROR"
    assert (await session.delete(f"{url}/{conv['uuid']}", headers=h)).status == 200
    assert (await session.delete(f"{url}/{conv['uuid']}", headers=h)).status == 404


async def test_messages_paging(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.config.history_page_size = 4
    conv = emu.add_conversation()
    for i in range(5):
        await session.post(
            f"{emu.base_url}/api/chat-with-ai",
            json=chat_body(f"m{i}", conversationId=conv.uuid),
            headers=emu.official_headers,
        )
    url = team(emu, "/features/unified-chat/conversations/messages/after-id")
    after = None
    pages = []
    while True:
        filters = quote(json.dumps({"conversationId": conv.uuid, "afterId": after}))
        page = (
            await (
                await session.get(f"{url}?filters={filters}", headers=emu.webapp_headers())
            ).json()
        )["messageList"]
        if not page:
            break
        pages.append(page)
        after = page[-1]["uuid"]
    assert [len(p) for p in pages] == [4, 4, 2]
    flat = [m for p in pages for m in p]
    assert [m["role"] for m in flat[:2]] == ["USER", "gpt-4o-mini"]
    assert flat[0]["content"] == "m0"
    assert {"role", "content", "aiRecordId", "credit", "executionTime"} <= set(flat[1])
    bad = await session.get(
        f"{url}?filters={quote(json.dumps({'conversationId': 'nope'}))}",
        headers=emu.webapp_headers(),
    )
    assert bad.status == 404


async def test_account_routes(emu: Emulator, session: aiohttp.ClientSession) -> None:
    h = emu.webapp_headers()
    get = lambda path: session.get(f"{emu.base_url}{path}", headers=h)  # noqa: E731
    assert (await (await get(f"/teams/{emu.team_id}/credits")).json()) == {"credit": emu.credits}
    settings = await session.put(
        f"{emu.base_url}/users/settings", json={"homepage": "social"}, headers=h
    )
    assert (await settings.json())["user"]["settings"]["homepage"] == "social"
    assert await (await get("/users/notebook")).json() == {"notebook": None}
    assert "members" in await (await get(f"/teams/{emu.team_id}/members")).json()
    assert await (await get(f"/teams/{emu.team_id}/tags")).json() == {"tagList": []}
    assert await (await get(f"/teams/{emu.team_id}/studios")).json() == {"studioList": []}
    assert await (await get("/notifications/unread")).json() == {"unread": 1}
    nid = next(iter(emu._rt.state.notifications))
    note = (await (await get(f"/notifications/{nid}")).json())["notification"]
    assert {"uuid", "type", "scope", "content", "status"} <= set(note)
    assert (await get("/notifications/unknown")).status == 404
    assert "data" in await (await get("/posts/explore")).json()


async def test_estimate(emu: Emulator, session: aiohttp.ClientSession) -> None:
    url = team(emu, "/credits/estimate-chat")
    body = {
        "prompt": "x" * 40,
        "models": ["gpt-4.1-nano", "gpt-4o"],
        "settings": {"historySettings": {"historyMessageLimit": 8, "isMixed": False}},
    }
    data = await (await session.post(url, json=body, headers=emu.webapp_headers())).json()
    assert data["models"]["gpt-4.1-nano"]["inputTokens"] == 10
    assert set(data["models"]["gpt-4o"]) == {"inputTokens", "estimatedCredit"}
    assert data["total"]["estimatedCredit"] == sum(
        m["estimatedCredit"] for m in data["models"].values()
    )
    bad = await session.post(
        url, json={"prompt": "x", "models": ["nope"]}, headers=emu.webapp_headers()
    )
    assert bad.status == 400


async def test_feature_settings(emu: Emulator, session: aiohttp.ClientSession) -> None:
    url = team(emu, "/features/settings/IMAGE_GENERATOR")
    first = await (await session.get(url, headers=emu.webapp_headers())).json()
    assert first["lastInputSubmission"] is None
    await session.post(
        f"{emu.base_url}/api/features",
        headers=emu.official_headers,
        json={"type": "IMAGE_GENERATOR", "model": "dall-e-3", "promptObject": {"prompt": "p"}},
    )
    saved = await session.post(url, json={"models": ["dall-e-3"]}, headers=emu.webapp_headers())
    data = await saved.json()
    assert data["models"] == ["dall-e-3"]
    assert data["lastInputSubmission"]["promptObject"] == {"prompt": "p"}
