"""Issue 14 item 1: a model-supplied file argument never sends a local file away unless
local files are allowed; the path checked is exactly the path the client opens.

One implementation (``oneminai_webapi.integrations.check_file_reference``) serves the
LangChain tools and the LlamaIndex tool spec; both are attacked here through their sync
and async paths against the emulator, which records every upload.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oneminai_webapi import SyncOneMinAIClient
from oneminai_webapi._protocol._features import PendingUpload, resolve_input
from oneminai_webapi.exceptions import InvalidRequestError, LocalFileRefusedError, OneMinAIError
from oneminai_webapi.integrations import check_file_reference
from oneminai_webapi.testing import Emulator

PNG = b"\x89PNG\r\n\x1a\n" + b"secret-bytes" * 4


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private HOME and working directory holding ``secret.png`` in both."""
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    (home / "secret.png").write_bytes(PNG)
    (work / "secret.png").write_bytes(PNG)
    (work / "images").mkdir()
    (work / "images" / "cat.png").write_bytes(PNG)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    return home


def uploads(emu: Emulator) -> list[bytes]:
    """The contents of the files uploaded to the emulator (generated results left out)."""
    return [a.data for a in emu.assets.values() if a.data is not None]


def local_forms(home: Path) -> list[Any]:
    """Every way an attacker can name a local file."""
    absolute = str(home / "secret.png")
    return [
        "~/secret.png",
        " ~/secret.png",
        "~/secret.png\n",
        "\t~/secret.png \r\n",
        absolute,
        f"  {absolute}\n",
        "secret.png",  # relative, names an existing file
        " secret.png\n",
        "./secret.png",
        "../work/secret.png",
        "images/cat.png",  # asset-key shaped, but a local file: the client would open it
        f"file://{absolute}",
        f"FILE://{absolute}",
        f"file://localhost{absolute}",
        "file://fileserver/share/secret.png",
        "C:\\Users\\me\\secret.png",
        "c:/Users/me/secret.png",
        "C:",
        "\\\\fileserver\\share\\secret.png",
        "//fileserver/share/secret.png",
        "..\\secret.png",
        "folder\\secret.png",
        "~root/.ssh/id_rsa",
        "~nosuchuser-xyz/secret",
        ".",
        "..",
        "/",
        "~",
        Path(absolute),
        Path("secret.png"),
    ]


def test_every_local_form_is_refused(home: Path) -> None:
    for value in local_forms(home):
        with pytest.raises(LocalFileRefusedError, match="Local files are not allowed") as info:
            check_file_reference(value, allow_local_files=False)
        err = info.value
        assert isinstance(err, InvalidRequestError)
        assert isinstance(err, ValueError)
        assert isinstance(err, OneMinAIError)


def test_urls_and_asset_keys_pass_stripped(home: Path) -> None:
    for value, expected in [
        ("https://example.com/a.png", "https://example.com/a.png"),
        ("  http://example.com/a.png\n", "http://example.com/a.png"),
        (" images/2024_01_01_abc.png ", "images/2024_01_01_abc.png"),  # no such local file
        ("file-id-1234", "file-id-1234"),
    ]:
        assert check_file_reference(value, allow_local_files=False) == expected


@pytest.mark.parametrize("value", ["", "   ", "\n"])
def test_empty_values_are_invalid(value: str) -> None:
    with pytest.raises(InvalidRequestError):
        check_file_reference(value, allow_local_files=False)


def test_non_text_values_are_invalid() -> None:
    for value in (None, 3, b"/etc/passwd", ["~/x"]):
        with pytest.raises(InvalidRequestError):
            check_file_reference(value, allow_local_files=False)  # type: ignore[arg-type]


def test_allowed_local_files_come_back_resolved(home: Path) -> None:
    target = (home / "secret.png").resolve()
    for value in (" ~/secret.png\n", str(home / "secret.png"), f"file://{home}/secret.png"):
        assert check_file_reference(value, allow_local_files=True) == target
    work = Path.cwd().resolve()
    assert check_file_reference("./secret.png", allow_local_files=True) == work / "secret.png"
    assert check_file_reference("images/cat.png", allow_local_files=True) == (
        work / "images" / "cat.png"
    )


