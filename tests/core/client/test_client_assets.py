"""Asset uploads: multipart field ``asset``; key for images, file id for files."""

from __future__ import annotations

import pytest
from oneminai_webapi import AssetRecord, AssetType
from oneminai_webapi.exceptions import AssetUploadError, InvalidRequestError

from .conftest import call


async def test_upload_from_path_sends_one_multipart_part_named_asset(client, emu, tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    record = await call(client.upload_asset(path, asset_type=AssetType.IMAGE))

    assert isinstance(record, AssetRecord)
    (req,) = emu.requests
    assert (req.method, req.path) == ("POST", "/api/assets")
    assert req.headers["api-key"] == emu.api_key
    assert req.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert req.multipart == [
        {
            "name": "asset",
            "filename": "photo.png",
            "content_type": "image/png",
            "size": 108,
            "value": None,
        }
    ]
    assert record.asset_key.startswith("images/") and record.asset_key.endswith("_photo.png")
    assert record.asset_key in emu.assets
    stored = emu.assets[record.asset_key]
    assert stored.data == path.read_bytes()
    assert record.file_id == stored.uuid  # fileContent.uuid, for chat ``files``
    assert record.file_id != record.asset_key
    assert record.asset_type == "IMAGE"
    assert record.filename == "photo.png" and record.mime_type == "image/png" and record.size == 108


async def test_upload_bytes_with_filename_and_mime_type(client, emu):
    record = await call(client.upload_asset(data=b"hello world", filename="notes.txt"))
    (req,) = emu.requests
    assert req.multipart[0]["filename"] == "notes.txt"
    assert req.multipart[0]["content_type"] == "text/plain"
    assert req.multipart[0]["size"] == 11
    assert record.asset_key.startswith("documents/")
    assert record.asset_type == "DOCUMENT"  # the documented default

    await call(
        client.upload_asset(
            data=b"RIFF", filename="clip.bin", mime_type="audio/wav", asset_type="audio"
        )
    )
    assert emu.requests[-1].multipart[0]["content_type"] == "audio/wav"


async def test_asset_key_goes_to_images_and_file_id_to_files(client, emu):
    image = await call(
        client.upload_asset(data=b"\x89PNG", filename="a.png", asset_type=AssetType.IMAGE)
    )
    doc = await call(client.upload_asset(data=b"%PDF-1.4", filename="a.pdf"))
    emu.requests.clear()
    out = await call(
        client.generate_content("Compare", images=[image.asset_key], files=[doc.file_id])
    )
    assert emu.requests[0].json["promptObject"]["attachments"] == {
        "images": [image.asset_key],
        "files": [doc.file_id],
    }
    assert "attachments: 1 image(s), 1 file(s)" in out.text


async def test_upload_with_jwt_uses_the_team_route_and_sends_the_type(client, emu):
    await call(client.oauth_login("ya29.token"))
    emu.requests.clear()
    record = await call(
        client.upload_asset(data=b"ID3", filename="song.mp3", asset_type=AssetType.AUDIO)
    )
    (req,) = emu.requests
    assert (req.method, req.path) == ("POST", f"/teams/{emu.team_id}/assets")
    assert req.multipart_names == ["type", "asset"] or req.multipart_names == ["asset", "type"]
    type_part = next(p for p in req.multipart if p["name"] == "type")
    assert type_part["value"] == "AUDIO"
    assert record.asset_key.startswith("audios/")
    assert record.asset_type == "AUDIO"


async def test_upload_asset_from_url(client, emu):
    record = await call(client.upload_asset_from_url("https://example.com/pics/cat.png"))
    users, req = emu.requests
    assert users.path == "/users"
    assert (req.method, req.path) == ("POST", f"/teams/{emu.team_id}/assets")
    assert req.json == {"fileUrl": "https://example.com/pics/cat.png", "type": "IMAGE"}
    assert req.headers["x-auth-token"] == f"Bearer {emu.api_key}"
    assert record.asset_key.startswith("images/") and record.asset_key.endswith("cat.png")
    assert record.asset_type == "IMAGE"

    doc = await call(client.upload_asset_from_url("https://example.com/a.pdf", AssetType.DOCUMENT))
    assert emu.requests[-1].json == {"fileUrl": "https://example.com/a.pdf", "type": "DOCUMENT"}
    assert doc.asset_key.startswith("documents/")


async def test_service_refusal_is_an_asset_upload_error(client, emu):
    with pytest.raises(AssetUploadError) as info:
        await call(
            client.upload_asset(data=b"# title", filename="readme.md", mime_type="text/markdown")
        )
    assert info.value.status_code == 400
    assert "readme.md" in str(info.value)
    assert len(emu.requests) == 1


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"file_path": "/definitely/not/here.png"}, "no such file"),
        ({"data": b"x", "filename": "noextension"}, "no extension"),
        ({"data": b"x"}, "no extension"),  # the default filename "file" has none
        ({"data": b"x", "filename": "a.png", "asset_type": "PICTURE"}, "asset_type"),
        ({}, "file_path or data"),
        ({"data": "not bytes", "filename": "a.txt"}, "bytes"),
    ],
    ids=["missing-file", "no-extension", "default-name", "unknown-type", "nothing", "str-data"],
)
async def test_bad_upload_input_fails_before_any_request(client, emu, kwargs, match):
    with pytest.raises(InvalidRequestError, match=match):
        await call(client.upload_asset(**kwargs))
    assert emu.requests == []


async def test_path_without_extension_and_directory_fail_before_any_request(client, emu, tmp_path):
    bare = tmp_path / "README"
    bare.write_bytes(b"x")
    with pytest.raises(InvalidRequestError, match="no extension"):
        await call(client.upload_asset(bare))
    with pytest.raises(InvalidRequestError, match="no such file"):
        await call(client.upload_asset(tmp_path))
    with pytest.raises(InvalidRequestError):
        await call(client.upload_asset_from_url("ftp://example.com/a.png"))
    with pytest.raises(InvalidRequestError):
        await call(client.upload_asset_from_url("https://example.com/a.png", asset_type="GIF"))
    assert emu.requests == []
