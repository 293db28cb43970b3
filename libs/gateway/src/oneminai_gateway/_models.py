"""Request bodies of the OpenAI endpoints the gateway serves (pydantic, strict).

Every field OpenAI documents is accepted; fields 1min.AI has no equivalent for are accepted
and ignored (listed per model). An unknown field is a 400, as with OpenAI ("Unrecognized
request argument supplied"), and so is a value of the wrong type: strict validation, no
``"1"`` for ``1`` or ``"yes"`` for ``true``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ._errors import GatewayError, bad_request

__all__ = [
    "ChatCompletionRequest",
    "ImageEditFields",
    "ImageGenerationRequest",
    "SpeechRequest",
    "TranscriptionFields",
    "parse",
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class StreamOptions(_Request):
    """``stream_options``."""

    include_usage: bool | None = None
    include_obfuscation: bool | None = None


class FunctionDefinition(BaseModel):
    """``tools[].function``."""

    model_config = ConfigDict(extra="allow", strict=True)

    name: str = Field(min_length=1, max_length=64)
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


class Tool(BaseModel):
    """``tools[]``: a function, or a built-in such as ``{"type": "web_search"}``."""

    model_config = ConfigDict(extra="allow", strict=True)

    type: str = "function"
    function: FunctionDefinition | None = None


class ChatCompletionRequest(_Request):
    """``POST /v1/chat/completions``.

    Ignored (accepted for compatibility; 1min.AI has no such settings): ``temperature``,
    ``top_p``, ``max_tokens``, ``max_completion_tokens``, ``seed``, ``presence_penalty``,
    ``frequency_penalty``, ``logit_bias``, ``logprobs``, ``top_logprobs``, ``user``,
    ``metadata``, ``store``, ``service_tier``, ``reasoning_effort``, ``verbosity``,
    ``prompt_cache_key``, ``safety_identifier``, ``prediction``.

    Extension: ``web_search`` (bool) turns on 1min.AI web search, as do
    ``web_search_options`` and the model suffix (``:online``).
    """

    model: str = Field(min_length=1)
    messages: list[dict[str, Any]] = Field(min_length=1)
    stream: bool | None = None
    stream_options: StreamOptions | None = None
    tools: list[Tool] | None = None
    tool_choice: str | dict[str, Any] | None = None
    parallel_tool_calls: bool | None = None
    response_format: dict[str, Any] | None = None
    stop: str | list[str] | None = None
    n: int | None = None
    functions: list[FunctionDefinition] | None = None
    function_call: str | dict[str, Any] | None = None
    web_search_options: dict[str, Any] | None = None
    web_search: bool | None = None
    modalities: list[str] | None = None
    audio: dict[str, Any] | None = None
    # accepted and ignored
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    seed: int | None = None
    presence_penalty: float | None = Field(default=None, ge=-2, le=2)
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2)
    logit_bias: dict[str, float] | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = Field(default=None, ge=0, le=20)
    user: str | None = None
    metadata: dict[str, str] | None = None
    store: bool | None = None
    service_tier: str | None = None
    reasoning_effort: str | None = None
    verbosity: str | None = None
    prompt_cache_key: str | None = None
    safety_identifier: str | None = None
    prediction: dict[str, Any] | None = None


class ImageGenerationRequest(_Request):
    """``POST /v1/images/generations``.

    Ignored: ``user``, ``moderation``, ``background``, ``output_compression``,
    ``partial_images``.
    """

    prompt: str = Field(min_length=1)
    model: str | None = None
    n: int | None = Field(default=None, ge=1, le=10)
    size: str | None = None
    quality: str | None = None
    style: str | None = None
    response_format: Literal["url", "b64_json"] | None = None
    output_format: str | None = None
    stream: Literal[False] | None = None
    user: str | None = None
    moderation: str | None = None
    background: str | None = None
    output_compression: int | None = None
    partial_images: int | None = None


class ImageEditFields(_Request):
    """The text fields of ``POST /v1/images/edits`` (multipart)."""

    prompt: str = Field(min_length=1)
    model: str | None = None
    n: str | None = None
    size: str | None = None
    response_format: Literal["url", "b64_json"] | None = None
    quality: str | None = None
    background: str | None = None
    input_fidelity: str | None = None
    output_format: str | None = None
    output_compression: str | None = None
    user: str | None = None
    stream: Literal["false"] | None = None


class SpeechRequest(_Request):
    """``POST /v1/audio/speech`` (``instructions`` is ignored)."""

    model: str = Field(min_length=1)
    input: str = Field(min_length=1, max_length=4096)
    voice: str = Field(min_length=1)
    response_format: Literal["mp3", "opus", "aac", "flac", "wav", "pcm"] | None = None
    speed: float | None = Field(default=None, ge=0.25, le=4.0)
    instructions: str | None = None
    stream_format: Literal["audio"] | None = None


class TranscriptionFields(_Request):
    """The text fields of ``POST /v1/audio/transcriptions`` (multipart).

    Ignored: ``prompt``, ``temperature``, ``timestamp_granularities[]``, ``include[]``,
    ``chunking_strategy``.
    """

    model: str = Field(min_length=1)
    language: str | None = None
    prompt: str | None = None
    response_format: Literal["json", "text", "srt", "verbose_json", "vtt"] | None = None
    temperature: str | None = None
    stream: Literal["false"] | None = None
    chunking_strategy: str | None = None


def parse(model: type[_Request], data: object) -> Any:
    """Validate ``data`` against ``model``; a failure is a 400 in OpenAI's words.

    Raises:
        GatewayError: 400 naming the first offending parameter.
    """
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc) from None


def _first_error(exc: ValidationError) -> GatewayError:
    error = exc.errors(include_url=False)[0]
    loc = error["loc"]
    param = loc[0] if loc else None
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    if error["type"] == "extra_forbidden":
        return bad_request(
            f"Unrecognized request argument supplied: {path}",
            param=str(param),
            code="unknown_parameter",
        )
    if error["type"] == "missing":
        return bad_request(
            f"Missing required parameter: '{path}'.", str(param), "missing_required_parameter"
        )
    return bad_request(f"Invalid value for '{path}': {error['msg']}.", str(param), "invalid_value")