def test_allowed_roots(home: Path, tmp_path: Path) -> None:
    root = tmp_path / "shared"
    root.mkdir()
    (root / "ok.png").write_bytes(PNG)
    (root / "escape.png").symlink_to(home / "secret.png")  # a link leading out of the root
    (root / "inner").symlink_to(root / "ok.png")  # a link staying inside
    roots = [str(root)]
    assert (
        check_file_reference(str(root / "ok.png"), allow_local_files=False, allowed_roots=roots)
        == (root / "ok.png").resolve()
    )
    assert (
        check_file_reference(f" {root}/inner\n", allow_local_files=False, allowed_roots=[root])
        == (root / "ok.png").resolve()
    )
    for escaping in (
        str(root / "escape.png"),
        f"{root}/../home/secret.png",
        str(home / "secret.png"),
        f"{root}x/ok.png",  # a sibling whose name starts like the root
        "~/secret.png",
    ):
        with pytest.raises(LocalFileRefusedError, match="allowed folders"):
            check_file_reference(escaping, allow_local_files=False, allowed_roots=roots)
    # a relative path is resolved against the working directory, as the client opens it
    os.chdir(root)
    assert (
        check_file_reference("ok.png", allow_local_files=False, allowed_roots=roots)
        == (root / "ok.png").resolve()
    )


# ── the client opens what was checked ────────────────────────────────────────────────


def test_client_resolution_matches_the_check(home: Path) -> None:
    """Whatever the policy lets through as text, the client sends as text (never opens it);
    whatever it resolves, the client reads from exactly that file."""
    for value in [*local_forms(home), "https://x.test/a.png", "images/none.png", "key-1"]:
        try:
            checked = check_file_reference(value, allow_local_files=True)
        except InvalidRequestError:
            continue  # unresolvable (another host's file: URL, unknown ~user): never opened
        try:
            used = resolve_input(value, "image_url", "IMAGE")
        except InvalidRequestError:
            assert isinstance(checked, Path) and not checked.is_file()
            continue
        if isinstance(checked, str):
            assert used == checked
        else:
            assert isinstance(used, PendingUpload)
            via_path = resolve_input(checked, "image_url", "IMAGE")
            assert isinstance(via_path, PendingUpload)
            # the part streams from disk when sent: it must read exactly the checked file
            assert used.part.path is not None and via_path.part.path is not None
            assert used.part.path.resolve() == via_path.part.path.resolve() == checked
            assert used.part.size == via_path.part.size == checked.stat().st_size


_PREFIXES = st.sampled_from(
    [
        "",
        " ",
        "\n",
        "~",
        "~/",
        "/",
        "./",
        "../",
        "file:",
        "file://",
        "C:",
        "\\\\",
        "images/",
        "http://",
    ]
)
_NAMES = st.sampled_from(["secret.png", "cat.png", "images/cat.png", "x", "", "..", "a\\b"])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(prefix=_PREFIXES, name=_NAMES, suffix=st.sampled_from(["", " ", "\n", "\t"]))
def test_text_the_policy_passes_is_never_opened(
    home: Path, prefix: str, name: str, suffix: str
) -> None:
    value = prefix + name + suffix
    try:
        checked = check_file_reference(value, allow_local_files=False)
    except InvalidRequestError:
        return
    assert isinstance(checked, str)
    assert resolve_input(value, "image_url", "IMAGE") == checked


# ── end to end: LangChain tools and the LlamaIndex tool spec, sync and async ─────────


def _langchain_tools(base_url: str, key: str, allow: bool) -> list[tuple[Any, str]]:
    from langchain_oneminai.tools.media import OneMinAIImageEditTool, OneMinAISpeechToTextTool

    return [
        (OneMinAIImageEditTool(api_key=key, base_url=base_url, allow_local_files=allow), "image"),
        (
            OneMinAISpeechToTextTool(api_key=key, base_url=base_url, allow_local_files=allow),
            "audio",
        ),
    ]


def _lc_args(arg: str, value: Any) -> dict[str, Any]:
    return {arg: value, "prompt": "make it blue"} if arg == "image" else {arg: value}


def test_langchain_tools_refuse_local_files_sync(
    emu_thread: Emulator, canary: str, home: Path
) -> None:
    for tool, arg in _langchain_tools(emu_thread.base_url, canary, allow=False):
        for value in local_forms(home):
            if isinstance(value, Path):
                continue  # tool arguments are JSON: text only
            # handle_tool_error is on: the refusal is the tool's result, read by the model
            refusal = tool.invoke(_lc_args(arg, value))
            assert re.match(rf"LocalFileRefusedError: {arg}: .*local file", refusal), refusal
        tool.api_wrapper.close()
    assert emu_thread.requests_to("/api/assets") == []
    assert emu_thread.requests == []


async def test_langchain_tools_refuse_local_files_async(
    emu: Emulator, canary: str, home: Path
) -> None:
    for tool, arg in _langchain_tools(emu.base_url, canary, allow=False):
        for value in local_forms(home):
            if isinstance(value, Path):
                continue
            refusal = await tool.ainvoke(_lc_args(arg, value))
            assert re.match(rf"LocalFileRefusedError: {arg}: .*local file", refusal), refusal
        await tool.api_wrapper.aclose()
    assert emu.requests == []


