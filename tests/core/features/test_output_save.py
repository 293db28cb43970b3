"""Saving outputs: through the client that made them, or ``client.save(output, ...)``.

Outputs are data: they reach their client through the small ``OutputSaver`` protocol
declared in ``types.py`` (``types`` imports nothing from ``_client``). A sync client's
output saves synchronously and returns the path; an output that no client made raises
:class:`UnboundOutputError` at once (never a coroutine), with nothing sent.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import oneminai_webapi
import pytest
from oneminai_webapi import InvalidRequestError, UnboundOutputError
from oneminai_webapi.testing import Emulator
from oneminai_webapi.types import AudioOutput, GeneratedImage, ImageOutput, VideoOutput

from .conftest import call, make_client


def test_types_module_does_not_import_the_clients() -> None:
    source = Path(oneminai_webapi.types.__file__).read_text()
    modules = [
        node.module or ""
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
    ]
    assert not [m for m in modules if m.startswith("_client")], modules


@pytest.mark.parametrize(
    "output",
    [
        GeneratedImage(url="https://cdn.example/a.png"),
        AudioOutput(audio_url="https://cdn.example/a.mp3"),
        VideoOutput(video_url="https://cdn.example/a.mp4"),
    ],
)
def test_an_output_no_client_made_raises_a_typed_error_not_a_coroutine(
    output: Any, tmp_path: Path
) -> None:
    with pytest.raises(UnboundOutputError, match=r"client\.save\(output, directory\)") as info:
        output.save(tmp_path)
    assert type(output).__name__ in str(info.value)
    assert isinstance(info.value, oneminai_webapi.OneMinAIError)
    assert list(tmp_path.iterdir()) == []


def test_sync_client_output_saves_synchronously_and_returns_the_path(
    emu: Emulator, tmp_path: Path
) -> None:
    with make_client("sync", emu) as client:
        out = client.generate_image("fox")
        path = out.image.save(tmp_path)
        assert not inspect.isawaitable(path)
        assert isinstance(path, Path) and path.is_file()
        assert path.read_bytes()[:4] == b"\x89PNG"
        audio = client.text_to_speech("hello")
        spoken = audio.save(tmp_path)
        assert isinstance(spoken, Path) and spoken.suffix == ".mp3" and spoken.is_file()


async def test_async_client_output_save_is_awaitable(emu: Emulator, tmp_path: Path) -> None:
    async with make_client("async", emu) as client:
        out = await client.generate_image("fox")
        pending = out.image.save(tmp_path)
        assert inspect.isawaitable(pending)
        path = await pending
        assert isinstance(path, Path) and path.read_bytes()[:4] == b"\x89PNG"


async def test_client_save_downloads_an_output_no_client_made(
    client: Any, emu: Emulator, tmp_path: Path
) -> None:
    made = await call(client.generate_image("fox"))
    # The same data rebuilt by hand (as after a JSON round trip): no client attached.
    rebuilt = ImageOutput.model_validate_json(made.model_dump_json())
    with pytest.raises(UnboundOutputError):
        rebuilt.image.save(tmp_path)
    path = await call(client.save(rebuilt.image, tmp_path, filename="again"))
    assert isinstance(path, Path) and path.name == "again.png"
    assert path.read_bytes() == (await call(made.image.save(tmp_path / "bound"))).read_bytes()


async def test_client_save_refuses_what_has_no_file_before_sending(
    client: Any, emu: Emulator, tmp_path: Path
) -> None:
    out = await call(client.generate_image("fox"))
    before = len(emu.requests)
    with pytest.raises(InvalidRequestError, match=r"\.images"):
        client.save(out, tmp_path)
    assert len(emu.requests) == before
    assert list(tmp_path.iterdir()) == []
