"""The argument models of the agent tools (their JSON schemas are what models see).

The media tools' models are built per model (``_tool_media_args``; their shapes are chosen
for agents: an aspect ratio instead of pixel sizes, a voice list), these are the default
models' ones; the writing tools' models are generated from
the feature registry (``_registry.METHODS``: parameters, defaults, platforms; argument
ranges from the feature rows) and the client signatures (types).
"""

from __future__ import annotations

import inspect
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from . import _tool_media_args as media

__all__ = [
    "IMAGE_SIZES",
    "AskInput",
    "CreditsInput",
    "ImageEditInput",
    "ImageGenerationInput",
    "JobResultInput",
    "ListModelsInput",
    "MusicGenerationInput",
    "SpeechToTextInput",
    "TextToSpeechInput",
    "VideoGenerationInput",
    "writing_input",
]


# ── media tools ─────────────────────────────────────────────────────────────────────────
# The schemas offer only what the features' default models accept (read from the feature
# registry), so that an agent never spends a paid call on a value the service refuses.
# ``ToolSpec.for_model`` narrows them to another model (``_tool_media_args``).

#: Image shape → a size the default image model accepts (SDXL: its fixed list).
IMAGE_SIZES: dict[str, tuple[int, int]] = media.shape_sizes()

ImageGenerationInput = media.image_generation_input()
TextToSpeechInput = media.text_to_speech_input()
VideoGenerationInput = media.video_generation_input()
MusicGenerationInput = media.music_generation_input()


class ImageEditInput(BaseModel):
    """Arguments of the image editing tool."""

    image: str = Field(description="The image to edit: an http(s) URL or a 1min.AI asset key.")
    prompt: str = Field(description="The change to make, e.g. 'make the sky purple'.")


class SpeechToTextInput(BaseModel):
    """Arguments of the speech-to-text tool."""

    audio: str = Field(description="The recording: an http(s) URL or a 1min.AI asset key.")
    language: str | None = Field(
        default=None, description="Spoken language code such as 'en', if known."
    )


# ── chat, catalog, account and jobs ─────────────────────────────────────────────────────


class AskInput(BaseModel):
    """Arguments of the ``ask`` tool."""

    prompt: str = Field(description="The question or request.")
    model: str | None = Field(
        default=None,
        description="Chat model id such as 'gpt-4o-mini' "
        "(see the list_models tool); the server's default when omitted.",
    )
    web_search: bool = Field(
        default=False, description="Search the web first and cite the sources read."
    )
    num_of_site: int | None = Field(
        default=None, ge=1, le=10, description="Web pages to read when searching (default 3)."
    )


class ListModelsInput(BaseModel):
    """Arguments of the ``list_models`` tool."""

    feature: str | None = Field(
        default=None,
        description="Only models of this feature: chat, image_generation, image_edit, "
        "text_to_speech, speech_to_text, video_generation, music_generation, or a 1min.AI "
        "feature type such as IMAGE_GENERATOR. All features when omitted.",
    )
    search: str | None = Field(
        default=None, description="Only models whose id or name contains this text."
    )


class CreditsInput(BaseModel):
    """The ``credits`` tool takes no arguments."""


class JobResultInput(BaseModel):
    """Arguments of the job-result tool."""

    job_id: str = Field(description="The job id a video or music tool returned.")


# ── writing tools, generated from the registry ──────────────────────────────────────────

#: Descriptions of the writing tools' parameters, by parameter name.
PARAM_DOCS: dict[str, str] = {
    "text": "The text to work on.",
    "prompt": "What to write, with any details that matter.",
    "tone": "Tone of the result, e.g. professional, friendly, formal.",
    "language": "Language of the result, e.g. English.",
    "num_words": "Approximate length of the result in words.",
    "num_sections": "Number of sections.",
    "num_bullets": "Number of bullet points.",
    "target_language": "The language to translate into, e.g. French.",
    "source_language": "The language of the original (detected when omitted).",
    "domain": "Subject area of the text, e.g. legal or medical.",
    "writing_style": "Writing style of the translation.",
    "web_search": "Let the model read web results first.",
    "topic": "The topic to research.",
    "research_type": "The kind of research (KEYWORD_STATISTICS).",
    "keywords": "Keywords to work in, comma-separated.",
    "original_email": "The email to reply to.",
    "instructions": "What the reply should say.",
    "post_text": "The post to comment on.",
    "platform": "Where it will be published.",
    "url": "The YouTube video URL.",
}

_JSON_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}


def _python_type(annotation: Any) -> tuple[type, bool]:
    """``"int | None"`` → ``(int, True)``: the first simple type and whether None is allowed.

    The client signatures use string annotations (``from __future__ import annotations``);
    other parts (``Sequence[str]``, enums) fall back to their ``str`` alternative.
    """
    parts = [p.strip() for p in str(annotation).split("|")]
    base = next((_JSON_TYPES[p] for p in parts if p in _JSON_TYPES), str)
    return base, "None" in parts


def writing_input(method_name: str) -> type[BaseModel]:
    """The argument model of the writing tool of a registry method (e.g. ``summarize``).

    Parameters, defaults and platforms come from ``_registry.METHODS``; value ranges from
    the feature's argument rules; types from the client method's signature.
    """
    from .. import _registry as registry
    from .._client.features import FeatureMethods

    method = registry.METHODS[method_name]
    signature = inspect.signature(getattr(FeatureMethods, method_name))
    rules = {
        source: rule
        for feature_type in method.feature_types()
        for rule in registry.FEATURES[feature_type].generic.args
        if rule.integer and rule.range is not None
        for source in rule.sources
    }
    fields: dict[str, Any] = {}
    for name, default in method.params.items():
        base, nullable = _python_type(signature.parameters[name].annotation)
        annotation: Any = base | None if nullable else base
        if method.route is not None and name == method.route[0]:
            annotation = Literal[tuple(method.route[1])]
        options: dict[str, Any] = {"description": PARAM_DOCS[name]}
        rule = rules.get(name)
        if rule is not None and rule.range is not None:
            options["ge"], options["le"] = int(rule.range[0]), int(rule.range[1])
        required = default is registry.REQUIRED
        fields[name] = (annotation, Field(... if required else default, **options))
    title = "".join(part.capitalize() for part in method_name.split("_")) + "Input"
    model: type[BaseModel] = create_model(title, __doc__=method.summary, **fields)
    return model
