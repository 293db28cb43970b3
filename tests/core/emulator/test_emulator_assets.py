from __future__ import annotations

import re

import aiohttp
from oneminai_webapi.testing import Emulator


def form(
    name: str, data: bytes, ctype: str | None = None, field: str = "asset", **extra: str
) -> aiohttp.FormData:
    fd = aiohttp.FormData()
    fd.add_field(field, data, filename=name, content_type=ctype or "application/octet-stream")
    for k, v in extra.items():
        fd.add_field(k, v)
    return fd


async def test_upload_shape_and_download(emu: Emulator, session: aiohttp.ClientSession) -> None:
    resp = await session.post(
        f"{emu.base_url}/api/assets",
        data=form("photo.png", b"PNGDATA", "image/png"),
        headers=emu.official_headers,
    )
    assert resp.status == 200
    body = await resp.json()
    asset, fc = body["asset"], body["fileContent"]
    assert re.fullmatch(r"images/\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d_\d{3}_photo\.png", asset["key"])
    assert fc["path"] == asset["key"]
    assert asset["mimetype"] == "image/png" and asset["size"] == 7
    assert asset["originalname"] == "photo.png" and asset["fieldname"] == "asset"
    assert {"uuid", "type", "name", "status", "metadata", "createdAt"} <= set(fc)
    assert fc["type"] == "png"
    assert asset["key"] in emu.assets
    dl = await session.get(f"{emu.asset_base_url}/{asset['key']}")
    assert await dl.read() == b"PNGDATA" and dl.headers["Content-Type"] == "image/png"
    req = emu.requests_to("/api/assets")[0]
    assert req.multipart[0]["name"] == "asset" and req.multipart[0]["filename"] == "photo.png"
    assert req.multipart[0]["content_type"] == "image/png"


async def test_key_folders(emu: Emulator, session: aiohttp.ClientSession) -> None:
    for name, folder in (
        ("a.mp3", "audios/"),
        ("v.mp4", "videos/"),
        ("d.pdf", "documents/"),
        ("x.txt", "documents/"),
    ):
        resp = await session.post(
            f"{emu.base_url}/api/assets", data=form(name, b"x"), headers=emu.official_headers
        )
        assert (await resp.json())["asset"]["key"].startswith(folder), name


async def test_upload_rejections(emu: Emulator, session: aiohttp.ClientSession) -> None:
    url = f"{emu.base_url}/api/assets"
    resp = await session.post(url, data=form("README", b"x"), headers=emu.official_headers)
    assert resp.status == 400
    assert (await resp.json())["error"]["message"] == "file type isn't supported"
    resp = await session.post(
        url, data=form("notes.md", b"# x", "text/markdown"), headers=emu.official_headers
    )
    assert resp.status == 400
    resp = await session.post(
        url, data=form("a.png", b"x", field="file"), headers=emu.official_headers
    )
    assert resp.status == 400
    resp = await session.post(url, data=form("a.png", b"x"))
    assert resp.status == 401


async def test_webapp_upload(emu: Emulator, session: aiohttp.ClientSession) -> None:
    url = f"{emu.base_url}/teams/{emu.team_id}/assets"
    resp = await session.post(
        url, data=form("scan.png", b"x", "image/png", type="DOCUMENT"), headers=emu.webapp_headers()
    )
    assert (await resp.json())["asset"]["key"].startswith("documents/")
    resp = await session.post(
        url,
        json={"fileUrl": "https://example.com/pics/cat.jpg", "type": "IMAGE"},
        headers=emu.webapp_headers(),
    )
    body = await resp.json()
    assert body["asset"]["key"].endswith("_cat.jpg") and body["asset"]["key"].startswith("images/")
    dl = await session.get(f"{emu.asset_base_url}/{body['asset']['key']}")
    assert dl.headers["Content-Type"] == "image/jpeg"


async def test_download_unknown(emu: Emulator, session: aiohttp.ClientSession) -> None:
    assert (await session.get(f"{emu.asset_base_url}/images/none.png")).status == 404
