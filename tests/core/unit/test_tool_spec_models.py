"""``ToolSpec.for_model`` and ``ToolSpec.with_defaults``: one tool set up for a model.

Every value a narrowed schema offers is planned with the registry for that model (warnings
are errors: a value the model drops would warn), for every model the registry's families
name: a tool set up for a model never offers what that model refuses.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import pytest
from oneminai_webapi import _registry
from oneminai_webapi.exceptions import InvalidRequestError
from oneminai_webapi.integrations import ToolSpec, default_model, image_sizes, tool_spec

MEDIA = {
    "oneminai_image_generation": "generate_image",
    "oneminai_text_to_speech": "text_to_speech",
    "oneminai_video_generation": "generate_video",
    "oneminai_music_generation": "generate_music",
}


def _models(method: str) -> list[str]:
    feature = _registry.FEATURES[_registry.METHODS[method].feature or ""]
    return sorted({m for family in feature.families for m in family.models})


CASES = [(name, model) for name, method in MEDIA.items() for model in _models(method)]


def _planned(spec: ToolSpec, arguments: dict[str, Any]) -> dict[str, Any]:
    """The client keywords of ``arguments``, planned for the spec's model (no warning)."""
    kwargs = spec.client_kwargs(arguments)
    params = {k: v for k, v in _registry.METHODS[spec.method].params.items()}
    params = {k: v for k, v in params.items() if v is not _registry.REQUIRED}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _registry.plan(spec.method, {**params, **kwargs}, spec.model)
    return kwargs


def _enum(prop: dict[str, Any]) -> list[Any]:
    if "enum" in prop:
        return list(prop["enum"])
    if "const" in prop:
        return [prop["const"]]
    return [o["const"] for o in prop.get("anyOf", []) if "const" in o]


def test_every_family_names_models() -> None:
    assert all(len(_models(method)) >= 3 for method in MEDIA.values())


@pytest.mark.parametrize(("name", "model"), CASES, ids=[f"{n[8:]}-{m}" for n, m in CASES])
def test_a_narrowed_schema_offers_only_what_its_model_accepts(name: str, model: str) -> None:
    spec = tool_spec(name).for_model(model)
    assert spec.model == model
    props = spec.input_schema()["properties"]
    if name == "oneminai_image_generation":
        sizes = image_sizes("generate_image", model)
        for shape in props["aspect_ratio"]["enum"]:
            kwargs = _planned(spec, {"prompt": "x", "aspect_ratio": shape})
            assert sizes is None or (kwargs["width"], kwargs["height"]) in sizes
            assert (
                f"{shape} {kwargs['width']}x{kwargs['height']}"
                in (props["aspect_ratio"]["description"])
            )
        for count in range(1, props["num_images"]["maximum"] + 1):
            _planned(spec, {"prompt": "x", "num_images": count})
        if "negative_prompt" in props:
            _planned(spec, {"prompt": "x", "negative_prompt": "blur"})
    elif name == "oneminai_text_to_speech":
        for voice in _enum(props["voice"]) or [props["voice"]["default"]]:
            _planned(spec, {"text": "hi", "voice": voice})
        speeds = _enum(props["speed"]) or [props["speed"]["minimum"], props["speed"]["maximum"]]
        for speed in speeds:
            _planned(spec, {"text": "hi", "speed": speed})
    elif name == "oneminai_video_generation":
        durations = _enum(props["duration"]) or [props["duration"]["default"]]
        ratios = _enum(props["aspect_ratio"]) or [props["aspect_ratio"]["default"]]
        assert props["duration"]["default"] in durations
        for duration, ratio in itertools.product(durations, ratios):
            _planned(spec, {"prompt": "x", "duration": duration, "aspect_ratio": ratio})
    else:
        instrumental = "instrumental music only" in props["instrumental"]["description"]
        for duration in [None, *_enum(props["duration"])]:
            _planned(spec, {"prompt": "x", "duration": duration, "instrumental": instrumental})


