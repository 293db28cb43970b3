"""Prompt-based ("emulated") tool calling and structured output for 1min.AI.

1min.AI takes one prompt string per request and has no native tool calling. This module turns
a conversation plus tool definitions into one prompt, and parses the model's reply back into
tool calls. It has no dependency on LangChain or LlamaIndex, so both adapters share it.

The reply protocol the model is asked to follow is a fenced block::

    ```tool_calls
    {"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}]}
    ```

The parser is deliberately more lenient than the protocol: it also accepts bare JSON, prose
around the JSON, ``<tool_call>`` tags, OpenAI-like shapes and arguments given as JSON strings, and
it coerces argument values to the tool's JSON schema (``"3"`` → ``3``).

Adapters use :class:`ReplyPlan` for one chat turn: it renders the prompt, interprets the reply
into a :class:`ReplyOutcome` (whole, or streamed through a :class:`ReplyAssembler` that says
which prefix is safe to show early) and builds the corrective re-prompt when a required tool
call or JSON answer is missing. Only the mapping onto framework types stays in the adapters.

Example:
    >>> spec = ToolSpec.from_openai(
    ...     {"name": "add", "parameters": {"type": "object",
    ...      "properties": {"a": {"type": "integer"}}}})
    >>> reply = parse_reply('{"name": "add", "arguments": {"a": "3"}}', [spec])
    >>> reply.tool_calls[0].arguments
    {'a': 3}
"""

from ._choice import normalize_tool_choice, unwrap_response_format
from ._coerce import coerce_arguments
from ._json import extract_json
from ._parse import parse_reply, stream_safe_prefix
from ._render import corrective_prompt, json_corrective_prompt, render_prompt
from ._reply import ReplyAssembler, ReplyOutcome, ReplyPlan
from ._types import InvalidToolCall, ParsedReply, ToolCall, ToolSpec, Turn, new_call_id
from ._types import Role as Role  # the type of ``Turn.role``; importable, not in ``__all__``

__all__ = [
    "InvalidToolCall",
    "ParsedReply",
    "ReplyAssembler",
    "ReplyOutcome",
    "ReplyPlan",
    "ToolCall",
    "ToolSpec",
    "Turn",
    "coerce_arguments",
    "corrective_prompt",
    "extract_json",
    "json_corrective_prompt",
    "new_call_id",
    "normalize_tool_choice",
    "parse_reply",
    "render_prompt",
    "stream_safe_prefix",
    "unwrap_response_format",
]
