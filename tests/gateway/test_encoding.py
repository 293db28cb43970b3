"""The gateway's fast encoders write exactly what the general ones would."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from dataclasses import fields
from typing import Any
from unittest import mock

import pytest
from aiohttp import web
from aiohttp.http_writer import StreamWriter
from aiohttp.test_utils import make_mocked_request
from oneminai_gateway._chat import _ChunkWriter, _EventStream
from oneminai_gateway._json import dumps, json_string
from oneminai_gateway._ledger import Entry, Ledger

TEXTS = [
    "",
    "plain words",
    'quotes " and \\ backslashes',
    "new\nline\ttab\r\x00\x1f\x7f",
    "é ü 中文 😀 \u2028\u2029",
    "</script>",
]


class _Sink:
    def __init__(self) -> None:
        self.data = b""

    async def write(self, data: bytes) -> None:
        self.data += data

    async def write_eof(self, data: bytes = b"") -> None:
        self.data += data


@pytest.mark.parametrize("text", [*TEXTS, "\ud800 lone surrogate"])
def test_json_string_is_the_json_of_a_string(text: str) -> None:
    assert json_string(text) == json.dumps(text, ensure_ascii=False)
    assert json.loads(json_string(text)) == text
    assert dumps({"a": [1, None, text]}) == json.dumps(
        {"a": [1, None, text]}, ensure_ascii=False, separators=(",", ":")
    )


@pytest.mark.parametrize("include_usage", [False, True])
def test_a_text_chunk_is_the_content_delta_chunk(include_usage: bool) -> None:
    sink = _Sink()
    writer = _ChunkWriter(sink, "gpt-4o-mini", include_usage=include_usage)  # type: ignore[arg-type]
    for text in TEXTS:
        writer.text(text)
        writer.delta({"content": text})
    asyncio.run(writer.send())
    events = sink.data.decode().split("\n\n")
    assert events[-1] == "" and len(events) == 2 * len(TEXTS) + 1
    for i, text in enumerate(TEXTS):
        fast, general = events[2 * i], events[2 * i + 1]
        assert fast == general
        chunk: dict[str, Any] = json.loads(fast.removeprefix("data: "))
        assert chunk["choices"] == [
            {"index": 0, "delta": {"content": text}, "logprobs": None, "finish_reason": None}
        ]
        assert chunk["object"] == "chat.completion.chunk" and chunk["model"] == "gpt-4o-mini"
        assert ("usage" in chunk) is include_usage


def test_ledger_rows_hold_every_field_in_its_column(tmp_path) -> None:
    path = str(tmp_path / "rows.sqlite3")
    entry = Entry(
        time=1.5,
        key="k",
        model="m",
        endpoint="e",
        status=201,
        credits=2.5,
        prompt_tokens=3,
        completion_tokens=4,
        duration_ms=5,
        record_id="r",
        error="x",
    )
    ledger = Ledger(path)
    ledger.record(entry)
    ledger.close()
    names = [f.name for f in fields(Entry)]
    db = sqlite3.connect(path)
    row = db.execute(f"SELECT {', '.join(names)} FROM calls").fetchone()
    db.close()
    assert row == tuple(getattr(entry, name) for name in names)


@pytest.mark.skipif(
    not hasattr(web.StreamResponse, "_send_headers_immediately"),
    reason="aiohttp < 3.12 sends a stream's headers at once",
)
def test_a_stream_sends_its_headers_with_its_first_chunk() -> None:
    async def sent_by(response: web.StreamResponse) -> list[bytes]:
        transport = mock.Mock()
        transport.is_closing.return_value = False
        sent: list[bytes] = []
        transport.write.side_effect = lambda data: sent.append(bytes(data))
        transport.writelines.side_effect = lambda parts: sent.append(b"".join(parts))
        protocol = mock.Mock(transport=transport, _paused=False)
        writer = StreamWriter(protocol, asyncio.get_running_loop())
        request = make_mocked_request(
            "POST", "/v1/chat/completions", writer=writer, protocol=protocol, transport=transport
        )
        await response.prepare(request)
        await response.write(b"data: first\n\n")
        await response.write_eof(b"data: [DONE]\n\n")
        return sent

    headers = {"Content-Type": "text/event-stream; charset=utf-8"}
    ours = asyncio.run(sent_by(_EventStream(headers=headers)))
    plain = asyncio.run(sent_by(web.StreamResponse(headers=headers)))
    assert len(ours) == 2 and len(plain) == 3  # one write fewer: the headers went with data
    assert ours[0].startswith(b"HTTP/1.1 200 OK\r\n") and ours[0].endswith(b"data: first\n\n\r\n")
    ours_head, ours_body = b"".join(ours).split(b"\r\n\r\n", 1)
    plain_head, plain_body = b"".join(plain).split(b"\r\n\r\n", 1)
    assert ours_body == plain_body  # the same bytes, in fewer writes
    assert [h for h in ours_head.split(b"\r\n") if not h.startswith(b"Date:")] == [
        h for h in plain_head.split(b"\r\n") if not h.startswith(b"Date:")
    ]
