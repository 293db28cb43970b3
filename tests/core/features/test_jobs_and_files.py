"""Against the emulator, both clients: polling, typed errors, downloads, auto-upload."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from oneminai_webapi import Timeouts
from oneminai_webapi.exceptions import (
    APIError,
    InvalidRequestError,
    JobFailedError,
    JobTimeoutError,
    NotFoundError,
    OneMinAIError,
    UnsupportedModelError,
)
from oneminai_webapi.testing import Emulator, Fault
from oneminai_webapi.types import JobProgress

from .conftest import call, make_client, sent

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
MP3 = b"ID3\x04\0\0\0\0\0\0" + b"\0" * 32

# ── long-running jobs ───────────────────────────────────────────────────────────────────


async def test_video_job_polls_until_success_with_progress(client: Any, emu: Emulator) -> None:
    emu.config.async_pending_polls = 2
    seen: list[JobProgress] = []
    out = await call(client.generate_video("a cat", on_progress=seen.append, poll_interval=0.01))
    assert out.status == "SUCCESS" and out.video_url.startswith(emu.asset_base_url)
    assert [p.status for p in seen] == ["PROCESSING", "PROCESSING", "PROCESSING", "SUCCESS"]
    assert len(emu.requests_to(f"/api/results/{out.record_id}", "GET")) == 3
    assert sent(emu)["async"] is True


@pytest.mark.parametrize("status", ["FAILED", "FAILURE"])
async def test_failed_job_raises_typed_error(client: Any, emu: Emulator, status: str) -> None:
    emu.config.async_fail = True
    emu.config.async_failed_status = status
    with pytest.raises(JobFailedError) as info:
        await call(client.generate_music("jazz"))
    assert info.value.record_status == status
    assert "The job failed (emulated)" in str(info.value)
    assert info.value.record_id in emu.records


async def test_deadline_raises_job_timeout_then_wait_for_result(client: Any, emu: Emulator) -> None:
    emu.config.async_delay_s = 0.4
    with pytest.raises(JobTimeoutError) as info:
        await call(client.swap_face_in_video("videos/v.mp4", "images/f.png", poll_timeout=0.1))
    record_id = info.value.record_id
    assert record_id and info.value.record_status == "PROCESSING"
    out = await call(client.wait_for_result(record_id, poll_timeout=5, poll_interval=0.05))
    assert out.status == "SUCCESS" and out.video_url and out.record_id == record_id


async def test_wait_false_then_wait_for_result(client: Any, emu: Emulator) -> None:
    emu.config.async_pending_polls = 1
    pending = await call(client.image_to_video("images/i.png", "zoom", wait=False))
    assert pending.status == "PROCESSING" and pending.video_url == ""
    assert not emu.requests_to("/api/results")
    done = await call(client.wait_for_result(pending))
    assert done.status == "SUCCESS" and done.video_url and done.record_id == pending.record_id


async def test_unknown_record_raises_not_found(client: Any, emu: Emulator) -> None:
    with pytest.raises(NotFoundError, match="no record"):
        await call(client.wait_for_result("0b1c2d3e-0000-4000-8000-000000000000"))


# ── errors ──────────────────────────────────────────────────────────────────────────────


async def test_unsupported_model_is_a_typed_error(client: Any, emu: Emulator) -> None:
    with pytest.raises(UnsupportedModelError) as info:
        await call(client.generate_image("fox", "gpt-4o"))
    assert info.value.status_code == 400
    assert "Model gpt-4o is not supported for feature IMAGE_GENERATOR" in str(info.value)


async def test_invalid_values_are_refused_before_any_request(client: Any, emu: Emulator) -> None:
    with pytest.raises(InvalidRequestError, match="allowed: 1 to 10"):
        client.generate_image("fox", num_images=11)
    with pytest.raises(InvalidRequestError, match="'1024x1024', '1152x896'"):
        client.generate_image("fox", width=512, height=512)  # SDXL sizes, as refused live
    with pytest.raises(ValueError, match="instagram, facebook, linkedin, tiktok, x, twitter"):
        client.generate_social_post("hi", "myspace")
    with pytest.raises(InvalidRequestError, match=r"0\.25 to 4"):
        client.text_to_speech("hi", speed=4.5)
    with pytest.raises(InvalidRequestError, match="'left', 'right', 'up', 'down'"):
        client.extend_image("images/a.png", "north")
    assert emu.requests == []


# ── downloads ───────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("method", "args", "attr", "ext", "magic"),
    [
        ("generate_image", ("fox",), "image", ".png", b"\x89PNG"),
        ("text_to_speech", ("hello",), None, ".mp3", b"\xff\xfb"),
        ("generate_video", ("cat",), None, ".mp4", b"ftyp"),
        ("generate_music", ("jazz",), None, ".mp3", b"\xff\xfb"),
    ],
)
async def test_save_streams_the_file_with_its_extension(
    client: Any,
    emu: Emulator,
    tmp_path: Path,
    method: str,
    args: tuple[str, ...],
    attr: str | None,
    ext: str,
    magic: bytes,
) -> None:
    out = await call(getattr(client, method)(*args))
    target = getattr(out, attr) if attr else out
    path = await call(target.save(tmp_path / "out"))
    assert path.parent == (tmp_path / "out").resolve() and path.suffix == ext
    assert path.name == target.key.rsplit("/", 1)[1]
    assert magic in path.read_bytes()[:12]
    named = await call(target.save(tmp_path, filename="result", verbose=False))
    assert named.name == f"result{ext}" and named.read_bytes() == path.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", f"result{ext}"]


async def test_every_image_of_a_multi_image_result_downloads(
    client: Any, emu: Emulator, tmp_path: Path
) -> None:
    # Only one result can use the record's pre-signed URL; the others resolve against that
    # URL's host and path (the asset host), never against the API base URL.
    out = await call(client.generate_image("fox", num_images=3))
    assert len(out.images) == 3
    paths = [await call(image.save(tmp_path)) for image in out.images]
    assert len({p.name for p in paths}) == 3
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in paths)


async def test_saved_files_get_the_umask_mode_not_private(client: Any, tmp_path: Path) -> None:
    out = await call(client.generate_image("fox"))
    old = os.umask(0o027)
    try:
        from oneminai_webapi._client import _files

        _files._umask.cache_clear()
        path = await call(out.image.save(tmp_path))
    finally:
        os.umask(old)
        _files._umask.cache_clear()
    assert path.stat().st_mode & 0o777 == 0o640  # 0666 & ~umask, like open()


async def test_save_reports_download_progress(client: Any, tmp_path: Path) -> None:
    out = await call(client.generate_video("cat"))
    seen: list[tuple[int, int | None]] = []
    path = await call(out.save(tmp_path, on_progress=lambda got, total: seen.append((got, total))))
    size = path.stat().st_size
    assert seen[0] == (0, size) and seen[-1] == (size, size)
    assert [got for got, _ in seen] == sorted({got for got, _ in seen})  # strictly growing
    with pytest.raises(InvalidRequestError, match="on_progress"):
        await call(out.save(tmp_path, on_progress="not callable"))


async def test_failed_download_leaves_no_file(kind: str, emu: Emulator, tmp_path: Path) -> None:
    client = make_client(kind, emu, timeouts=Timeouts(connect=2.0, pool=2.0, read=0.2, total=5))
    try:
        out = await call(client.generate_image("fox"))
        emu.inject(Fault.stall_body(1.0), times=None, path="/_emulator/files")
        with pytest.raises(OneMinAIError):  # a read timeout mid-body
            await call(out.image.save(tmp_path))
        emu.clear_faults()
        emu.inject(Fault.status(500), times=None, path="/_emulator/files")
        with pytest.raises(APIError):
            await call(out.image.save(tmp_path))
        assert list(tmp_path.iterdir()) == []
    finally:
        emu.clear_faults()
        await call(client.close())


# ── auto-upload of inputs ───────────────────────────────────────────────────────────────


def _uploaded_keys(emu: Emulator) -> list[str]:
    return [key for key, asset in emu.assets.items() if asset.data is not None]


async def test_local_path_is_uploaded_first(client: Any, emu: Emulator, tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    await call(client.remove_background(str(photo)))
    uploads = emu.requests_to("/api/assets", "POST")
    assert len(uploads) == 1 and uploads[0].multipart[0]["filename"] == "photo.png"
    (key,) = _uploaded_keys(emu)
    assert sent(emu)["promptObject"] == {"imageUrl": key}
    assert emu.assets[key].data == PNG


async def test_bytes_and_pathlike_inputs(client: Any, emu: Emulator, tmp_path: Path) -> None:
    face = tmp_path / "face.jpg"
    face.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 16)
    await call(client.swap_face(face, PNG))
    parts = [r.multipart[0] for r in emu.requests_to("/api/assets", "POST")]
    assert [p["filename"] for p in parts] == ["face.jpg", "target_image.png"]
    po = sent(emu)["promptObject"]
    assert po["swapImageUrl"].endswith("face.jpg") and po["targetImageUrl"].endswith(".png")
    await call(client.speech_to_text(MP3))
    assert sent(emu)["promptObject"]["audioUrl"].startswith("audios/")


async def test_asset_keys_urls_and_records_are_sent_as_is(
    client: Any, emu: Emulator, tmp_path: Path
) -> None:
    asset = await call(client.upload_asset(data=PNG, filename="x.png", asset_type="IMAGE"))
    await call(client.upscale_image(asset))
    assert sent(emu)["promptObject"]["imageUrl"] == asset.asset_key
    await call(client.upscale_image("https://example.com/cat.png"))
    assert sent(emu)["promptObject"]["imageUrl"] == "https://example.com/cat.png"
    await call(client.upscale_image("images/existing.png"))
    assert sent(emu)["promptObject"]["imageUrl"] == "images/existing.png"
    assert len(emu.requests_to("/api/assets", "POST")) == 1
    with pytest.raises(InvalidRequestError, match="no such file"):
        client.upscale_image(os.fspath(tmp_path / "missing.png"))


async def test_downloads_never_use_the_api_base_url(
    kind: str, emu: Emulator, tmp_path: Path
) -> None:
    # A client behind a gateway: its base_url is not where files live. Keys resolve against
    # the record's temporaryUrl host, so every image still downloads.
    client = make_client(kind, emu)
    try:
        out = await call(client.generate_image("fox", num_images=2))
        urls = [image.url for image in out.images]
        assert all(u.startswith(f"{emu.asset_base_url}/images/") for u in urls)
        assert not any(u.startswith(f"{emu.base_url}/images/") for u in urls)
        assert [await call(i.save(tmp_path)) for i in out.images]
    finally:
        await call(client.close())
    # A caller's asset_base_url wins for keys the signed URL does not name.
    client = make_client(kind, emu, asset_base_url="https://files.gateway.example")
    try:
        out = await call(client.generate_image("fox", num_images=2))
        assert out.images[0].url.startswith(emu.asset_base_url)  # the signed URL itself
        assert out.images[1].url == f"https://files.gateway.example/{out.images[1].key}"
    finally:
        await call(client.close())


async def test_transcript_formats(client: Any, emu: Emulator) -> None:
    emu.script_replies(["1\n00:00:00,000 --> 00:00:01,000\nHello\n"])
    out = await call(client.speech_to_text("audios/a.mp3", response_format="srt"))
    assert sent(emu)["promptObject"]["response_format"] == "srt"
    assert out.response_format == "srt"
    assert out.text == "1\n00:00:00,000 --> 00:00:01,000\nHello\n"  # raw, as received
    with pytest.raises(InvalidRequestError, match="'text', 'srt', 'vtt', 'verbose_json'"):
        client.speech_to_text("audios/a.mp3", response_format="docx")


async def test_seed_music_sample_runs_and_other_durations_warn(client: Any, emu: Emulator) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = await call(
            client.generate_music(
                "Epic cinematic orchestral, building tension", instrumental=True, duration=30.0
            )
        )
    assert out.status == "SUCCESS" and sent(emu)["model"] == "lyria-002"
    assert sent(emu)["promptObject"] == {"prompt": "Epic cinematic orchestral, building tension"}
    with pytest.warns(
        UserWarning, match=r"duration=45 was not sent: Lyria makes clips of a fixed 30 s"
    ):
        await call(client.generate_music("jazz", duration=45))
    assert "duration" not in sent(emu)["promptObject"]


async def test_withdrawn_model_is_refused_like_the_service(client: Any, emu: Emulator) -> None:
    from oneminai_webapi.constants import ImageModel

    with pytest.raises(APIError) as info:
        await call(client.generate_image("fox", ImageModel.FLUX_SCHNELL))
    assert info.value.status_code == 400
    assert "is not supported for feature IMAGE_GENERATOR" in str(info.value)
