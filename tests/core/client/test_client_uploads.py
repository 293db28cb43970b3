"""Issue 18 item 5: uploads stream from the file and report per-byte progress.

Both clients, against the emulator: ``upload_asset(on_progress=)``; every implicit upload
(media file inputs, ``complete()`` attachments, ``resolve_chat_attachments``) through
``with_options(on_upload_progress=)`` or ``on_progress=``; several files of one call as
one transfer; a retry that sends the file again; what goes on the wire.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from oneminai_webapi import OneMinAIClient
from oneminai_webapi.exceptions import InvalidRequestError
from oneminai_webapi.integrations import (
    AttachmentCache,
    ChatAttachment,
    aresolve_chat_attachments,
    resolve_chat_attachments,
)
from oneminai_webapi.testing import Emulator, Fault

from .conftest import call, make_client

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 800  # 200 KiB: several 64 KiB pieces
JPG = b"\xff\xd8\xff\xe0" + b"j" * 70_000

Reports = list[tuple[int, int]]


def recorder() -> tuple[Reports, Any]:
    reports: Reports = []
    return reports, lambda sent, total: reports.append((sent, total))


def one_pass(reports: Reports, total: int) -> None:
    """(0, total) first, strictly increasing, ending at (total, total)."""
    assert reports[0] == (0, total) and reports[-1] == (total, total)
    sent = [s for s, _ in reports]
    assert sent == sorted(set(sent)), reports
    assert all(t == total for _, t in reports)


def uploads(emu: Emulator) -> list[Any]:
    return emu.requests_to("/api/assets", "POST")


async def test_upload_from_a_path_reports_each_piece(client: Any, emu: Emulator, tmp_path: Path):
    path = tmp_path / "photo.png"
    path.write_bytes(PNG)
    reports, report = recorder()

    record = await call(client.upload_asset(path, asset_type="IMAGE", on_progress=report))

    one_pass(reports, len(PNG))
    assert len(reports) == 1 + -(-len(PNG) // 65536)  # the start, then each 64 KiB piece
    assert emu.assets[record.asset_key].data == PNG
    (req,) = uploads(emu)
    assert req.multipart[0] | {"size": len(PNG)} == req.multipart[0]


async def test_upload_of_bytes_reports_too(client: Any, emu: Emulator):
    reports, report = recorder()
    record = await call(client.upload_asset(data=JPG, filename="a.jpg", on_progress=report))
    one_pass(reports, len(JPG))
    assert emu.assets[record.asset_key].data == JPG


async def test_an_empty_file_reports_zero_of_zero(client: Any, emu: Emulator, tmp_path: Path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    reports, report = recorder()
    record = await call(client.upload_asset(path, on_progress=report))
    assert reports == [(0, 0)]
    assert emu.assets[record.asset_key].data == b""


async def test_the_body_has_a_length_and_is_never_chunked(client: Any, emu: Emulator, tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(PNG)
    await call(client.upload_asset(path, asset_type="IMAGE"))
    (req,) = uploads(emu)
    assert "transfer-encoding" not in req.headers
    framing = int(req.headers["content-length"]) - len(PNG)
    assert 0 < framing < 300  # one part head and the closing boundary


async def test_both_clients_send_the_same_part_headers(client: Any, emu: Emulator):
    """UTF-8 names as browsers send them (the async client used to percent-encode them)."""
    await call(client.upload_asset(data=b"x", filename='résumé "v2".pdf'))
    (req,) = uploads(emu)
    assert req.multipart[0]["filename"] == "résumé %22v2%22.pdf"
    assert req.multipart[0]["content_type"] == "application/pdf"


async def test_a_retry_after_503_sends_the_file_again_from_its_first_byte(
    client: Any, emu: Emulator, tmp_path: Path
):
    path = tmp_path / "photo.png"
    path.write_bytes(PNG)
    emu.inject(Fault.status(503), times=1, path="/api/assets")
    reports, report = recorder()

    record = await call(client.upload_asset(path, asset_type="IMAGE", on_progress=report))

    first, second = uploads(emu)
    assert first.multipart[0]["size"] == second.multipart[0]["size"] == len(PNG)
    assert emu.assets[record.asset_key].data == PNG  # the second pass, whole
    restart = reports.index((0, len(PNG)), 1)
    one_pass(reports[:restart], len(PNG))
    one_pass(reports[restart:], len(PNG))


async def test_with_options_reports_the_inputs_of_a_media_call_as_one_transfer(
    client: Any, emu: Emulator, tmp_path: Path
):
    face = tmp_path / "face.jpg"
    face.write_bytes(JPG)
    reports, report = recorder()

    await call(client.with_options(on_upload_progress=report).swap_face(face, PNG))

    total = len(JPG) + len(PNG)
    one_pass(reports, total)
    assert (len(JPG), total) in reports  # the first file done, the second from there
    assert [r.multipart[0]["size"] for r in uploads(emu)] == [len(JPG), len(PNG)]
    emu.requests.clear()
    reports.clear()
    await call(client.swap_face(face, PNG))  # the original client is unchanged
    assert reports == [] and len(uploads(emu)) == 2


async def test_with_options_reports_complete_attachments(client: Any, emu: Emulator):
    png = "data:image/png;base64," + base64.b64encode(PNG).decode()
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Describe both."},
                {"type": "image_url", "image_url": {"url": png}},
                {"type": "image_url", "image_url": {"url": png}},  # the same: uploaded once
            ],
        }
    ]
    reports, report = recorder()
    await call(client.with_options(on_upload_progress=report).complete(messages))
    one_pass(reports, len(PNG))
    assert len(uploads(emu)) == 1


async def test_resolve_chat_attachments_reports_all_uploads_as_one(kind: str, client, emu):
    attachments = [
        ChatAttachment("image", data=PNG, mime_type="image/png"),
        ChatAttachment("image", url="https://example.com/cat.png"),  # passed as is
        ChatAttachment("file", data=b"%PDF-1.4 " + b"p" * 1000, filename="r.pdf"),
        ChatAttachment("image", data=PNG, mime_type="image/png"),  # cached: not again
    ]
    reports, report = recorder()
    cache = AttachmentCache()
    if kind == "async":
        refs = await aresolve_chat_attachments(client, attachments, cache, on_progress=report)
    else:
        refs = resolve_chat_attachments(client, attachments, cache, on_progress=report)
    total = len(PNG) + 1009
    one_pass(reports, total)
    assert len(uploads(emu)) == 2 and len(refs.images) == 3 and len(refs.files) == 1


async def test_bad_callbacks_and_types_fail_before_anything_is_sent(client, emu, tmp_path):
    path = tmp_path / "a.png"
    path.write_bytes(PNG)
    with pytest.raises(InvalidRequestError, match="on_progress must be callable"):
        client.upload_asset(path, on_progress=42)
    with pytest.raises(InvalidRequestError, match="on_upload_progress"):
        client.with_options(on_upload_progress="yes")
    with pytest.raises(InvalidRequestError, match="not a valid MIME type"):
        client.upload_asset(data=b"x", filename="a.txt", mime_type="text/plain\r\nX-Evil: 1")
    with pytest.raises(ValueError, match="on_progress must be callable"):
        resolve = aresolve_chat_attachments if isinstance(client, OneMinAIClient) else None
        if resolve is not None:
            await resolve(client, [ChatAttachment("image", data=PNG)], on_progress=1)
        else:
            resolve_chat_attachments(client, [ChatAttachment("image", data=PNG)], on_progress=1)
    assert emu.requests == []


async def test_a_file_that_changed_since_the_call_fails_before_sending(
    emu: Emulator, tmp_path: Path
):
    """The async client sizes the file when called and sends it when awaited (the sync
    client does both at once: see the hostile-server test of a file that shrinks)."""
    path = tmp_path / "a.png"
    path.write_bytes(PNG)
    async with make_client("async", emu.base_url, emu.api_key) as client:
        pending = client.upload_asset(path)
        path.write_bytes(PNG[:1000])
        with pytest.raises(InvalidRequestError, match="changed size since the upload was"):
            await pending
        assert uploads(emu) == []
        assert client._transport.in_flight == 0