def test_langchain_tool_uploads_the_checked_file_when_allowed(
    emu_thread: Emulator, canary: str, home: Path
) -> None:
    tool, arg = _langchain_tools(emu_thread.base_url, canary, allow=True)[0]
    try:
        tool.invoke(_lc_args(arg, " ~/secret.png\n"))
    finally:
        tool.api_wrapper.close()
    uploaded = uploads(emu_thread)
    assert uploaded == [PNG]


async def test_langchain_tool_uploads_the_checked_file_when_allowed_async(
    emu: Emulator, canary: str, home: Path
) -> None:
    tool, arg = _langchain_tools(emu.base_url, canary, allow=True)[0]
    try:
        await tool.ainvoke(_lc_args(arg, "\t~/secret.png "))
    finally:
        await tool.api_wrapper.aclose()
    assert uploads(emu) == [PNG]


def test_llamaindex_tools_refuse_local_files_sync(
    emu_thread: Emulator, canary: str, home: Path
) -> None:
    from llama_index.tools.oneminai import OneMinAIToolSpec

    with OneMinAIToolSpec(api_key=canary, base_url=emu_thread.base_url) as spec:
        tools = {
            t.metadata.name: t
            for t in spec.to_tool_list(["oneminai_image_edit", "oneminai_speech_to_text"])
        }
        for value in local_forms(home):
            if isinstance(value, Path):
                continue
            refused = tools["oneminai_image_edit"].call(image=value, prompt="x")
            assert refused.is_error, refused.content  # returned to the agent's model
            assert isinstance(refused.exception, LocalFileRefusedError)
            assert re.match(r"Error: LocalFileRefusedError: .*local file", refused.content)
            refused = tools["oneminai_speech_to_text"].call(audio=value)
            assert refused.is_error, refused.content  # returned to the agent's model
            assert isinstance(refused.exception, LocalFileRefusedError)
    assert emu_thread.requests == []


async def test_llamaindex_tools_refuse_local_files_async(
    emu: Emulator, canary: str, home: Path
) -> None:
    from llama_index.tools.oneminai import OneMinAIToolSpec

    async with OneMinAIToolSpec(api_key=canary, base_url=emu.base_url) as spec:
        tools = {
            t.metadata.name: t
            for t in spec.to_tool_list(["oneminai_image_edit", "oneminai_speech_to_text"])
        }
        for value in local_forms(home):
            if isinstance(value, Path):
                continue
            refused = await tools["oneminai_image_edit"].acall(image=value, prompt="x")
            assert refused.is_error, refused.content  # returned to the agent's model
            assert isinstance(refused.exception, LocalFileRefusedError)
            refused = await tools["oneminai_speech_to_text"].acall(audio=value)
            assert refused.is_error, refused.content  # returned to the agent's model
            assert isinstance(refused.exception, LocalFileRefusedError)
    assert emu.requests == []


def test_llamaindex_tool_uploads_the_checked_file_when_allowed(
    emu_thread: Emulator, canary: str, home: Path
) -> None:
    from llama_index.tools.oneminai import OneMinAIToolSpec

    with OneMinAIToolSpec(
        api_key=canary, base_url=emu_thread.base_url, allow_local_files=True
    ) as spec:
        tool = spec.to_tool_list(["oneminai_image_edit"])[0]
        output = tool.call(image=" ~/secret.png\n", prompt="x")
        assert not output.is_error, output.content
    assert uploads(emu_thread) == [PNG]


async def test_llamaindex_tool_uploads_the_checked_file_when_allowed_async(
    emu: Emulator, canary: str, home: Path
) -> None:
    from llama_index.tools.oneminai import OneMinAIToolSpec

    async with OneMinAIToolSpec(
        api_key=canary, base_url=emu.base_url, allow_local_files=True
    ) as spec:
        tool = spec.to_tool_list(["oneminai_image_edit"])[0]
        output = await tool.acall(image="~/secret.png\n", prompt="x")
        assert not output.is_error, output.content
    assert uploads(emu) == [PNG]


def test_core_client_reads_whitespace_and_home_paths_as_the_check_does(
    emu_thread: Emulator, canary: str, home: Path
) -> None:
    """The core client (which trusts its caller) opens ``" ~/secret.png\\n"`` as
    ``~/secret.png``: the same file the policy resolves."""
    with SyncOneMinAIClient(canary, base_url=emu_thread.base_url) as client:
        client.edit_image(" ~/secret.png\n", "x")
    assert uploads(emu_thread) == [PNG]
