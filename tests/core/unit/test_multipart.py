"""The sans-IO multipart body of uploads (issue 18 item 5).

Its bytes are exactly those ``requests`` (urllib3) sent before bodies were streamed, and
what browsers send: the live service is evidenced with them. Its length is its
``Content-Length``; each pass reads the file again, in bounded pieces.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from oneminai_webapi._protocol._assets import read_file_part
from oneminai_webapi._protocol._http import FilePart
from oneminai_webapi._protocol._multipart import CHUNK_BYTES, form_body, share
from oneminai_webapi.exceptions import InvalidRequestError
from urllib3.filepost import encode_multipart_formdata

BOUNDARY = "0123456789abcdef0123456789abcdef"


def urllib3_body(fields: dict[str, str], part: FilePart, data: bytes) -> tuple[bytes, str]:
    """What ``requests.post(files=..., data=...)`` encoded (fields first, then files)."""
    items: list[tuple[str, object]] = [(k, v.encode()) for k, v in fields.items()]
    items.append((part.field, (part.filename, data, part.content_type)))
    return encode_multipart_formdata(items, boundary=BOUNDARY)


@pytest.mark.parametrize(
    "filename", ["photo.png", 'ré sumé "v2".pdf', "line\r\nbreak.txt", "日本語.mp3"]
)
@pytest.mark.parametrize("fields", [{}, {"type": "IMAGE"}])
def test_bytes_are_those_requests_sent(filename: str, fields: dict[str, str]) -> None:
    data = bytes(range(256)) * 300
    part = read_file_part(None, data, filename, None)
    body = form_body(fields, [part], boundary=BOUNDARY)

    expected, content_type = urllib3_body(fields, part, data)
    assert body.read_all() == expected
    assert body.content_type == content_type
    assert body.length == len(expected)
    assert body.file_bytes == len(data)


def test_a_file_on_disk_is_read_when_sent_and_again_on_each_pass(tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    data = b"abc" * (CHUNK_BYTES // 2)
    path.write_bytes(data)
    part = read_file_part(path, None, "ignored", None)
    assert (part.content, part.size, part.content_type) == (b"", len(data), "video/mp4")
    body = form_body({}, [part], boundary=BOUNDARY)
    expected, _ = urllib3_body({}, part, data)

    reports: list[tuple[int, int]] = []
    for _ in range(2):  # one pass per attempt, each from the first byte
        reports.clear()
        stream = body.open(lambda s, t: reports.append((s, t)))
        pieces = list(stream)
        assert b"".join(pieces) == expected and len(stream) == len(expected)
        assert max(len(p) for p in pieces) <= CHUNK_BYTES
        assert reports == [(0, len(data)), (CHUNK_BYTES, len(data)), (len(data), len(data))]


def test_a_stream_closed_early_closes_its_file(tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"x" * (3 * CHUNK_BYTES))
    stream = form_body({}, [read_file_part(path, None, "", None)]).open()
    assert stream.next_chunk().startswith(b"--")
    assert stream.next_chunk() == b"x" * CHUNK_BYTES  # the file is open now
    stream.close()  # closes it (pytest turns an unclosed file into an error)
    stream.close()
    assert stream.next_chunk() == b""


def test_read_failures_are_kept_as_the_stream_error(tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"x" * (2 * CHUNK_BYTES))
    stream = form_body({}, [read_file_part(path, None, "", None)]).open()
    stream.next_chunk()
    path.write_bytes(b"x" * 10)  # truncated while it is sent
    with pytest.raises(InvalidRequestError, match="shorter while it was being uploaded"):
        list(stream)
    assert isinstance(stream.error, InvalidRequestError)

    grown = form_body({}, [read_file_part(path, None, "", None)]).open()
    grown.next_chunk()
    path.write_bytes(b"x" * 20)
    with pytest.raises(InvalidRequestError, match="longer while it was being uploaded"):
        list(grown)


def test_a_file_gone_or_resized_before_sending_is_refused_before_any_byte(tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"x" * 100)
    body = form_body({}, [read_file_part(path, None, "", None)])
    path.write_bytes(b"x" * 101)
    with pytest.raises(InvalidRequestError, match=r"changed size .*\(100 → 101 bytes\)"):
        body.open()
    path.unlink()
    with pytest.raises(InvalidRequestError, match="could not be read"):
        body.open()


def test_unreadable_files_are_refused_when_the_call_is_made(tmp_path: Path) -> None:
    path = tmp_path / "secret.png"
    path.write_bytes(b"x")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("this user (root) can read every file")
        with pytest.raises(InvalidRequestError, match="cannot read"):
            read_file_part(path, None, "", None)
    finally:
        path.chmod(0o600)


def test_share_reports_one_file_as_part_of_a_sum() -> None:
    seen: list[tuple[int, int]] = []

    def record(sent: int, total: int) -> None:
        seen.append((sent, total))

    first, second = share(record, 0, 30), share(record, 10, 30)
    assert first is not None and second is not None
    for sent in (0, 5, 10):
        first(sent, 10)
    for sent in (0, 20):
        second(sent, 20)  # its start is the end of the first: said once
    assert seen == [(0, 30), (5, 30), (10, 30), (30, 30)]
    assert share(None, 0, 1) is None
