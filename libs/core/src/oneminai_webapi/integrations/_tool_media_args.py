"""The media tools' argument models for one model, read from the feature registry.

Each builder offers only what ``model`` accepts (``None``: the feature's default model),
so that an agent never spends a paid call on a value the service refuses. The models are
cached per model id; the module-level models of :mod:`._tool_args` are the default ones.
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from ._choices import ArgumentChoices, argument_choices, closest_size, image_sizes

__all__ = [
    "image_generation_input",
    "music_generation_input",
    "shape_sizes",
    "text_to_speech_input",
    "video_generation_input",
]

_SHAPES: dict[str, float] = {"square": 1.0, "portrait": 2 / 3, "landscape": 3 / 2}
_FALLBACK_SIZES = {"square": (1024, 1024), "portrait": (1024, 1536), "landscape": (1536, 1024)}
#: Images per call a tool offers at most (whatever a model allows).
MAX_IMAGES = 4


def shape_sizes(model: str | None = None) -> dict[str, tuple[int, int]]:
    """Image shape → a ``(width, height)`` that ``model`` accepts (SDXL: from its fixed list).

    Models that take any size (or an aspect ratio) get 1024x1024, 1024x1536 and 1536x1024.
    """
    allowed = image_sizes("generate_image", model)
    if not allowed:
        return dict(_FALLBACK_SIZES)
    return {shape: closest_size(allowed, ratio) for shape, ratio in _SHAPES.items()}


def _method_default(method: str, argument: str) -> Any:
    from .. import _registry as registry

    return registry.METHODS[method].params[argument]


def _offered(choices: ArgumentChoices) -> tuple[Any, ...]:
    return tuple(v for v in choices.values or () if v is not None)


def _default(method: str, argument: str, offered: tuple[Any, ...]) -> Any:
    """The method's default when the model accepts it, else the model's first value."""
    default = _method_default(method, argument)
    return default if not offered or default in offered else offered[0]


def _max_images(count: ArgumentChoices) -> int:
    values = [v for v in count.values or () if isinstance(v, int)]
    high = count.maximum if count.maximum is not None else max(values, default=MAX_IMAGES)
    return int(max(1, min(MAX_IMAGES, high)))


def _who(model: str | None) -> str:
    return "The default model" if model is None else model


@functools.lru_cache(maxsize=64)
def image_generation_input(model: str | None = None) -> type[BaseModel]:
    """Arguments of the image generation tool for ``model`` (shapes, count, negative prompt)."""
    sizes = shape_sizes(model)
    shape_note = ", ".join(f"{shape} {w}x{h}" for shape, (w, h) in sizes.items())
    fields: dict[str, Any] = {
        "prompt": (str, Field(description="What the image should show, in detail.")),
        "aspect_ratio": (
            Literal["square", "portrait", "landscape"],
            Field(default="square", description=f"Image shape: {shape_note}."),
        ),
        "num_images": (
            int,
            Field(
                default=1,
                ge=1,
                le=_max_images(argument_choices("generate_image", "num_images", model)),
                description="How many images to make.",
            ),
        ),
    }
    if argument_choices("generate_image", "negative_prompt", model).sent:
        fields["negative_prompt"] = (
            str | None,
            Field(default=None, description="What to avoid in the image."),
        )
    built: type[BaseModel] = create_model(
        "ImageGenerationInput", __doc__="Arguments of the image generation tool.", **fields
    )
    return built


@functools.lru_cache(maxsize=64)
def text_to_speech_input(model: str | None = None) -> type[BaseModel]:
    """Arguments of the text-to-speech tool for ``model`` (its voices and speeds)."""
    voices = _offered(argument_choices("text_to_speech", "voice", model))
    speed = argument_choices("text_to_speech", "speed", model)
    voice_type: Any = Literal[voices] if voices else str
    speeds = _offered(speed) if not speed.sent else ()  # a model that takes no speed
    speed_type: Any = Literal[speeds] if speeds else float
    built: type[BaseModel] = create_model(
        "TextToSpeechInput",
        __doc__="Arguments of the text-to-speech tool.",
        text=(str, Field(description="The text to speak.")),
        voice=(
            voice_type,
            Field(default=_default("text_to_speech", "voice", voices), description="The voice."),
        ),
        speed=(
            speed_type,
            Field(
                default=_default("text_to_speech", "speed", speeds),
                ge=speed.minimum,
                le=speed.maximum,
                description="Speaking speed."
                + (f" {_who(model)} speaks at its own speed only." if speeds else ""),
            ),
        ),
    )
    return built


@functools.lru_cache(maxsize=64)
def video_generation_input(model: str | None = None) -> type[BaseModel]:
    """Arguments of the video generation tool for ``model`` (durations, aspect ratios)."""
    durations = _offered(argument_choices("generate_video", "duration", model))
    ratios = _offered(argument_choices("generate_video", "aspect_ratio", model))
    duration_type: Any = Literal[durations] if durations else int
    ratio_type: Any = Literal[ratios] if ratios else str
    built: type[BaseModel] = create_model(
        "VideoGenerationInput",
        __doc__="Arguments of the video generation tool.",
        prompt=(str, Field(description="What the video should show.")),
        duration=(
            duration_type,
            Field(
                default=_default("generate_video", "duration", durations),
                description="Length in seconds.",
            ),
        ),
        aspect_ratio=(
            ratio_type,
            Field(default=_default("generate_video", "aspect_ratio", ratios), description="Shape."),
        ),
    )
    return built


@functools.lru_cache(maxsize=64)
def music_generation_input(model: str | None = None) -> type[BaseModel]:
    """Arguments of the music generation tool for ``model`` (durations, instrumental only)."""
    duration = argument_choices("generate_music", "duration", model)
    durations = _offered(duration)
    only_instrumental = argument_choices("generate_music", "instrumental", model).values == (True,)
    duration_type: Any = Literal[durations] | None if durations else float | None
    fixed = (
        f" {_who(model)} makes clips of {durations[0]} s only."
        if not duration.sent and durations
        else ""
    )
    instrumental_note = (
        f" {_who(model)} makes instrumental music only." if only_instrumental else ""
    )
    built: type[BaseModel] = create_model(
        "MusicGenerationInput",
        __doc__="Arguments of the music generation tool.",
        prompt=(
            str,
            Field(description="The music to make: genre, mood, instruments, lyrics."),
        ),
        instrumental=(bool, Field(default=False, description="No vocals." + instrumental_note)),
        duration=(
            duration_type,
            Field(
                default=None, description="Length in seconds; omit for the model's length." + fixed
            ),
        ),
    )
    return built
