"""Agent tools defined once, for every adapter (the MCP server, LangChain, LlamaIndex).

A :class:`ToolSpec` says everything about one tool that does not depend on a framework:
its name, description and JSON schema (what a model sees), which client method it calls
and with which keywords, which of them name input files (to check with
:func:`check_file_reference`), whether it is a long job (video, music: polled, with
progress), and how its output reads (:class:`ToolResult`: a short text for the model,
JSON-ready details, the result files, the credits used).

Example:
    >>> from oneminai_webapi.integrations import tool_spec
    >>> spec = tool_spec("oneminai_image_generation")
    >>> spec.method, spec.client_kwargs({"prompt": "a cat", "aspect_ratio": "landscape"})["width"]
    ('generate_image', 1216)
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal

from pydantic import BaseModel, TypeAdapter, create_model
from pydantic import ValidationError as PydanticValidationError
from pydantic.fields import FieldInfo

from ..exceptions import InvalidRequestError
from . import _tool_args as args
from . import _tool_media_args as media_args
from ._tool_format import (
    answer_result,
    audio_result,
    credits_result,
    image_result,
    job_output_result,
    models_result,
    text_result,
    transcript_result,
    video_result,
)
from ._tool_types import ResultFile, ToolResult

__all__ = [
    "TOOL_GROUPS",
    "ResultFile",
    "ToolResult",
    "ToolSpec",
    "tool_spec",
    "tool_specs",
]

ToolGroup = Literal["media", "writing", "chat", "account"]
#: The groups tools belong to (an adapter may offer a subset).
TOOL_GROUPS: tuple[ToolGroup, ...] = ("media", "writing", "chat", "account")


@dataclass(frozen=True)
class ToolSpec:
    """One agent tool, independent of any framework.

    Attributes:
        name: The tool name models see (``oneminai_image_generation``).
        description: What the tool does, for the model.
        args_model: The pydantic model of the arguments.
        method: The core client method it calls (``generate_image``).
        group: ``media``, ``writing``, ``chat`` or ``account``.
        short_name: The name used to configure its model (``image_generation``).
        file_params: Client keywords that name an input file: check each value with
            :func:`~oneminai_webapi.integrations.check_file_reference` first.
        long_running: A polled job: the call takes ``poll_timeout``, ``poll_interval``
            and ``on_progress``, and may raise ``JobTimeoutError`` (resume with the
            ``oneminai_job_result`` tool).
        takes_model: The client method takes ``model``.
        read_only: The tool only reads (catalog, balance, results): it spends no credits.
        invoke: ``invoke(client, **kwargs)`` instead of calling ``method`` directly.
        model: The model this tool is set up for (:meth:`for_model`); ``None``: the
            service's default. :meth:`call` uses it when given none.
        per_model: ``per_model(model)`` → the fields that differ for ``model`` (the
            argument model and ``to_kwargs``); ``None`` when the schema is the same for
            every model.
    """

    name: str
    description: str
    args_model: type[BaseModel]
    method: str
    group: ToolGroup
    short_name: str
    to_kwargs: Callable[[dict[str, Any]], dict[str, Any]] = field(repr=False)
    formatter: Callable[[Any], ToolResult] = field(repr=False)
    file_params: tuple[str, ...] = ()
    long_running: bool = False
    takes_model: bool = True
    read_only: bool = False
    invoke: Callable[..., Any] | None = field(default=None, repr=False)
    model: str | None = None
    per_model: Callable[[str], Mapping[str, Any]] | None = field(
        default=None, repr=False, compare=False
    )

    def for_model(self, model: str | None) -> ToolSpec:
        """This tool set up for ``model``: calls use it and the schema offers what it accepts.

        The media tools' argument models narrow to the model's sizes, image counts, voices,
        speeds, durations and aspect ratios (read from the feature registry, as
        :func:`~oneminai_webapi.integrations.argument_choices` reads them); other tools
        keep their schema. ``None`` (or this tool's model) returns this tool unchanged.

        Example:
            >>> from oneminai_webapi.integrations import tool_spec
            >>> video = tool_spec("oneminai_video_generation").for_model("sora-2")
            >>> video.model, video.client_kwargs({"prompt": "waves"})  # sora-2's durations
            ('sora-2', {'prompt': 'waves', 'duration': 4, 'aspect_ratio': '16:9'})
        """
        if model is None or model == self.model:
            return self
        fields = self.per_model(model) if self.per_model is not None else {}
        return replace(self, model=model, **fields)

    def with_defaults(self, **defaults: Any) -> ToolSpec:
        """This tool with other defaults for omitted arguments (``voice="nova"``).

        The schema shows the new defaults. Each value must be one the argument accepts.

        Raises:
            InvalidRequestError: an unknown argument, or a value it does not accept.
        """
        if not defaults:
            return self
        fields = self.args_model.model_fields
        changed: dict[str, Any] = {}
        for name, value in defaults.items():
            info = fields.get(name)
            if info is None:
                raise InvalidRequestError(f"{self.name} has no argument {name!r}")
            parts = (info.annotation, *info.metadata)  # the type and its constraints
            accepted: Any = Annotated[parts] if info.metadata else info.annotation
            try:
                TypeAdapter(accepted).validate_python(value)
            except PydanticValidationError as exc:
                problem = exc.errors()[0]["msg"]
                raise InvalidRequestError(f"{self.name}: {name}={value!r}: {problem}") from None
            changed[name] = (info.annotation, FieldInfo.merge_field_infos(info, default=value))
        model: type[BaseModel] = create_model(
            self.args_model.__name__,
            __base__=self.args_model,
            __doc__=self.args_model.__doc__,
            **changed,
        )
        return replace(self, args_model=model)

    def input_schema(self) -> dict[str, Any]:
        """The JSON schema of the arguments, as function-calling APIs take it.

        Pydantic's schema without ``title`` keys and without the model's own description
        (the same form LangChain's ``convert_to_openai_tool`` produces).
        """
        schema: dict[str, Any] = _untitled(self.args_model.model_json_schema())
        schema.pop("description", None)
        schema.setdefault("properties", {})
        return schema

    def parse(self, arguments: Mapping[str, Any] | None) -> dict[str, Any]:
        """Validate tool arguments and fill in the defaults.

        Raises:
            InvalidRequestError: naming each argument that is wrong (nothing is sent).
        """
        try:
            model = self.args_model.model_validate(dict(arguments or {}))
        except PydanticValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}"
                for e in exc.errors()
            )
            raise InvalidRequestError(f"{self.name}: invalid arguments: {problems}") from None
        return model.model_dump()

    def client_kwargs(self, arguments: Mapping[str, Any] | None) -> dict[str, Any]:
        """The client method's keyword arguments for these tool arguments (validated)."""
        return self.to_kwargs(self.parse(arguments))

    def call(
        self, client: Any, kwargs: Mapping[str, Any], *, model: str | None = None, **options: Any
    ) -> Any:
        """Call the client method (an awaitable with the async client, the output with sync).

        Args:
            client: A ``OneMinAIClient`` or ``SyncOneMinAIClient``.
            kwargs: From :meth:`client_kwargs`, file values already checked.
            model: The configured model (used when the arguments name none; default:
                :attr:`model`).
            **options: ``poll_timeout``/``poll_interval``/``on_progress`` for long jobs.
        """
        call = dict(kwargs)
        model = self.model if model is None else model
        if self.takes_model and model is not None and call.get("model") is None:
            call["model"] = model
        if options and not self.long_running:
            raise InvalidRequestError(f"{self.name} is not a long job: {sorted(options)}")
        if self.invoke is not None:
            return self.invoke(client, **call, **options)
        return getattr(client, self.method)(**call, **options)

    def format(self, output: Any) -> ToolResult:
        """Turn the client's output into a :class:`ToolResult`."""
        return self.formatter(output)


def _untitled(node: Any) -> Any:
    """A JSON schema without pydantic's ``title`` annotations (property names are kept)."""
    if isinstance(node, list):
        return [_untitled(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        if key in ("properties", "$defs", "definitions") and isinstance(value, dict):
            out[key] = {name: _untitled(sub) for name, sub in value.items()}
        else:
            out[key] = _untitled(value)
    return out


# ── the tools ────────────────────────────────────────────────────────────────────────────


def _image_kwargs(sizes: Mapping[str, tuple[int, int]], a: dict[str, Any]) -> dict[str, Any]:
    width, height = sizes[a["aspect_ratio"]]
    return {
        "prompt": a["prompt"],
        "negative_prompt": a.get("negative_prompt"),
        "width": width,
        "height": height,
        "num_images": a["num_images"],
    }


def _long_running(method: str) -> bool:
    from .. import _registry as registry

    row = registry.METHODS[method]
    return any(registry.FEATURES[t].long_running for t in row.feature_types())


def _media(
    short: str,
    method: str,
    description: str,
    model: type[BaseModel],
    to_kwargs: Callable[[dict[str, Any]], dict[str, Any]],
    formatter: Callable[[Any], ToolResult],
    per_model: Callable[[str], Mapping[str, Any]] | None = None,
) -> ToolSpec:
    from .. import _registry as registry

    return ToolSpec(
        name=f"oneminai_{short}",
        description=description,
        args_model=model,
        method=method,
        group="media",
        short_name=short,
        to_kwargs=to_kwargs,
        formatter=formatter,
        file_params=tuple(registry.METHODS[method].inputs),
        long_running=_long_running(method),
        per_model=None if per_model is None else _unless_default(method, per_model),
    )


def _unless_default(
    method: str, per_model: Callable[[str], Mapping[str, Any]]
) -> Callable[[str], Mapping[str, Any]]:
    """``per_model``, except that the default model keeps the default fields."""
    from ._choices import default_model

    def fields(model: str) -> Mapping[str, Any]:
        return {} if model == default_model(method) else per_model(model)

    return fields


def _image_per_model(model: str) -> dict[str, Any]:
    return {
        "args_model": media_args.image_generation_input(model),
        "to_kwargs": functools.partial(_image_kwargs, media_args.shape_sizes(model)),
    }


def _narrowed(build: Callable[[str | None], type[BaseModel]]) -> Callable[[str], dict[str, Any]]:
    """``per_model`` of a tool whose argument model alone depends on the model."""
    return lambda model: {"args_model": build(model)}


def _media_specs() -> list[ToolSpec]:
    return [
        _media(
            "image_generation",
            "generate_image",
            "Generate images from a text description. Returns the image URLs. "
            "Input: a detailed prompt, optional aspect ratio and number of images.",
            args.ImageGenerationInput,
            functools.partial(_image_kwargs, args.IMAGE_SIZES),
            lambda out: image_result(out, "generated"),
            _image_per_model,
        ),
        _media(
            "image_edit",
            "edit_image",
            "Edit an existing image following an instruction. Input: the image URL (or asset "
            "key) and the edit to make. Returns the edited image URL.",
            args.ImageEditInput,
            lambda a: {"image_url": a["image"], "prompt": a["prompt"]},
            lambda out: image_result(out, "edited"),
        ),
        _media(
            "text_to_speech",
            "text_to_speech",
            "Convert text to spoken audio. Input: the text, optionally a voice and speed. "
            "Returns the audio file URL.",
            args.TextToSpeechInput,
            lambda a: {"text": a["text"], "voice": a["voice"], "speed": a["speed"]},
            lambda out: audio_result(out, "Audio"),
            _narrowed(media_args.text_to_speech_input),
        ),
        _media(
            "speech_to_text",
            "speech_to_text",
            "Transcribe speech in an audio file to text. Input: the audio URL or asset key, "
            "optionally the language. Returns the transcript.",
            args.SpeechToTextInput,
            lambda a: {"audio_url": a["audio"], "language": a["language"]},
            transcript_result,
        ),
        _media(
            "video_generation",
            "generate_video",
            "Generate a short video from a text description. Slow (minutes). Input: the "
            "prompt, optionally duration and aspect ratio. Returns the video URL.",
            args.VideoGenerationInput,
            lambda a: {
                "prompt": a["prompt"],
                "duration": a["duration"],
                "aspect_ratio": a["aspect_ratio"],
            },
            video_result,
            _narrowed(media_args.video_generation_input),
        ),
        _media(
            "music_generation",
            "generate_music",
            "Generate a piece of music from a description. Slow (minutes). Input: the prompt, "
            "optionally instrumental and duration. Returns the audio URL.",
            args.MusicGenerationInput,
            lambda a: {
                "prompt": a["prompt"],
                "duration": a["duration"],
                "instrumental": a["instrumental"],
            },
            lambda out: audio_result(out, "Music"),
            _narrowed(media_args.music_generation_input),
        ),
    ]


def writing_methods() -> list[str]:
    """The registry methods offered as writing tools.

    Every method whose features produce text like a chat answer from text arguments (no
    file inputs), and that the service is known to offer (``listed``, with evidence).
    """
    from .. import _registry as registry

    names = []
    for method in registry.METHODS.values():
        rows = [registry.FEATURES[t] for t in method.feature_types()]
        if method.inputs or not all(
            r.output == "text" and r.result == "chat" and r.listed and r.evidence != "none"
            for r in rows
        ):
            continue
        names.append(method.name)
    return names


def _writing_specs() -> list[ToolSpec]:
    from .. import _registry as registry

    specs = []
    for method in writing_methods():
        summary = registry.METHODS[method].summary
        specs.append(
            ToolSpec(
                name=f"oneminai_{method}",
                description=f"{summary} Returns the result as text.",
                args_model=args.writing_input(method),
                method=method,
                group="writing",
                short_name=method,
                to_kwargs=dict,
                formatter=text_result,
            )
        )
    return specs


def _feature_filter(a: dict[str, Any]) -> dict[str, Any]:
    return {"feature": _feature_type(a["feature"]), "search": a["search"]}


def _list_models(client: Any, feature: str | None = None, search: str | None = None) -> Any:
    """``client.list_models(feature)``, keeping the models whose id or name has ``search``."""
    listed = client.list_models(feature)
    if inspect.isawaitable(listed):

        async def filtered() -> list[dict[str, Any]]:
            return _matching(await listed, search)

        return filtered()
    return _matching(listed, search)


def _matching(models: list[dict[str, Any]], search: str | None) -> list[dict[str, Any]]:
    if not search:
        return models
    needle = search.lower()
    return [m for m in models if needle in f"{m.get('modelId', '')} {m.get('name', '')}".lower()]


def _other_specs() -> list[ToolSpec]:
    return [
        ToolSpec(
            name="oneminai_ask",
            description="Ask a 1min.AI chat model (GPT, Claude, Gemini, Llama, …) and get "
            "its answer. Optionally searches the web first and lists the sources it read.",
            args_model=args.AskInput,
            method="chat",
            group="chat",
            short_name="ask",
            to_kwargs=lambda a: {k: v for k, v in a.items() if v is not None},
            formatter=answer_result,
        ),
        ToolSpec(
            name="oneminai_list_models",
            description="List the 1min.AI models, optionally only those of one feature or "
            "matching a search text. Returns one line per model: id, provider, name.",
            args_model=args.ListModelsInput,
            method="list_models",
            group="account",
            short_name="list_models",
            to_kwargs=_feature_filter,
            formatter=models_result,
            invoke=_list_models,
            takes_model=False,
            read_only=True,
        ),
        ToolSpec(
            name="oneminai_credits",
            description="Show the 1min.AI team's remaining credit balance.",
            args_model=args.CreditsInput,
            method="get_team_credits",
            group="account",
            short_name="credits",
            to_kwargs=lambda a: {},
            formatter=credits_result,
            takes_model=False,
            read_only=True,
        ),
        ToolSpec(
            name="oneminai_job_result",
            description="Get the result of a video or music job that was still running when "
            "its tool returned (waits for it). Input: the job id that tool gave.",
            args_model=args.JobResultInput,
            method="wait_for_result",
            group="media",
            short_name="job_result",
            to_kwargs=lambda a: {"record_id": a["job_id"]},
            formatter=job_output_result,
            long_running=True,
            takes_model=False,
            read_only=True,
        ),
    ]


def _feature_type(name: str | None) -> str | None:
    """``image_generation`` → ``IMAGE_GENERATOR``; ``chat``; a wire type; ``None``."""
    from .. import _registry as registry

    if name is None or not name.strip():
        return None
    key = name.strip().lower().removeprefix("oneminai_")
    if key == "chat":
        return registry.CHAT_FEATURE_TYPES[0]
    for spec in _media_specs():
        if key == spec.short_name:
            return registry.METHODS[spec.method].feature_types()[0]
    wire = name.strip().upper()
    if wire not in registry.all_feature_types():
        raise InvalidRequestError(
            f"unknown feature {name!r}: use chat, image_generation, image_edit, "
            "text_to_speech, speech_to_text, video_generation, music_generation or a "
            "feature type such as IMAGE_GENERATOR"
        )
    return wire


_SPECS: tuple[ToolSpec, ...] | None = None


def tool_specs(groups: tuple[str, ...] | None = None) -> tuple[ToolSpec, ...]:
    """Every agent tool (media, writing, chat, account), or those of ``groups``."""
    global _SPECS
    if _SPECS is None:
        _SPECS = (*_media_specs(), *_other_specs(), *_writing_specs())
    if groups is None:
        return _SPECS
    return tuple(s for s in _SPECS if s.group in groups)


def tool_spec(name: str) -> ToolSpec:
    """The tool named ``name`` (``oneminai_…``, or its short name).

    Raises:
        KeyError: no such tool.
    """
    for spec in tool_specs():
        if name in (spec.name, spec.short_name):
            return spec
    raise KeyError(name)
