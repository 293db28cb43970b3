"""Issue 14 item 6 (and the file-system half of item 7): downloads are safe by construction.

The server chooses the URL (and may send any ``Content-Disposition``); its name is only a
suggestion. Files are never overwritten unless asked, nothing is left behind on failure,
and file-system errors are typed.
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
from pathlib import Path
from typing import Any

import pytest
from oneminai_webapi.exceptions import FileSaveError, InvalidRequestError, OneMinAIError

from .hostile_server import KINDS, Conn, Req, run

pytestmark = pytest.mark.parametrize("kind", KINDS)

PNG = b"\x89PNG\r\n\x1a\n" + b"pixels" * 100


def serve(content_type: str = "image/png", body: bytes = PNG, **headers: str) -> Any:
    async def handler(conn: Conn, req: Req) -> None:
        await conn.respond(200, body, headers, content_type=content_type)

    return handler


def saver(path: str, directory: Path, **options: Any) -> Any:
    """An action saving ``<server>/<path>`` into ``directory`` with ``save(**options)``."""

    def act(client: Any) -> Any:
        from oneminai_webapi.types import GeneratedImage

        image = GeneratedImage(url=client.base_url + path)
        image._bind(client)
        return image.save(directory, **options)

    return act


def files_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


HOSTILE_NAMES = [
    ("/files/..%2F..%2Fevil.png", "image/png", "evil.png"),
    ("/files/..%5C..%5Cevil.png", "image/png", "evil.png"),
    ("/files/C:%5CWindows%5Cwin.png", "image/png", "win.png"),
    ("/files/.bashrc", "image/png", "bashrc.png"),
    ("/files/...", "image/png", "download.png"),
    ("/files/%2E%2E", "image/png", "download.png"),
    ("/files/", "image/png", "download.png"),
    ("/files/evil%0A%0Dname%00%1B.png", "image/png", "evilname.png"),
    ("/files/cat%E2%80%AEgnp.exe", "image/png", "catgnp.png"),  # bidi override removed
    ("/files/cat.exe", "image/png", "cat.png"),  # the extension fits the content
    ("/files/cat.jpeg", "image/jpeg", "cat.jpeg"),
    ("/files/song", "audio/mpeg", "song.mp3"),
    ("/files/blob.bin", "application/octet-stream", "blob.bin"),
    ("/files/CON.png", "image/png", "_CON.png"),
    ("/files/what%3F%2A%7C%3C%3E.png", "image/png", "what_____.png"),
    ("/files/trailing.png.%20.", "image/png", "trailing.png"),
]


@pytest.mark.parametrize(("path", "content_type", "expected"), HOSTILE_NAMES)
def test_server_chosen_names_are_suggestions(
    kind: str, canary: str, tmp_path: Path, path: str, content_type: str, expected: str
) -> None:
    out_dir = tmp_path / "out"
    hostile = {"Content-Disposition": 'attachment; filename="../../.bashrc"'}
    out = run(kind, serve(content_type, **hostile), saver(path, out_dir), key=canary)
    assert out.error is None, out.error
    saved = Path(out.value)
    assert saved.parent == out_dir.resolve()
    assert saved.name == expected
    assert files_in(out_dir) == [expected]
    assert files_in(tmp_path) == ["out"]
    assert saved.read_bytes() == PNG


def test_long_server_names_are_bounded(kind: str, canary: str, tmp_path: Path) -> None:
    path = "/files/" + "é" * 300 + ".png"
    out = run(kind, serve(), saver(path, tmp_path), key=canary)
    assert out.error is None, out.error
    name = Path(out.value).name
    assert name.endswith(".png") and len(name.encode()) <= 120
    assert files_in(tmp_path) == [name]


def test_never_overwrites_unless_asked(kind: str, canary: str, tmp_path: Path) -> None:
    (tmp_path / "cat.png").write_bytes(b"old")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.png"
    outside.write_bytes(b"outside")
    (tmp_path / "dog.png").symlink_to(outside)  # a link planted under the target name
    (tmp_path / "bird.png").mkdir()

    first = run(kind, serve(), saver("/files/cat.png", tmp_path), key=canary)
    second = run(kind, serve(), saver("/files/cat.png", tmp_path), key=canary)
    linked = run(kind, serve(), saver("/files/dog.png", tmp_path), key=canary)
    folder = run(kind, serve(), saver("/files/bird.png", tmp_path), key=canary)
    for out in (first, second, linked, folder):
        assert out.error is None, out.error
    assert Path(first.value).name == "cat (1).png"
    assert Path(second.value).name == "cat (2).png"
    assert Path(linked.value).name == "dog (1).png"
    assert Path(folder.value).name == "bird (1).png"
    assert (tmp_path / "cat.png").read_bytes() == b"old"
    assert outside.read_bytes() == b"outside"
    assert (tmp_path / "dog.png").is_symlink()

    replaced = run(kind, serve(), saver("/files/cat.png", tmp_path, overwrite=True), key=canary)
    assert replaced.error is None, replaced.error
    assert Path(replaced.value).name == "cat.png"
    assert (tmp_path / "cat.png").read_bytes() == PNG
    named = run(kind, serve(), saver("/files/x.png", tmp_path, filename="cat.png"), key=canary)
    assert Path(named.value).name == "cat (3).png"
    assert not any(n.startswith(".part-") for n in files_in(tmp_path))


def test_overlong_given_name_leaves_nothing(kind: str, canary: str, tmp_path: Path) -> None:
    out = run(
        kind, serve(), saver("/files/a.png", tmp_path, filename="n" * 300 + ".png"), key=canary
    )
    assert isinstance(out.error, FileSaveError), out.error
    assert isinstance(out.error, OSError) and isinstance(out.error, OneMinAIError)
    assert files_in(tmp_path) == []


@pytest.mark.parametrize(
    "name", ["../x.png", "a/b.png", "a\\b.png", "x\x00.png", "\n.png", ".", ".."]
)
def test_refused_given_names_send_nothing(
    kind: str, canary: str, tmp_path: Path, name: str
) -> None:
    out = run(kind, serve(), saver("/files/a.png", tmp_path, filename=name), key=canary)
    assert isinstance(out.error, InvalidRequestError), out.error
    assert out.server.requests == []
    assert files_in(tmp_path) == []


def test_target_folder_that_is_a_file_is_a_typed_error(
    kind: str, canary: str, tmp_path: Path
) -> None:
    blocker = tmp_path / "out"
    blocker.write_bytes(b"a file, not a folder")
    out = run(kind, serve(), saver("/files/a.png", blocker / "sub"), key=canary)
    assert isinstance(out.error, FileSaveError), out.error
    assert "could not create the folder" in str(out.error).lower()
    assert files_in(tmp_path) == ["out"]
    clone = pickle.loads(pickle.dumps(out.error))
    assert str(clone) == str(out.error) and clone.path == out.error.path


def test_disk_full_mid_download_is_typed_and_leaves_nothing(
    kind: str, canary: str, tmp_path: Path
) -> None:
    """A real write error: the file-size limit of the process (EFBIG) as a full disk."""
    big = PNG * 400  # ~240 KB

    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    def limited(client: Any) -> Any:
        from oneminai_webapi.types import GeneratedImage

        image = GeneratedImage(url=client.base_url + "/files/big.png")
        image._bind(client)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))
        try:
            result = image.save(tmp_path)
            if kind == "sync":
                return result

            async def wait() -> Any:
                try:
                    return await result
                finally:
                    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))

            return wait()
        finally:
            if kind == "sync":
                resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))

    try:
        out = run(kind, serve(body=big), limited, key=canary)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert isinstance(out.error, FileSaveError), out.error
    assert out.error.reason
    assert files_in(tmp_path) == []
    assert os.path.exists(tmp_path)


def test_stream_deadlines_do_not_cut_downloads(kind: str, canary: str, tmp_path: Path) -> None:
    """``first_event``/``stream_total`` are for chat answers: a file arriving in ten pieces
    over 0.5 s is saved with ``stream_total=0.2``; only ``read`` bounds its silences."""
    from oneminai_webapi import Timeouts

    async def slow_file(conn: Conn, req: Req) -> None:
        import asyncio

        await conn.head(200, {"Content-Type": "image/png"}, chunked=True)
        for _ in range(10):
            await conn.chunk(PNG)
            await asyncio.sleep(0.05)
        await conn.end_chunks()

    timeouts = Timeouts(connect=1, read=1, total=5, stream_total=0.2, first_event=0.1)
    out = run(kind, slow_file, saver("/files/slow.png", tmp_path), key=canary, timeouts=timeouts)
    assert out.error is None, out.error
    assert Path(out.value).read_bytes() == PNG * 10


def test_slow_download_headers_are_bounded_by_read(kind: str, canary: str, tmp_path: Path) -> None:
    from oneminai_webapi import Timeouts
    from oneminai_webapi.exceptions import APITimeoutError

    async def trickle(conn: Conn, req: Req) -> None:
        await conn.trickle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"s" * 300, 0.02)

    timeouts = Timeouts(connect=1, read=0.3, total=5)
    out = run(
        kind, trickle, saver("/files/a.png", tmp_path), key=canary, timeouts=timeouts, max_retries=0
    )
    assert isinstance(out.error, APITimeoutError), out.error
    assert out.elapsed < 1.0
    assert files_in(tmp_path) == []
