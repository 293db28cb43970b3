"""One shared 1min.AI tool as a LlamaIndex ``FunctionTool``: metadata, output, errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from llama_index.core.base.llms.types import (
    AudioBlock,
    ContentBlock,
    ImageBlock,
    TextBlock,
    VideoBlock,
)
from llama_index.core.tools import FunctionTool, ToolMetadata, ToolOutput
from oneminai_webapi.exceptions import JobTimeoutError, OneMinAIError
from oneminai_webapi.integrations import ToolResult, ToolSpec

__all__ = ["ServiceErrorTool", "SharedToolMetadata", "result_blocks"]

_BLOCKS: dict[str, type[ImageBlock] | type[AudioBlock] | type[VideoBlock]] = {
    "image": ImageBlock,
    "audio": AudioBlock,
    "video": VideoBlock,
}


def result_blocks(result: ToolResult) -> list[ContentBlock]:
    """The text for the model (with the URLs), then an Image/Audio/Video block per file."""
    blocks: list[ContentBlock] = [TextBlock(text=result.text)]
    blocks.extend(_BLOCKS[file.kind](url=file.url) for file in result.files)
    return blocks


@dataclass
class SharedToolMetadata(ToolMetadata):
    """``ToolMetadata`` whose parameters are the shared tool's JSON schema.

    ``fn_schema`` is the shared argument model; :meth:`get_parameters_dict` returns
    ``ToolSpec.input_schema()`` (pydantic's schema without ``title`` keys), exactly what
    the MCP server and the LangChain tools show a model.

    Attributes:
        tool: The shared tool definition.
    """

    tool: ToolSpec | None = field(default=None, repr=False, compare=False)

    def get_parameters_dict(self) -> dict[str, Any]:
        """The JSON schema of the arguments (the shared one while ``fn_schema`` is its)."""
        if self.tool is not None and self.fn_schema is self.tool.args_model:
            return self.tool.input_schema()
        return super().get_parameters_dict()


class ServiceErrorTool(FunctionTool):
    """A spec tool whose 1min.AI service errors come back as an error output.

    ``call``/``acall`` return a ``ToolOutput`` with ``is_error=True`` and the error text
    (never the key) instead of raising, so the agent's LLM reads what went wrong (no credit,
    a refused prompt, invalid arguments, a failed job, a timeout, a local file the spec may
    not read …) and the run goes on. Other exceptions (a bug) propagate as with any
    ``FunctionTool``.

    A tool returning a :class:`~oneminai_webapi.integrations.ToolResult` gives a text
    block followed by an ``ImageBlock``, ``AudioBlock`` or ``VideoBlock`` per result file;
    the ``ToolResult`` itself is the output's ``raw_output`` (its ``artifact`` holds the
    URLs, asset keys and record id; ``credits_used`` the credits spent).
    """

    def call(self, *args: Any, **kwargs: Any) -> ToolOutput:
        """Run the tool; a service error is returned as an error output."""
        try:
            return _with_blocks(super().call(*args, **kwargs))
        except OneMinAIError as exc:
            return self._error_output(exc, kwargs)

    async def acall(self, *args: Any, **kwargs: Any) -> ToolOutput:
        """Async :meth:`call`."""
        try:
            return _with_blocks(await super().acall(*args, **kwargs))
        except OneMinAIError as exc:
            return self._error_output(exc, kwargs)

    def _error_output(self, exc: OneMinAIError, kwargs: dict[str, Any]) -> ToolOutput:
        text = f"Error: {type(exc).__name__}: {exc}"
        if isinstance(exc, JobTimeoutError) and exc.record_id:
            text += (
                f" The job goes on at 1min.AI: call oneminai_job_result with job_id "
                f'"{exc.record_id}" later to get its result.'
            )
        return ToolOutput(
            content=text,
            tool_name=self.metadata.get_name(),
            raw_input={"kwargs": kwargs},
            raw_output=text,
            is_error=True,
            exception=exc,
        )


def _with_blocks(output: ToolOutput) -> ToolOutput:
    """``output`` with the blocks of its ``ToolResult`` (FunctionTool would ``str()`` it)."""
    if isinstance(output.raw_output, ToolResult):
        output.blocks = result_blocks(output.raw_output)
    return output
