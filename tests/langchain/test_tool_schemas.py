"""The media tools' argument schemas offer only values the default models accept.

Derived from the core's feature registry, so that an agent never spends a paid call on a
value the service refuses (issue 13 item 8). Each offered value is checked by planning the
call it would make: the registry raises on anything the model refuses.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import pytest
from langchain_oneminai.tools.media import (
    ImageGenerationInput,
    MusicGenerationInput,
    TextToSpeechInput,
    VideoGenerationInput,
)
from oneminai_webapi import _registry
from oneminai_webapi._registry import METHODS, REQUIRED
from oneminai_webapi.integrations._tool_args import IMAGE_SIZES as SHAPE_SIZES


def _props(schema: type[Any]) -> dict[str, Any]:
    return schema.model_json_schema()["properties"]


def _plan(method: str, **args: Any) -> _registry.Plan:
    params = {k: v for k, v in METHODS[method].params.items() if v is not REQUIRED}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a dropped value would warn: not offered either
        return _registry.plan(method, {**params, **args})


def test_image_shapes_map_to_sizes_the_default_model_accepts() -> None:
    props = _props(ImageGenerationInput)
    assert props["aspect_ratio"]["enum"] == ["square", "portrait", "landscape"]
    for width, height in SHAPE_SIZES.values():
        plan = _plan("generate_image", prompt="x", width=width, height=height)
        assert plan.prompt_object["size"] == f"{width}x{height}"
    # The old portrait/landscape sizes (1024x1536, 1536x1024) are refused by SDXL.
    assert SHAPE_SIZES["portrait"][0] < SHAPE_SIZES["portrait"][1]
    assert SHAPE_SIZES["landscape"][0] > SHAPE_SIZES["landscape"][1]
    for count in range(props["num_images"]["minimum"], props["num_images"]["maximum"] + 1):
        _plan("generate_image", prompt="x", num_images=count)
    # SDXL takes no negative prompt: the schema does not offer one.
    assert "negative_prompt" not in props


def test_voices_and_speeds_are_the_default_tts_models() -> None:
    props = _props(TextToSpeechInput)
    for voice in props["voice"]["enum"]:
        _plan("text_to_speech", text="hi", voice=voice)
    for speed in (props["speed"]["minimum"], props["speed"]["maximum"]):
        _plan("text_to_speech", text="hi", speed=speed)
    assert "verse" in props["voice"]["enum"]


def test_video_durations_and_ratios_are_the_default_models() -> None:
    props = _props(VideoGenerationInput)
    assert props["duration"]["enum"] == [5, 10]
    for duration, ratio in itertools.product(
        props["duration"]["enum"], props["aspect_ratio"]["enum"]
    ):
        _plan("generate_video", prompt="x", duration=duration, aspect_ratio=ratio)


def test_music_duration_offers_only_what_lyria_makes() -> None:
    props = _props(MusicGenerationInput)
    offered = [o.get("const") for o in props["duration"]["anyOf"] if "const" in o]
    assert offered == [30]
    _plan("generate_music", prompt="x", duration=30, instrumental=True)
    with pytest.warns(UserWarning):
        _registry.plan("generate_music", {"prompt": "x", "duration": 45, "instrumental": False})
    assert "instrumental music only" in props["instrumental"]["description"]


class _Recorder:
    def __init__(self) -> None:
        self.kwargs: dict[str, Any] = {}

    def generate_image(self, **kwargs: Any) -> None:
        self.kwargs = kwargs

    def generate_video(self, **kwargs: Any) -> None:
        self.kwargs = kwargs


def test_a_tool_with_a_model_calls_with_what_that_model_accepts() -> None:
    """The shared spec set up for the tool's model (``ToolSpec.for_model``) builds the call."""
    from langchain_oneminai.tools.media import (
        OneMinAIImageGenerationTool,
        OneMinAIVideoGenerationTool,
    )

    client = _Recorder()
    for model, size in ((None, SHAPE_SIZES["portrait"]), ("gpt-image-1", (1024, 1536))):
        tool = OneMinAIImageGenerationTool(api_key="k", model=model)
        tool._call(client, prompt="x", aspect_ratio="portrait")
        assert (client.kwargs["width"], client.kwargs["height"]) == size
        assert client.kwargs.get("model") == model
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            _registry.plan(
                "generate_image", {"prompt": "x", "width": size[0], "height": size[1]}, model
            )
    OneMinAIVideoGenerationTool(api_key="k", model="sora-2")._call(client, prompt="x")
    assert (client.kwargs["duration"], client.kwargs["model"]) == (4, "sora-2")  # sora's first
