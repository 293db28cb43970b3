"""Prompt-based ("emulated") tool calling and structured output for 1min.AI.

1min.AI takes one prompt string per request and has no native tool calling. This module turns
a conversation plus tool definitions into one prompt, and parses the model's reply back into
tool calls. It has no dependency on LangChain or LlamaIndex, so both adapters share it.

The reply protocol the model is asked to follow is a fenced block::

    ```tool_calls
    {"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}]}
    ```

The parser is deliberately more lenient than the protocol, in the ways real models differ from
it: ``json`` fences, a reply that as a whole is bare JSON, prose around a fenced call, OpenAI
``function`` objects, Hermes ``<tool_call>`` tags, Llama ``<|python_tag|>`` and Python-style
calls, Mistral ``[TOOL_CALLS]``, Claude ``<invoke>`` XML, arguments given as JSON strings; and it
coerces argument values to the tool's JSON schema (``"3"`` → ``3``). It is strict where
leniency would turn answers into calls: JSON inside a sentence, inline code, block quotes and
code blocks in other languages are never calls, and a JSON value without an arguments object
(a list of tool descriptions, a data record) is an answer. Leading ``<think>`` blocks are
reasoning, kept apart from the answer. The full rules are in the documentation
(``docs/frameworks/tool-calling.md``).

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
from ._reasoning import ReasoningSplit, split_reasoning
from ._render import corrective_prompt, json_corrective_prompt, malformed_call_prompt, render_prompt
from ._reply import ReplyAssembler, ReplyDelta, ReplyOutcome, ReplyPlan
from ._types import InvalidToolCall, ParsedReply, ToolCall, ToolSpec, Turn, new_call_id
from ._types import Role as Role  # the type of ``Turn.role``; importable, not in ``__all__``
from ._validate import schema_errors

__all__ = [
    "InvalidToolCall",
    "ParsedReply",
    "ReasoningSplit",
    "ReplyAssembler",
    "ReplyDelta",
    "ReplyOutcome",
    "ReplyPlan",
    "ToolCall",
    "ToolSpec",
    "Turn",
    "coerce_arguments",
    "corrective_prompt",
    "extract_json",
    "json_corrective_prompt",
    "malformed_call_prompt",
    "new_call_id",
    "normalize_tool_choice",
    "parse_reply",
    "render_prompt",
    "schema_errors",
    "split_reasoning",
    "stream_safe_prefix",
    "unwrap_response_format",
]
