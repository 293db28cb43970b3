from __future__ import annotations

import aiohttp
from oneminai_webapi.testing import ChatTurn, Emulator

from .conftest import chat_body, parse_sse


async def post_chat(
    emu: Emulator, session: aiohttp.ClientSession, body: dict, stream: bool = False
) -> aiohttp.ClientResponse:
    url = f"{emu.base_url}/api/chat-with-ai" + ("?isStreaming=true" if stream else "")
    return await session.post(url, json=body, headers=emu.official_headers)


async def test_non_streaming_record_shape(emu: Emulator, session: aiohttp.ClientSession) -> None:
    resp = await post_chat(emu, session, chat_body("Hello"))
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("application/json")
    rec = (await resp.json())["aiRecord"]
    for key in (
        "uuid",
        "userId",
        "teamId",
        "teamUser",
        "model",
        "type",
        "metadata",
        "rating",
        "feedback",
        "conversationId",
        "status",
        "createdAt",
        "aiRecordDetail",
        "additionalData",
    ):
        assert key in rec
    assert rec["status"] == "SUCCESS"
    assert rec["type"] == "UNIFY_CHAT_WITH_AI"
    assert rec["model"] == "gpt-4o-mini"
    assert rec["conversationId"] is None
    assert rec["aiRecordDetail"]["resultObject"] == ["Echo from gpt-4o-mini: Hello"]
    # Live records echo the promptObject with the pages read added (the shape source SF of docs/protocol.md shows).
    assert rec["aiRecordDetail"]["promptObject"] == {
        "prompt": "Hello",
        "linkContentList": [],
        "searchContentList": [],
    }
    assert rec["teamUser"]["role"] == "ADMIN"
    assert rec["createdAt"].endswith("Z")
    # the record is retrievable
    got = await session.get(
        f"{emu.base_url}/api/results/{rec['uuid']}", headers=emu.official_headers
    )
    assert (await got.json())["aiRecord"]["uuid"] == rec["uuid"]


async def test_sse_framing_exact(emu: Emulator, session: aiohttp.ClientSession) -> None:
    resp = await post_chat(emu, session, chat_body("Hello world"), stream=True)
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "text/event-stream"
    raw = await resp.read()
    text = raw.decode()
    assert text.startswith(
        'event: content\ndata: {"content":"Echo "}\n\nevent: content\ndata: {"content":"from "}\n\n'
    )
    assert "\r" not in text
    events = parse_sse(raw)
    names = [e for e, _ in events]
    assert names == ["content"] * 5 + ["result", "done"]
    deltas = "".join(d["content"] for e, d in events if e == "content")
    assert deltas == "Echo from gpt-4o-mini: Hello world"
    assert events[-2][1]["aiRecord"]["aiRecordDetail"]["resultObject"] == [deltas]
    assert text.endswith('event: done\ndata: {"message":"Stream completed"}\n\n')


