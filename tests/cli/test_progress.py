"""The progress reporter: in place on a terminal, plain lines otherwise, silent when off;
uploads and downloads on the same transfer line."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from oneminai_webapi._cli._app import App
from oneminai_webapi._cli._progress import Progress, human_size
from oneminai_webapi.testing import Emulator
from oneminai_webapi.types import JobProgress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_human_size() -> None:
    assert [human_size(n) for n in (None, 0, 999, 1000, 1_234_567, 5 * 10**12)] == [
        "?", "0 B", "999 B", "1.0 KB", "1.2 MB", "5000.0 GB",
    ]  # fmt: skip


def test_terminal_rewrites_one_line_and_clears_it() -> None:
    out = Terminal()
    progress = Progress(out, enabled=True, interval=0)
    report = progress.transfer("downloading a.png")
    for done in (0, 500, 1000):
        report(done, 1000)
    progress.clear()
    text = out.getvalue()
    assert "\n" not in text
    assert text.count("\r\x1b[K") == 4  # three updates, one clear
    assert "downloading a.png 1.0 KB/1.0 KB 100%" in text


def test_terminal_throttles_chunk_updates_but_shows_the_end() -> None:
    out = Terminal()
    report = Progress(out, enabled=True, interval=60).transfer("x")
    for done in range(0, 1001, 10):
        report(done, 1000)
    assert out.getvalue().count("\r\x1b[K") == 2  # the start and the end only


def test_pipe_gets_one_line_per_step() -> None:
    out = io.StringIO()
    progress = Progress(out, enabled=True)
    report = progress.transfer("downloading a.png")
    for done in (0, 10, 20):
        report(done, None)
    job = progress.job("generate video")
    job(JobProgress(status="PROCESSING", elapsed_s=0, polls=0))
    job(JobProgress(status="PROCESSING", elapsed_s=2.2, polls=1))
    job(JobProgress(status="SUCCESS", elapsed_s=5, polls=2))
    progress.done("saved")
    assert out.getvalue().splitlines() == [
        "downloading a.png (?)…",
        "generate video: processing · 0 s · 0 polls",
        "generate video: processing · 2 s · 1 poll",
        "generate video: success · 5 s · 2 polls",
        "saved",
    ]


def test_disabled_writes_nothing() -> None:
    out = Terminal()
    progress = Progress(out, enabled=False)
    progress.update("a")
    progress.transfer("b")(0, 1)
    progress.done("c")
    progress.clear()
    assert out.getvalue() == ""


def test_uploads_show_their_bytes_on_the_transfer_line(emu: Emulator, tmp_path: Path) -> None:
    """Issue 18 item 5: on a terminal, an upload's line counts its bytes as they are sent."""
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 299_992)  # 300 KB: five 64 KiB pieces
    err = Terminal()
    app = App(argparse.Namespace(api_key=emu.api_key, base_url=emu.base_url), stderr=err)
    app.progress._interval = 0  # show every piece
    try:
        record = app.upload(photo, "IMAGE")
    finally:
        app.close()
    shown = [s for s in err.getvalue().split("\r\x1b[K") if s]
    assert shown[:3] == [
        "uploading photo.png 0 B/300.0 KB   0%",
        "uploading photo.png 65.5 KB/300.0 KB  21%",
        "uploading photo.png 131.1 KB/300.0 KB  43%",
    ]
    assert shown[-2:] == [
        "uploading photo.png 300.0 KB/300.0 KB 100%",
        f"uploaded photo.png → {record.asset_key}\n",
    ]
    assert emu.assets[record.asset_key].data == photo.read_bytes()
