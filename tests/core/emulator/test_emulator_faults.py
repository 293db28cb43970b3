from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from oneminai_webapi.testing import Emulator, Fault

from .conftest import chat_body, parse_sse

CHAT = "/api/chat-with-ai"


async def chat(
    emu: Emulator, session: aiohttp.ClientSession, stream: bool = True, **kw
) -> aiohttp.ClientResponse:
    url = f"{emu.base_url}{CHAT}" + ("?isStreaming=true" if stream else "")
    return await session.post(url, json=chat_body(), headers=emu.official_headers, **kw)


async def test_status_fault_times_and_path(emu: Emulator, session: aiohttp.ClientSession) -> None:
    handle = emu.inject(Fault.status(429, headers={"Retry-After": "1"}), times=2, path=CHAT)
    # another path is not affected
    assert (await session.get(f"{emu.base_url}/models")).status == 200
    for _ in range(2):
        resp = await chat(emu, session, stream=False)
        assert resp.status == 429 and resp.headers["Retry-After"] == "1"
        assert (await resp.json())["error"]["code"] == "RATE_LIMITED"
    assert handle.hits == 2 and not handle.active
    assert (await chat(emu, session, stream=False)).status == 200


async def test_status_bodies(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.inject(Fault.status(500))
    emu.inject(Fault.status(503, "busy"))
    emu.inject(Fault.status(502, {"message": "bad"}))
    r1, r2, r3 = [await chat(emu, session, stream=False) for _ in range(3)]
    assert r1.status == 500 and (await r1.json())["success"] is False
    assert r2.status == 503 and await r2.text() == "busy"
    assert r3.status == 502 and await r3.json() == {"message": "bad"}


async def test_cloudflare(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.inject(Fault.cloudflare(403))
    resp = await session.get(f"{emu.base_url}/users", headers=emu.webapp_headers())
    assert resp.status == 403 and resp.headers["cf-mitigated"] == "challenge"
    assert resp.headers["Content-Type"].startswith("text/html")
    assert "Just a moment" in await resp.text()


async def test_redirect_and_cookies(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.inject(Fault.redirect("https://evil.example/steal", 307))
    resp = await chat(emu, session, stream=False, allow_redirects=False)
    assert resp.status == 307 and resp.headers["Location"] == "https://evil.example/steal"
    emu.inject(Fault.set_cookie("__cf_bm", "abc"))
    emu.inject(Fault.headers({"X-Request-Id": "req-1"}))
    resp = await chat(emu, session)
    assert resp.status == 200
    assert resp.headers.getall("Set-Cookie")[0].startswith("__cf_bm=abc")
    assert resp.headers["X-Request-Id"] == "req-1"
    await resp.read()


async def test_disconnect(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.inject(Fault.disconnect())
    with pytest.raises(aiohttp.ClientError):
        await chat(emu, session, stream=False)
    assert (await chat(emu, session, stream=False)).status == 200


async def test_cut_after(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.inject(Fault.cut_after(3))
    resp = await chat(emu, session)
    assert resp.status == 200
    chunks = []
    with pytest.raises(aiohttp.ClientPayloadError):
        async for chunk in resp.content.iter_any():
            chunks.append(chunk)
    resp.close()
    events = parse_sse(b"".join(chunks))
    assert [e for e, _ in events] == ["content"] * 3
    assert emu.stats.open_streams == 0


async def test_stream_faults_only_hit_streams(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    emu.inject(Fault.cut_after(1))
    assert (await chat(emu, session, stream=False)).status == 200  # not consumed
    assert len(emu.armed_faults) == 1


async def test_error_after(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.inject(Fault.error_after(2, "model overloaded"))
    events = parse_sse(await (await chat(emu, session)).read())
    assert events == [
        ("content", {"content": "Echo "}),
        ("content", {"content": "from "}),
        ("error", {"error": "model overloaded"}),
    ]


async def test_crlf_multiline_comments_nospace(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    emu.inject(Fault.crlf())
    emu.inject(Fault.multiline_data())
    emu.inject(Fault.keepalive_comments())
    raw = await (await chat(emu, session)).read()
    text = raw.decode()
    assert "\r\n\r\n" in text and "\n\n" not in text.replace("\r\n", "")
    assert text.startswith(
        ": keep-alive\r\n\r\n"
        'event: content\r\ndata: {\r\ndata:  "content": "Echo "\r\ndata: }\r\n\r\n'
    )
    events = parse_sse(raw)
    assert [e for e, _ in events][-2:] == ["result", "done"]
    assert "".join(d["content"] for e, d in events if e == "content").startswith("Echo from")
    emu.inject(Fault.no_space_after_colon())
    text = (await (await chat(emu, session)).read()).decode()
    assert text.startswith('event:content\ndata:{"content":"Echo "}\n\n')


async def test_config_line_ending(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.config.sse_line_ending = "\r\n"
    text = (await (await chat(emu, session)).read()).decode()
    assert text.startswith('event: content\r\ndata: {"content":"Echo "}\r\n\r\n')


async def test_byte_chunks_split_utf8(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.script_replies(["żółw 🐢 ok"])
    emu.inject(Fault.byte_chunks(1))
    resp = await chat(emu, session)
    pieces = [c async for c in resp.content.iter_any()]
    raw = b"".join(pieces)
    events = parse_sse(raw)
    assert "".join(d["content"] for e, d in events if e == "content") == "żółw 🐢 ok"
    assert len(pieces) > 1


@pytest.mark.parametrize(
    ("fault", "names"),
    [
        (Fault.no_done(), ["result"]),
        (Fault.no_result(), ["done"]),
        (Fault.no_result_no_done(), []),
    ],
)
async def test_missing_events(
    emu: Emulator, session: aiohttp.ClientSession, fault: Fault, names: list[str]
) -> None:
    emu.inject(fault)
    events = parse_sse(await (await chat(emu, session)).read())
    assert [e for e, _ in events if e != "content"] == names


async def test_json_instead_of_stream(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.inject(Fault.json_instead_of_stream())
    resp = await chat(emu, session)
    assert resp.headers["Content-Type"].startswith("application/json")
    assert (await resp.json())["aiRecord"]["status"] == "SUCCESS"
    emu.inject(Fault.raw_stream("data: [DONE]\n\n"))
    assert await (await chat(emu, session)).text() == "data: [DONE]\n\n"


async def test_drip_and_stalls(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.inject(Fault.drip(0.05))
    t0 = time.monotonic()
    await (await chat(emu, session)).read()
    assert time.monotonic() - t0 >= 0.3  # 7 events, 6 gaps
    emu.inject(Fault.stall(0.2))
    t0 = time.monotonic()
    await (await chat(emu, session, stream=False)).read()
    assert time.monotonic() - t0 >= 0.2
    emu.inject(Fault.stall_body(0.2))
    t0 = time.monotonic()
    resp = await chat(emu, session)
    headers_at = time.monotonic() - t0
    await resp.read()
    assert headers_at < 0.2 <= time.monotonic() - t0
    emu.inject(Fault.stall_body(0.2))
    t0 = time.monotonic()
    resp = await chat(emu, session, stream=False)
    assert time.monotonic() - t0 < 0.2
    assert (await resp.json())["aiRecord"]


async def test_stall_client_timeout(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.inject(Fault.drip(1.0))
    resp = await chat(emu, session)
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(resp.read(), 0.2)
    resp.close()


async def test_forever_and_method_filter(emu: Emulator, session: aiohttp.ClientSession) -> None:
    h = emu.inject(Fault.status(500), times=None, method="GET")
    assert (await chat(emu, session, stream=False)).status == 200
    for _ in range(3):
        assert (await session.get(f"{emu.base_url}/models")).status == 500
    h.cancel()
    assert (await session.get(f"{emu.base_url}/models")).status == 200


async def test_a_request_stalled_across_a_reset_does_not_touch_the_new_state(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    """Tests share one emulator: a stalled request of the previous test must not consume
    the next test's scripted replies."""
    emu.inject(Fault.stall(0.3), path=CHAT)
    pending = asyncio.ensure_future(chat(emu, session, stream=False))
    await asyncio.sleep(0.1)  # the request is now stalled inside the emulator
    emu.reset()
    emu.script_replies(["for the next test"])
    resp = await pending
    assert resp.status == 503
    assert (await resp.json())["error"]["code"] == "EMULATOR_RESET"
    assert emu.pending_replies == 1
