"""Media commands, ``feature`` and ``result``: uploads, job polling, downloads, JSON."""

from __future__ import annotations

from pathlib import Path

from oneminai_webapi.testing import Emulator

from .conftest import run_cli

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
MP3 = b"ID3\x04\0\0\0\0\0\0" + b"\0" * 32


def _sent(emu: Emulator) -> dict:
    return emu.requests_to("/api/features", "POST")[-1].json


def test_image_saves_every_image_and_prints_the_paths(emu: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "imgs"
    r = run_cli("image", "a red fox", "-n", "2", "--size", "1152x896", "--out", str(out), emu=emu)
    assert r.code == 0, r.err
    paths = [Path(line) for line in r.out.splitlines()]
    assert len(paths) == 2 and all(p.parent == out.resolve() for p in paths)
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in paths)
    assert sorted(out.iterdir()) == sorted(paths)  # no temporary files left behind
    body = _sent(emu)
    # The default model is SDXL 1.0 (evidenced live): samples and a size from its list.
    assert body["type"] == "IMAGE_GENERATOR" and body["model"] == "stable-diffusion-xl-1024-v1-0"
    assert body["promptObject"] == {"prompt": "a red fox", "samples": 2, "size": "1152x896"}
    assert r.err.count("downloading ") == 2  # progress on stderr, results on stdout


def test_image_size_sdxl_refuses_is_an_error_before_sending(emu: Emulator) -> None:
    r = run_cli("image", "a red fox", "--size", "512x512", emu=emu)
    assert r.code != 0
    assert "'1024x1024', '1152x896', '1216x832'" in r.err and "512x512" in r.err
    assert emu.requests_to("/api/features", "POST") == []


def test_image_json_no_download_and_extra_fields(emu: Emulator, tmp_path: Path) -> None:
    r = run_cli(
        "image", "fox", "--json", "--no-download", "--set", "seed=42", "--set", "tag=x y",
        "-m", "dall-e-3", cwd=tmp_path, emu=emu,
    )  # fmt: skip
    assert r.code == 0 and r.err == ""
    data = r.json()
    assert data["model"] == "dall-e-3" and data["status"] == "SUCCESS" and data["record_id"]
    (image,) = data["files"]
    assert image["url"].startswith(emu.base_url) and "path" not in image
    assert list(tmp_path.iterdir()) == []
    po = _sent(emu)["promptObject"]
    assert po["seed"] == 42 and po["tag"] == "x y" and po["size"] == "1024x1024"


def test_bad_option_values_fail_before_sending(emu: Emulator) -> None:
    r = run_cli("image", "fox", "--size", "big", emu=emu)
    assert r.code == 2 and "expected WIDTHxHEIGHT" in r.err and "usage: oneminai image" in r.err
    r = run_cli("image", "fox", "-n", "99", emu=emu)  # the registry's limit for the family
    assert r.code == 2 and "Traceback" not in r.err
    assert r.err.splitlines()[-1].startswith("error: generate_image: num_images=99 is out of")
    r = run_cli("image", "fox", "--set", "novalue", emu=emu)
    assert r.code == 2 and "--set expects NAME=VALUE" in r.err
    assert emu.requests_to("/api/features", "POST") == []


def test_edit_uploads_the_local_image_with_progress(emu: Emulator, tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    r = run_cli("edit", str(photo), "make it blue", "--out", str(tmp_path / "o"), emu=emu)
    assert r.code == 0, r.err
    assert "uploading photo.png (40 B)…" in r.err and "uploaded photo.png → images/" in r.err
    key = next(k for k, a in emu.assets.items() if a.data == PNG)
    body = _sent(emu)
    assert body["type"] == "IMAGE_EDITOR" and body["promptObject"]["imageUrl"] == key
    assert Path(r.out.strip()).is_file()


def test_tts_then_stt_on_the_saved_file(emu: Emulator, tmp_path: Path) -> None:
    r = run_cli("tts", "-", "--voice", "nova", "--out", str(tmp_path), emu=emu, stdin="Hello!")
    assert r.code == 0, r.err
    audio = Path(r.out.strip())
    assert audio.suffix == ".mp3" and audio.stat().st_size > 0
    po = _sent(emu)["promptObject"]
    assert po["text"] == "Hello!" and po["voice"] == "nova"
    r = run_cli("stt", str(audio), "--language", "en", emu=emu)
    assert r.code == 0, r.err
    assert r.out.strip()  # the transcription text
    body = _sent(emu)
    assert body["type"] == "SPEECH_TO_TEXT" and body["promptObject"]["language"] == "en"
    assert body["promptObject"]["audioUrl"].startswith("audios/")


def test_video_job_reports_polling_progress(emu: Emulator, tmp_path: Path) -> None:
    emu.config.async_pending_polls = 2
    r = run_cli("video", "a cat", "--poll-interval", "0.05", "--out", str(tmp_path), emu=emu)
    assert r.code == 0, r.err
    assert Path(r.out.strip()).suffix == ".mp4"
    polls = [line for line in r.err.splitlines() if line.startswith("generate video: ")]
    assert polls[0].startswith("generate video: processing") and "0 polls" in polls[0]
    assert polls[-1].startswith("generate video: success")
    assert len(polls) == 4  # the start, two pending polls, the success
    assert _sent(emu)["async"] is True


def test_video_from_an_image_switches_feature(emu: Emulator, tmp_path: Path) -> None:
    photo = tmp_path / "still.png"
    photo.write_bytes(PNG)
    r = run_cli("video", "wave", "--image", str(photo), "--no-download", emu=emu)
    assert r.code == 0, r.err
    body = _sent(emu)
    assert body["type"] == "IMAGE_TO_VIDEO" and body["promptObject"]["imageUrl"].startswith(
        "images/"
    )


def test_no_wait_then_result(emu: Emulator, tmp_path: Path) -> None:
    r = run_cli("music", "calm jazz", "--no-wait", "--instrumental", emu=emu)
    assert r.code == 0, r.err
    record_id = r.out.strip()
    assert record_id in emu.records
    assert f"oneminai result {record_id}" in r.err
    r = run_cli("result", record_id, "--poll-interval", "0.05", "--out", str(tmp_path), emu=emu)
    assert r.code == 0, r.err
    assert Path(r.out.strip()).suffix == ".mp3" and Path(r.out.strip()).parent == tmp_path


def test_feature_runs_any_registry_method(emu: Emulator, tmp_path: Path) -> None:
    r = run_cli("feature", "--list", emu=emu)
    from oneminai_webapi import _registry

    listed = {line.split()[0] for line in r.out.splitlines() if not line.startswith(" ")}
    assert listed == set(_registry.METHODS)
    photo = tmp_path / "p.png"
    photo.write_bytes(PNG)
    r = run_cli("feature", "remove_background", f"image_url={photo}", "--no-download", emu=emu)
    assert r.code == 0, r.err
    assert _sent(emu)["type"] == "BACKGROUND_REMOVER"
    r = run_cli("feature", "summarize", "text=a long text", "--json", emu=emu)
    assert r.code == 0 and r.json()["text"].endswith("a long text")
    r = run_cli("feature", "summarize", emu=emu)
    assert r.code == 2 and r.err == "error: summarize needs text=…\n"
    r = run_cli("feature", "summarize", "txt=x", emu=emu)
    assert r.code == 2 and "among: text" in r.err
    r = run_cli("feature", "nope", emu=emu)
    assert r.code == 2 and "unknown feature method 'nope'" in r.err
