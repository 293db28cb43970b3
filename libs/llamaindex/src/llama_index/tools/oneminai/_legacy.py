"""The tool spec's earlier names (``generate_image``, ``web_search``, …), deprecated.

They keep working for one release: in ``to_tool_list([...])`` and ``tools=`` they select
the renamed shared tool, and the old methods still run (translating their arguments) and
return what they returned; each use warns with a ``DeprecationWarning``.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any

from llama_index.core.base.llms.types import ContentBlock

from ._tool import result_blocks

if TYPE_CHECKING:
    from oneminai_webapi.integrations import ToolResult

__all__ = ["RENAMED_TOOLS", "DeprecatedMethods", "is_old_name", "renamed"]

#: The old function names and the shared tools that replace them.
RENAMED_TOOLS: dict[str, str] = {
    "generate_image": "oneminai_image_generation",
    "edit_image": "oneminai_image_edit",
    "text_to_speech": "oneminai_text_to_speech",
    "speech_to_text": "oneminai_speech_to_text",
    "generate_video": "oneminai_video_generation",
    "generate_music": "oneminai_music_generation",
    "web_search": "oneminai_ask",
}
_ARGUMENT_NOTES = {
    "generate_image": " (width/height became aspect_ratio: square, portrait or landscape)",
    "edit_image": " (image_url became image)",
    "speech_to_text": " (audio_url became audio)",
    "web_search": " (query became prompt; pass web_search=true)",
}
_SHAPES = {"square": 1.0, "portrait": 2 / 3, "landscape": 3 / 2}


def is_old_name(name: str) -> bool:
    """Whether ``name`` is an old function name (or its ``a``-prefixed async twin)."""
    return name in RENAMED_TOOLS or (name.startswith("a") and name[1:] in RENAMED_TOOLS)


def renamed(old: str, stacklevel: int = 3) -> str:
    """The new name of an old function name, with a ``DeprecationWarning``."""
    old = old[1:] if old.startswith("a") and old[1:] in RENAMED_TOOLS else old
    new = RENAMED_TOOLS[old]
    warnings.warn(
        f"OneMinAIToolSpec: {old!r} is renamed {new!r}{_ARGUMENT_NOTES.get(old, '')}; "
        "the old name goes away in the next release.",
        DeprecationWarning,
        stacklevel=stacklevel,
    )
    return new


def _shape(width: int, height: int) -> str:
    """The aspect ratio (square, portrait, landscape) closest to ``width`` x ``height``."""
    ratio = width / height
    return min(_SHAPES, key=lambda shape: abs(math.log(ratio / _SHAPES[shape])))


def _given(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


class DeprecatedMethods:
    """The old sync and async methods, now thin shims over the shared tools.

    Unlike the tools (whose service errors become error outputs), a direct call raises,
    as it did.
    """

    def _legacy_run(self, name: str, arguments: dict[str, Any]) -> ToolResult:
        raise NotImplementedError

    async def _legacy_arun(self, name: str, arguments: dict[str, Any]) -> ToolResult:
        raise NotImplementedError

    # ── images ───────────────────────────────────────────────────────────────────────

    @staticmethod
    def _image_args(prompt: str, width: int, height: int, num_images: int) -> dict[str, Any]:
        return {"prompt": prompt, "aspect_ratio": _shape(width, height), "num_images": num_images}

    def generate_image(
        self, prompt: str, width: int = 1024, height: int = 1024, num_images: int = 1
    ) -> list[ContentBlock]:
        """Deprecated: use the ``oneminai_image_generation`` tool."""
        name = renamed("generate_image")
        args = self._image_args(prompt, width, height, num_images)
        return result_blocks(self._legacy_run(name, args))

    async def agenerate_image(
        self, prompt: str, width: int = 1024, height: int = 1024, num_images: int = 1
    ) -> list[ContentBlock]:
        """Deprecated: use the ``oneminai_image_generation`` tool."""
        name = renamed("generate_image")
        args = self._image_args(prompt, width, height, num_images)
        return result_blocks(await self._legacy_arun(name, args))

    def edit_image(self, image_url: str, prompt: str) -> list[ContentBlock]:
        """Deprecated: use the ``oneminai_image_edit`` tool."""
        name = renamed("edit_image")
        return result_blocks(self._legacy_run(name, {"image": image_url, "prompt": prompt}))

    async def aedit_image(self, image_url: str, prompt: str) -> list[ContentBlock]:
        """Deprecated: use the ``oneminai_image_edit`` tool."""
        name = renamed("edit_image")
        args = {"image": image_url, "prompt": prompt}
        return result_blocks(await self._legacy_arun(name, args))

    # ── audio ────────────────────────────────────────────────────────────────────────

    def text_to_speech(
        self, text: str, voice: str | None = None, speed: float = 1.0
    ) -> list[ContentBlock]:
        """Deprecated: use the ``oneminai_text_to_speech`` tool."""
        name = renamed("text_to_speech")
        args = _given(text=text, voice=voice, speed=speed)
        return result_blocks(self._legacy_run(name, args))

    async def atext_to_speech(
        self, text: str, voice: str | None = None, speed: float = 1.0
    ) -> list[ContentBlock]:
        """Deprecated: use the ``oneminai_text_to_speech`` tool."""
        name = renamed("text_to_speech")
        args = _given(text=text, voice=voice, speed=speed)
        return result_blocks(await self._legacy_arun(name, args))

    def speech_to_text(self, audio_url: str, language: str | None = None) -> str:
        """Deprecated: use the ``oneminai_speech_to_text`` tool."""
        name = renamed("speech_to_text")
        return self._legacy_run(name, {"audio": audio_url, "language": language}).text

    async def aspeech_to_text(self, audio_url: str, language: str | None = None) -> str:
        """Deprecated: use the ``oneminai_speech_to_text`` tool."""
        name = renamed("speech_to_text")
        return (await self._legacy_arun(name, {"audio": audio_url, "language": language})).text

    # ── video and music ──────────────────────────────────────────────────────────────

    def generate_video(
        self, prompt: str, duration: int = 5, aspect_ratio: str = "16:9"
    ) -> list[ContentBlock]:
        """Deprecated: use the ``oneminai_video_generation`` tool."""
        name = renamed("generate_video")
        args = {"prompt": prompt, "duration": duration, "aspect_ratio": aspect_ratio}
        return result_blocks(self._legacy_run(name, args))

    async def agenerate_video(
        self, prompt: str, duration: int = 5, aspect_ratio: str = "16:9"
    ) -> list[ContentBlock]:
        """Deprecated: use the ``oneminai_video_generation`` tool."""
        name = renamed("generate_video")
        args = {"prompt": prompt, "duration": duration, "aspect_ratio": aspect_ratio}
        return result_blocks(await self._legacy_arun(name, args))

    def generate_music(
        self, prompt: str, duration: int | None = None, instrumental: bool = False
    ) -> list[ContentBlock]:
        """Deprecated: use the ``oneminai_music_generation`` tool."""
        name = renamed("generate_music")
        args = {"prompt": prompt, "duration": duration, "instrumental": instrumental}
        return result_blocks(self._legacy_run(name, args))

    async def agenerate_music(
        self, prompt: str, duration: int | None = None, instrumental: bool = False
    ) -> list[ContentBlock]:
        """Deprecated: use the ``oneminai_music_generation`` tool."""
        name = renamed("generate_music")
        args = {"prompt": prompt, "duration": duration, "instrumental": instrumental}
        return result_blocks(await self._legacy_arun(name, args))

    # ── web search ───────────────────────────────────────────────────────────────────

    def web_search(self, query: str) -> str:
        """Deprecated: use the ``oneminai_ask`` tool with ``web_search=True``."""
        name = renamed("web_search")
        return self._legacy_run(name, {"prompt": query, "web_search": True}).text

    async def aweb_search(self, query: str) -> str:
        """Deprecated: use the ``oneminai_ask`` tool with ``web_search=True``."""
        name = renamed("web_search")
        return (await self._legacy_arun(name, {"prompt": query, "web_search": True})).text