def test_models_narrow_differently_from_the_default() -> None:
    video = tool_spec("oneminai_video_generation")
    sora = video.for_model("sora-2").input_schema()["properties"]
    assert sora["aspect_ratio"]["enum"] == ["16:9", "9:16"]
    assert video.input_schema()["properties"]["aspect_ratio"]["enum"] == ["16:9", "9:16", "1:1"]
    image = tool_spec("oneminai_image_generation")
    dalle = image.for_model("dall-e-3")
    assert dalle.input_schema()["properties"]["num_images"]["maximum"] == 1
    assert dalle.client_kwargs({"prompt": "x", "aspect_ratio": "portrait"})["width"] == 1024
    assert dalle.client_kwargs({"prompt": "x", "aspect_ratio": "portrait"})["height"] == 1792
    assert image.client_kwargs({"prompt": "x", "aspect_ratio": "portrait"})["height"] == 1216
    with pytest.raises(InvalidRequestError, match="num_images"):
        dalle.client_kwargs({"prompt": "x", "num_images": 2})  # nothing is sent
    music = tool_spec("oneminai_music_generation").for_model("suno")
    assert (
        "instrumental music only"
        not in music.input_schema()["properties"]["instrumental"]["description"]
    )


def test_the_default_model_and_none_keep_the_shared_schema() -> None:
    for name, method in MEDIA.items():
        spec = tool_spec(name)
        assert spec.for_model(None) is spec
        same = spec.for_model(default_model(method))
        assert same.args_model is spec.args_model and same.model == default_model(method)
        assert same.for_model(default_model(method)) is same


def test_unknown_models_get_the_generic_rules() -> None:
    spec = tool_spec("oneminai_video_generation").for_model("no-such-model")
    props = spec.input_schema()["properties"]
    assert props["duration"]["type"] == "integer" and "enum" not in props["duration"]


def test_tools_without_per_model_rules_keep_their_schema() -> None:
    for name in ("oneminai_summarize", "oneminai_ask", "oneminai_image_edit"):
        spec = tool_spec(name)
        narrowed = spec.for_model("gpt-4o")
        assert narrowed.args_model is spec.args_model and narrowed.model == "gpt-4o"


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def text_to_speech(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)


def test_call_uses_the_spec_model_unless_given_one() -> None:
    spec = tool_spec("oneminai_text_to_speech").for_model("tts-1-hd")
    client = _Recorder()
    spec.call(client, spec.client_kwargs({"text": "hi"}))
    spec.call(client, spec.client_kwargs({"text": "hi"}), model="gpt-4o-mini-tts")
    assert [c["model"] for c in client.calls] == ["tts-1-hd", "gpt-4o-mini-tts"]


def test_with_defaults_changes_only_the_default() -> None:
    spec = tool_spec("oneminai_text_to_speech")
    nova = spec.with_defaults(voice="nova")
    before, after = spec.input_schema(), nova.input_schema()
    assert after["properties"]["voice"]["default"] == "nova"
    after["properties"]["voice"]["default"] = "alloy"
    assert after == before  # same order, enums, bounds, descriptions
    assert nova.client_kwargs({"text": "hi"})["voice"] == "nova"
    assert nova.client_kwargs({"text": "hi", "voice": "echo"})["voice"] == "echo"
    assert spec.with_defaults() is spec
    assert spec.client_kwargs({"text": "hi"})["voice"] == "alloy"  # the original is intact


@pytest.mark.parametrize(
    ("defaults", "message"),
    [
        ({"voice": "bob"}, r"voice='bob': Input should be 'alloy'"),
        ({"speed": 9}, r"speed=9: Input should be less than or equal to 4"),
        ({"pitch": 2}, r"has no argument 'pitch'"),
    ],
)
def test_with_defaults_refuses_what_the_argument_does_not_accept(
    defaults: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        tool_spec("oneminai_text_to_speech").with_defaults(**defaults)


def test_with_defaults_on_a_narrowed_tool_accepts_the_models_values() -> None:
    eleven = tool_spec("oneminai_text_to_speech").for_model("eleven_multilingual_v2")
    custom = eleven.with_defaults(voice="21m00Tcm4TlvDq8ikWAM")  # any voice id
    assert custom.client_kwargs({"text": "hi"})["voice"] == "21m00Tcm4TlvDq8ikWAM"
    assert custom.model == "eleven_multilingual_v2"