async def test_validation_and_unsupported_model(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    resp = await post_chat(emu, session, chat_body(model="gpt-2"))
    assert resp.status == 400
    assert await resp.json() == {
        "errorCode": "UNSUPPORTED_MODEL",
        "message": "Model gpt-2 is not supported",
    }
    resp = await post_chat(emu, session, {"model": "gpt-4o-mini", "promptObject": {}})
    assert resp.status == 400
    body = await resp.json()
    assert body["success"] is False and body["error"]["code"] == "VALIDATION_ERROR"
    assert body["error"]["details"]


async def test_history_and_limit(emu: Emulator, session: aiohttp.ClientSession) -> None:
    conv = emu.add_conversation()
    for i in range(3):
        resp = await post_chat(emu, session, chat_body(f"turn {i}", conversationId=conv.uuid))
        rec = (await resp.json())["aiRecord"]
        assert rec["conversationId"] == conv.uuid
    assert rec["aiRecordDetail"]["resultObject"][0].endswith("[4 earlier messages in context]")
    assert len(conv.messages) == 6
    assert conv.messages[0].role == "USER" and conv.messages[1].role == "gpt-4o-mini"
    seen: list[ChatTurn] = []

    def capture(turn: ChatTurn) -> str:
        seen.append(turn)
        return "ok"

    emu.script_replies([capture])
    settings = {"historySettings": {"historyMessageLimit": 3, "isMixed": False}}
    await post_chat(emu, session, chat_body("next", conversationId=conv.uuid, settings=settings))
    assert [m.content for m in seen[0].history] == [
        "Echo from gpt-4o-mini: turn 1 [2 earlier messages in context]",
        "turn 2",
        "Echo from gpt-4o-mini: turn 2 [4 earlier messages in context]",
    ]
    # isMixed=false hides other models' turns
    resp = await post_chat(emu, session, chat_body("x", model="gpt-4o", conversationId=conv.uuid))
    assert (await resp.json())["aiRecord"]["aiRecordDetail"]["resultObject"] == [
        "Echo from gpt-4o: x"
    ]
    mixed = {"historySettings": {"historyMessageLimit": 2, "isMixed": True}}
    resp = await post_chat(
        emu, session, chat_body("y", model="gpt-4o", conversationId=conv.uuid, settings=mixed)
    )
    assert (
        "2 earlier messages" in (await resp.json())["aiRecord"]["aiRecordDetail"]["resultObject"][0]
    )


async def test_conversation_ids(emu: Emulator, session: aiohttp.ClientSession) -> None:
    resp = await post_chat(emu, session, chat_body(conversationId="UNIFY_CHAT_WITH_AI"))
    assert (await resp.json())["aiRecord"]["conversationId"] == "UNIFY_CHAT_WITH_AI"
    resp = await post_chat(
        emu, session, chat_body(conversationId="0d5e0c8e-1111-4222-8333-444455556666")
    )
    assert resp.status == 404
    assert (await resp.json())["error"]["code"] == "NOT_FOUND"


async def test_scripted_replies_fifo(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.script_replies(["first", lambda t: f"second saw {t.prompt!r} on {t.model}"])
    assert emu.pending_replies == 2
    texts = []
    for p in ("a", "b", "c"):
        rec = (await (await post_chat(emu, session, chat_body(p))).json())["aiRecord"]
        texts.append(rec["aiRecordDetail"]["resultObject"][0])
    assert texts == ["first", "second saw 'b' on gpt-4o-mini", "Echo from gpt-4o-mini: c"]


async def test_attachments_and_web_search(emu: Emulator, session: aiohttp.ClientSession) -> None:
    body = chat_body(
        "Look",
        attachments={"images": ["images/x.png"], "files": ["f1", "f2"]},
        settings={"webSearchSettings": {"webSearch": True, "numOfSite": 2}},
    )
    rec = (await (await post_chat(emu, session, body)).json())["aiRecord"]
    text = rec["aiRecordDetail"]["resultObject"][0]
    assert "attachments: 1 image(s), 2 file(s)" in text and "web search on" in text
    sources = rec["aiRecordDetail"]["promptObject"]["searchContentList"]
    assert len(sources) == 2 and {"title", "link", "snippet"} <= set(sources[0])
    assert "sources" not in rec["aiRecordDetail"]  # an invented field the service never sent


async def test_credits_exhausted(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.credits = emu.config.credits_per_call
    assert (await post_chat(emu, session, chat_body())).status == 200
    assert emu.credits == 0
    resp = await post_chat(emu, session, chat_body())
    assert resp.status == 402
    assert await resp.json() == {
        "success": False,
        "error": {"code": "INSUFFICIENT_CREDITS", "message": "Insufficient credits"},
    }
    emu.config.insufficient_credits_status = 400
    assert (await post_chat(emu, session, chat_body())).status == 400


async def test_rate_limit(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.config.rate_limit = True
    emu.config.rate_limit_per_minute = 3
    statuses = [(await post_chat(emu, session, chat_body())).status for _ in range(3)]
    assert statuses == [200, 200, 200]
    resp = await post_chat(emu, session, chat_body())
    assert resp.status == 429
    assert int(resp.headers["Retry-After"]) >= 1
    assert (await resp.json())["error"]["code"] == "RATE_LIMITED"


async def test_non_ascii_stream(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.script_replies(["Zażółć gęślą jaźń 🎉"])
    raw = await (await post_chat(emu, session, chat_body(), stream=True)).read()
    events = parse_sse(raw)
    assert "".join(d["content"] for e, d in events if e == "content") == "Zażółć gęślą jaźń 🎉"
    assert "🎉".encode() in raw  # raw UTF-8, not \\u escapes


async def test_words_per_event(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.config.stream_words_per_event = 100
    events = parse_sse(await (await post_chat(emu, session, chat_body(), stream=True)).read())
    assert [e for e, _ in events] == ["content", "result", "done"]
