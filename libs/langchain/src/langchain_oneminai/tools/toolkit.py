"""``OneMinAIToolkit``: every 1min.AI media tool, sharing one client."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.tools import BaseTool, BaseToolkit
from oneminai_webapi.integrations import Closeable
from pydantic import ConfigDict, Field, ModelWrapValidatorHandler, PrivateAttr, model_validator

from ._base import OneMinAIAPIWrapper, OneMinAIBaseTool, wrapper_from_values
from .media import (
    OneMinAIImageEditTool,
    OneMinAIImageGenerationTool,
    OneMinAIMusicGenerationTool,
    OneMinAISpeechToTextTool,
    OneMinAITextToSpeechTool,
    OneMinAIVideoGenerationTool,
)

__all__ = ["OneMinAIToolkit"]

#: Short names accepted by ``include`` / ``models``, in the order tools are returned.
TOOL_CLASSES: dict[str, type[OneMinAIBaseTool]] = {
    "image_generation": OneMinAIImageGenerationTool,
    "image_edit": OneMinAIImageEditTool,
    "text_to_speech": OneMinAITextToSpeechTool,
    "speech_to_text": OneMinAISpeechToTextTool,
    "video_generation": OneMinAIVideoGenerationTool,
    "music_generation": OneMinAIMusicGenerationTool,
}


class OneMinAIToolkit(Closeable, BaseToolkit):
    """The 1min.AI media tools, sharing one API wrapper (one connection pool).

    The toolkit releases its connections with :meth:`close` / :meth:`aclose`, or at the end
    of a ``with`` / ``async with`` block.

    Example:
        .. code-block:: python

            with OneMinAIToolkit(include=["image_generation", "text_to_speech"],
                                 models={"image_generation": "dall-e-3"}) as toolkit:
                tools = toolkit.get_tools()
                ...

    Attributes:
        api_wrapper: Shared settings and client; ``api_key``, ``base_url``, ``timeout``,
            ``max_retries`` and ``proxy`` may be passed directly instead.
        include: Short names (see :data:`TOOL_CLASSES`) or tool names to include; all by
            default.
        models: Model id per short name.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    api_wrapper: OneMinAIAPIWrapper = Field(default_factory=OneMinAIAPIWrapper)
    include: Sequence[str] | None = None
    models: dict[str, str] = Field(default_factory=dict)

    #: Whether the toolkit made its wrapper (and so closes its clients); a given one is not.
    _owns_wrapper: bool = PrivateAttr(default=True)

    @model_validator(mode="wrap")
    @classmethod
    def _collect_wrapper_settings(
        cls, values: Any, handler: ModelWrapValidatorHandler[OneMinAIToolkit]
    ) -> OneMinAIToolkit:
        given = isinstance(values, dict) and "api_wrapper" in values
        toolkit = handler(wrapper_from_values(values))
        if isinstance(values, dict):
            toolkit._owns_wrapper = not given
        return toolkit

    @model_validator(mode="after")
    def _check_names(self) -> OneMinAIToolkit:
        known = set(TOOL_CLASSES) | {
            cls.model_fields["name"].default for cls in TOOL_CLASSES.values()
        }
        unknown = [n for n in [*(self.include or []), *self.models] if n not in known]
        if unknown:
            raise ValueError(f"unknown 1min.AI tools {unknown}; choose from {sorted(TOOL_CLASSES)}")
        return self

    def get_tools(self) -> list[BaseTool]:
        """Return the selected tools, all sharing this toolkit's wrapper."""
        tools: list[BaseTool] = []
        for short, cls in TOOL_CLASSES.items():
            full = cls.model_fields["name"].default
            if self.include is not None and short not in self.include and full not in self.include:
                continue
            model = self.models.get(short) or self.models.get(full)
            factory: Any = cls  # concrete subclasses define name and description defaults
            tools.append(factory(api_wrapper=self.api_wrapper, model=model))
        return tools

    def close(self) -> None:
        """Release the connection pools of the tools (a later tool call reopens them).

        Closes the wrapper's sync client and its async clients whose event loop is not
        running; inside a running loop, use :meth:`aclose`. A wrapper passed in as
        ``api_wrapper`` belongs to the caller and is left open (close it with its own
        ``close()`` / ``aclose()``).
        """
        if self._owns_wrapper:
            self.api_wrapper.close()

    async def aclose(self) -> None:
        """Release the running loop's async connection pool, then what :meth:`close` does."""
        if self._owns_wrapper:
            await self.api_wrapper.aclose()
