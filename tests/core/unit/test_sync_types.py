"""The sync client's typed facade is generated from the shared method list and kept fresh."""

from __future__ import annotations

import inspect
import pydoc
import subprocess
import sys
from pathlib import Path

from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient

ROOT = Path(__file__).resolve().parents[3]


def test_generated_sync_signatures_are_up_to_date() -> None:
    script = ROOT / "scripts" / "gen_sync_types.py"
    result = subprocess.run([sys.executable, str(script), "--check"], check=False)
    assert result.returncode == 0, "run: uv run python scripts/gen_sync_types.py"


def test_sync_and_async_clients_offer_the_same_methods() -> None:
    def public(cls: type) -> dict[str, inspect.Signature]:
        return {
            name: inspect.signature(member)
            for name, member in inspect.getmembers(cls, inspect.isfunction)
            if not name.startswith("_")
        }

    sync, aio = public(SyncOneMinAIClient), public(OneMinAIClient)
    assert set(sync) - {"close"} == set(aio) - {"close"}
    for name, signature in aio.items():
        if name != "close":
            # The same parameters; the return annotations differ (see the next test).
            assert sync[name].parameters == signature.parameters, name


def _unwrapped(annotation: str) -> str:
    """``Awaitable[X]`` → ``X``, async streams → sync streams (as the facade does)."""
    for old, new in (
        ("AsyncChatStream", "SyncChatStream"),
        ("AsyncCompletionStream", "SyncCompletionStream"),
    ):
        annotation = annotation.replace(old, new)
    parts = annotation.split(" | ")
    return " | ".join(p[len("Awaitable[") : -1] if p.startswith("Awaitable[") else p for p in parts)


def test_help_on_a_sync_method_shows_the_sync_return_type() -> None:
    cases = {
        "generate_image": ("Awaitable[ImageOutput]", "ImageOutput"),
        "generate_content": ("Awaitable[ChatOutput]", "ChatOutput"),
        "generate_content_stream": ("AsyncChatStream", "SyncChatStream"),
        "chat": ("Awaitable[ChatOutput] | AsyncChatStream", "ChatOutput | SyncChatStream"),
        "list_models": ("Awaitable[list[ModelInfo]]", "list[ModelInfo]"),
        "save": ("Awaitable[Path]", "Path"),
        "delete_conversation": ("Awaitable[None]", "None"),
    }
    for name, (async_returns, sync_returns) in cases.items():
        assert inspect.signature(getattr(OneMinAIClient, name)).return_annotation == async_returns
        method = getattr(SyncOneMinAIClient, name)
        assert inspect.signature(method).return_annotation == sync_returns, name
        assert method.__annotations__["return"] == sync_returns, name
        assert f"-> '{sync_returns}'" in pydoc.render_doc(method, renderer=pydoc.plaintext), name
    for name, member in inspect.getmembers(SyncOneMinAIClient, inspect.isfunction):
        returns = inspect.signature(member).return_annotation
        if name.startswith("_") or name == "close" or name == "start_chat":
            continue
        assert isinstance(returns, str) and "Awaitable" not in returns and "Async" not in returns, (
            name
        )
        assert returns == _unwrapped(
            inspect.signature(getattr(OneMinAIClient, name)).return_annotation
        ), name


def test_a_sync_method_still_runs_the_shared_implementation() -> None:
    from oneminai_webapi._client._methods import ClientMethods
    from oneminai_webapi._client.features import feature_spec

    assert SyncOneMinAIClient.generate_image.__wrapped__ is ClientMethods.generate_image
    assert feature_spec(SyncOneMinAIClient.generate_image) is feature_spec(
        ClientMethods.generate_image
    )
    assert SyncOneMinAIClient.chat.__doc__ == ClientMethods.chat.__doc__


def test_the_typing_checks_are_part_of_make_type() -> None:
    # ``make type`` runs mypy on pyproject's [tool.mypy] files: the assert_type module is one.
    mypy_section = (ROOT / "pyproject.toml").read_text().split("[tool.mypy]", 1)[1]
    files = mypy_section.split("files = [", 1)[1].split("]", 1)[0]
    assert '"tests/typing/typed_surface.py"' in files
    assert (ROOT / "tests/typing/typed_surface.py").is_file()
