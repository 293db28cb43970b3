"""The feature registry as data: consistency with the client, mapping rules, validation."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient
from oneminai_webapi import _registry as registry
from oneminai_webapi._registry import FEATURES, METHODS, REQUIRED
from oneminai_webapi.constants import FeatureType, ImageDirection, SocialPlatform
from oneminai_webapi.exceptions import InvalidRequestError
from oneminai_webapi.testing import validate_prompt_object

CONTROL = {"self", "model", "extra", "wait", "poll_timeout", "poll_interval", "on_progress"}


@pytest.mark.parametrize("name", sorted(METHODS))
def test_client_signature_matches_the_method_row(name: str) -> None:
    row = METHODS[name]
    sig = inspect.signature(getattr(OneMinAIClient, name))
    params = {p: v for p, v in sig.parameters.items() if p not in CONTROL}
    assert list(params) == list(row.params)
    for pname, param in params.items():
        expected = row.params[pname]
        if expected is REQUIRED:
            assert param.default is inspect.Parameter.empty, pname
        else:
            assert param.default == expected, pname
    assert "extra" in sig.parameters
    long_running = any(FEATURES[t].long_running for t in row.feature_types())
    assert ("wait" in sig.parameters) is long_running
    # The sync client runs the same function (wrapped only to show its sync return type).
    assert getattr(SyncOneMinAIClient, name).__wrapped__ is getattr(OneMinAIClient, name)


def test_every_feature_type_is_an_enum_member_and_has_a_row() -> None:
    chat = set(registry.CHAT_FEATURE_TYPES)
    assert {f.value for f in FeatureType} == set(FEATURES) | chat
    assert len(registry.all_feature_types()) == 59  # the live enums (docs/protocol.md, source INV)
    assert not {"DOCUMENT_TRANSLATOR", "AI_DETECTOR"} & set(registry.all_feature_types())


@pytest.mark.parametrize("ftype", sorted(FEATURES))
def test_documented_models_resolve_to_their_own_family(ftype: str) -> None:
    row = FEATURES[ftype]
    for family in row.families:
        for model in family.models:
            assert row.family_for(model) is family, (model, family.name)
    assert row.family_for("zz-unknown-model") is row.generic
    # Every field the service requires is produced by every family (so the client never
    # sends a body the emulator's validation, which reads the same rows, rejects).
    for family in (*row.families, row.generic):
        produced = set(family.constants) | {a.field for a in family.args if a.field}
        missing = set(row.required) | set(family.required_fields())
        assert missing <= produced, (family.name, missing - produced)


def test_every_method_feature_is_in_the_registry() -> None:
    for method in METHODS.values():
        for t in method.feature_types():
            assert t in FEATURES


FLUX = "black-forest-labs/flux-1.1-pro"
ANIMATE_DIFF = (
    "lucataco/animate-diff:beecf59c4aee8d81bf04f0381033dfa10dc16e845b4ae00d281e2fa377e48a9f"
)


@pytest.mark.parametrize(
    ("method", "args", "model", "message"),
    [
        ("generate_image", {"prompt": "x", "num_images": 5}, FLUX, "allowed: 1 to 4"),
        ("generate_image", {"prompt": "x", "num_images": 11}, None, "allowed: 1 to 10"),
        (
            "generate_image",
            {"prompt": "x", "width": 512, "height": 512},
            None,
            "size='512x512' (from width, height) is not accepted; allowed values: "
            "'1024x1024', '1152x896', '1216x832', '1344x768', '1536x640', '640x1536', "
            "'768x1344', '832x1216', '896x1152'",
        ),
        ("generate_image", {"prompt": "x", "num_images": 11}, "gpt-image-1", "allowed: 1 to 10"),
        ("generate_image", {"prompt": "x", "num_images": 2}, "dall-e-3", "allowed values: 1"),
        (
            "generate_image",
            {"prompt": "x", "width": 800, "height": 600},
            "gpt-image-1",
            "'1024x1024', '1024x1536', '1536x1024'",
        ),
        ("generate_image", {"prompt": "x", "width": 1000, "height": 700}, FLUX, "'16:9'"),
        ("generate_image", {"prompt": "x", "width": 0, "height": 700}, None, "invalid"),
        (
            "generate_image",
            {"prompt": "x", "negative_prompt": "y"},
            "gpt-image-1",
            "negative_prompt='y' is not supported",
        ),
        (
            "generate_image",
            {"prompt": "x", "quality": "ultra"},
            "gpt-image-1",
            "'low', 'medium', 'high'",
        ),
        ("generate_image", {"prompt": "x", "num_images": 2}, "stable-image", "allowed values: 1"),
        ("generate_image", {"prompt": "x", "num_images": 1.5}, "gpt-image-1", "integer"),
        (
            "extend_image",
            {"image_url": "k.png", "direction": "sideways", "amount": 512},
            None,
            "'left', 'right', 'up', 'down'",
        ),
        (
            "extend_image",
            {"image_url": "k.png", "direction": "up", "amount": 0},
            None,
            "allowed: 1 to 2000",
        ),
        ("text_to_speech", {"text": "hi", "speed": 5.0}, None, "allowed: 0.25 to 4"),
        ("text_to_speech", {"text": "hi", "speed": 0.1}, "google-tts", "allowed: 0.25 to 4"),
        ("text_to_speech", {"text": "hi", "voice": "Rachel"}, "tts-1", "'alloy'"),
        ("text_to_speech", {"text": "x" * 4097, "voice": "alloy"}, "tts-1", "4096"),
        ("text_to_speech", {"text": "hi", "speed": 1.5}, "elevenlabs-tts", "not supported"),
        ("text_to_speech", {"text": "hi", "response_format": "ogg"}, None, "'mp3'"),
        ("translate_audio", {"audio_url": "a.mp3", "target_language": "German"}, None, "'en'"),
        (
            "generate_video",
            {"prompt": "x", "duration": 7},
            None,
            "below version 3.0; allowed: 5, 10",
        ),
        ("generate_video", {"prompt": "x", "duration": 6}, "veo3", "allowed values: '8s'"),
        ("generate_video", {"prompt": "x", "duration": 10}, ANIMATE_DIFF, "not supported"),
        ("speech_to_text", {"audio_url": "a.mp3", "response_format": "pdf"}, None, "'srt'"),
        (
            "speech_to_text",
            {"audio_url": "a.mp3", "response_format": "srt"},
            "latest_long",
            "not supported",
        ),
        ("generate_video", {"prompt": "x", "duration": 6}, "sora-2", "4, 8, 12"),
        ("generate_video", {"prompt": "x", "aspect_ratio": "4:3"}, "sora-2", "'16:9', '9:16'"),
        ("upscale_image", {"image_url": "k.png", "scale": 4}, None, "scale=4 is not supported"),
        (
            "generate_social_post",
            {"prompt": "x", "platform": "myspace"},
            None,
            "instagram, facebook, linkedin, tiktok, x, twitter",
        ),
        (
            "generate_social_comment",
            {"post_text": "x", "platform": "instagram"},
            None,
            "facebook, linkedin, x, twitter",
        ),
        ("generate_ad_copy", {"prompt": "x", "platform": "tiktok"}, None, "facebook, google"),
        ("check_grammar", {"text": "   "}, None, "must not be empty"),
        ("check_grammar", {"text": 3}, None, "must be a string"),
        ("check_grammar", {"text": "x"}, "  ", "model must be a non-empty string"),
    ],
)
def test_invalid_values_name_the_allowed_ones(
    method: str, args: dict[str, Any], model: str | None, message: str
) -> None:
    full = {**{k: v for k, v in METHODS[method].params.items() if v is not REQUIRED}, **args}
    with pytest.raises(InvalidRequestError) as info:
        registry.plan(method, full, model)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_enums_and_extra() -> None:
    defaults = {k: v for k, v in METHODS["extend_image"].params.items() if v is not REQUIRED}
    plan = registry.plan(
        "extend_image",
        {**defaults, "image_url": "k.png", "direction": ImageDirection.DOWN},
        extra={"output_format": "webp", "left": 9},
    )
    assert plan.prompt_object == {
        "imageUrl": "k.png",
        "left": 9,
        "right": 0,
        "up": 0,
        "down": 512,
        "output_format": "webp",
    }
    post = registry.plan("generate_social_post", {"prompt": "x", "platform": SocialPlatform.X})
    assert post.feature.type == "CONTENT_GENERATOR_X_TWEET"
    with pytest.raises(InvalidRequestError, match="extra must be a mapping"):
        registry.plan("check_grammar", {"text": "x"}, extra=["nope"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ftype", "model", "po", "problem"),
    [
        ("TEXT_TO_SPEECH", "tts-1", {"text": "hi", "voice": "alloy"}, None),
        ("TEXT_TO_SPEECH", "tts-1", {"text": "hi"}, "promptObject.voice is required"),
        ("TEXT_TO_SPEECH", "tts-1", {"text": "hi", "voice": "alloy", "speed": 9}, "0.25 to 4"),
        ("SPEECH_TO_TEXT", "whisper-1", {"audioUrl": "a"}, "response_format is required"),
        ("SPEECH_TO_TEXT", "latest_long", {"audioUrl": "a"}, "language is required"),
        ("IMAGE_GENERATOR", "gpt-image-2", {"prompt": "x"}, "size is required"),
        (
            "IMAGE_GENERATOR",
            "black-forest-labs/flux-1.1-pro",
            {"prompt": "x", "num_outputs": 9},
            "1 to 4",
        ),
        ("IMAGE_EDITOR", "gpt-image-1", {"imageUrl": "k", "prompt": "x"}, "size is required"),
        ("TEXT_TO_VIDEO", "kling", {"prompt": "x", "duration": 5}, "mode is required"),
        ("YOUTUBE_SUMMARIZER", "gpt-4o-mini", {}, "videoUrl is required"),
        ("VIDEO_FACE_SWAPPER", "Qubico/video-toolkit", {"targetVideoUrl": "v"}, "swapImageUrl"),
        ("UNIFY_CHAT_WITH_AI", "gpt-4o-mini", {}, None),
    ],
)
def test_emulator_validation_reads_the_registry(
    ftype: str, model: str, po: dict[str, Any], problem: str | None
) -> None:
    result = validate_prompt_object(ftype, model, po)
    if problem is None:
        assert result is None
    else:
        assert result is not None and problem in result


def test_generic_fallback_is_documented() -> None:
    for row in FEATURES.values():
        assert row.generic.note, row.type
        assert row.default_model
        if row.evidence == "none":
            assert not row.listed


def test_integral_floats_are_sent_as_integers() -> None:
    # Tools declare numbers as floats; 30.0 means 30 where the family takes an integer.
    model = "meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb"
    plan = registry.plan("generate_music", {"prompt": "calm", "duration": 30.0}, model)
    duration = plan.prompt_object["duration"]
    assert duration == 30 and type(duration) is int
    with pytest.raises(InvalidRequestError, match="must be an integer"):
        registry.plan("generate_music", {"prompt": "calm", "duration": 12.5}, model)


def _defaults(method: str) -> dict[str, Any]:
    return {k: v for k, v in METHODS[method].params.items() if v is not REQUIRED}


@pytest.mark.parametrize(
    ("version", "duration", "ok"),
    [
        (None, 5, True),
        (None, 10, True),
        (None, 12, False),
        ("1.6", 7, False),
        ("2.5", 10, True),
        ("3.0", 3, True),
        ("3.0", 15, True),
        ("3.0", 2, False),
        ("3.0", 16, False),
        ("3.0-omni", 12, True),
    ],
)
def test_kling_duration_depends_on_version(version: str | None, duration: int, ok: bool) -> None:
    extra = {"version": version} if version is not None else None
    args = {**_defaults("generate_video"), "prompt": "x", "duration": duration}
    if ok:
        plan = registry.plan("generate_video", args, "kling", extra)
        assert plan.prompt_object["duration"] == duration
        assert validate_prompt_object("TEXT_TO_VIDEO", "kling", plan.prompt_object) is None
        return
    with pytest.raises(InvalidRequestError, match=r"allowed: (5, 10|3 to 15)"):
        registry.plan("generate_video", args, "kling", extra)
    # The emulator's check is the same rule, seen from the service side.
    wire = {"prompt": "x", "mode": "std", "duration": duration, "version": version}
    assert validate_prompt_object("TEXT_TO_VIDEO", "kling", wire)


def test_kling_mode_is_std_or_pro() -> None:
    args = {**_defaults("generate_video"), "prompt": "x"}
    with pytest.raises(InvalidRequestError, match="'std', 'pro'"):
        registry.plan("generate_video", args, "kling", {"mode": "turbo"})
    assert (
        registry.plan("generate_video", args, "kling", {"mode": "pro"}).prompt_object["mode"]
        == "pro"
    )


def test_seed_music_sample_is_honoured_without_warnings() -> None:
    import warnings

    args = {**_defaults("generate_music"), "prompt": "epic", "instrumental": True, "duration": 30.0}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plan = registry.plan("generate_music", args)
    assert plan.model == "lyria-002" and plan.prompt_object == {"prompt": "epic"}


@pytest.mark.parametrize(
    ("model", "args", "dropped"),
    [
        (None, {"duration": 10}, "duration=10 was not sent: Lyria makes clips of a fixed 30 s"),
        (None, {"instrumental": False, "duration": 45.0}, "duration=45.0"),
        ("suno-ttapi", {"duration": 30}, "duration=30 was not sent: Suno chooses"),
    ],
)
def test_music_arguments_a_model_cannot_honour_warn(
    model: str | None, args: dict[str, Any], dropped: str
) -> None:
    full = {**_defaults("generate_music"), "prompt": "epic", **args}
    with pytest.warns(UserWarning, match=dropped):
        plan = registry.plan("generate_music", full, model)
    assert "duration" not in plan.prompt_object


def test_sdxl_is_its_own_family_and_the_default() -> None:
    from oneminai_webapi.constants import ImageModel

    row = FEATURES["IMAGE_GENERATOR"]
    assert row.default_model == ImageModel.DEFAULT == "stable-diffusion-xl-1024-v1-0"
    assert row.family_for("stable-diffusion-xl-1024-v1-0").name == "stable-diffusion-xl"
    assert row.family_for("stable-diffusion-v1-6").name == "stable-diffusion"
    args = {**_defaults("generate_image"), "prompt": "x", "width": 896, "height": 1152}
    assert registry.plan("generate_image", args).prompt_object == {
        "prompt": "x",
        "samples": 1,
        "size": "896x1152",
    }


def test_sdxl_bad_size_is_the_providers_refusal_on_the_wire() -> None:
    refusal = registry.provider_refusal(
        "IMAGE_GENERATOR", "stable-diffusion-xl-1024-v1-0", {"prompt": "x", "size": "512x512"}
    )
    assert refusal is not None
    provider, message = refusal
    assert provider == "stability"
    assert message == (
        "for stable-diffusion-xl-1024-v0-9 and stable-diffusion-xl-1024-v1-0 the allowed "
        "dimensions are 1024x1024, 1152x896, 1216x832, 1344x768, 1536x640, 640x1536, "
        "768x1344, 832x1216, 896x1152, but we received 512x512"
    )
    ok = {"prompt": "x", "size": "1024x1024"}
    assert registry.provider_refusal("IMAGE_GENERATOR", "stable-diffusion-xl-1024-v1-0", ok) is None


def test_unknown_model_ids_are_never_refused_client_side() -> None:
    # Enums are conveniences: any id string goes through the generic family.
    for method in ("generate_image", "generate_video", "text_to_speech", "generate_music"):
        required = {k: "x" for k, v in METHODS[method].params.items() if v is REQUIRED}
        plan = registry.plan(method, {**_defaults(method), **required}, "acme/brand-new-2027")
        assert plan.family.name == "generic" and plan.model == "acme/brand-new-2027"


def test_withdrawn_enum_members_stay_importable() -> None:
    from oneminai_webapi.constants import WITHDRAWN_MODELS, ChatModel, ImageModel

    assert ChatModel.GROK_4_FAST.value in WITHDRAWN_MODELS
    assert ImageModel.FLUX_SCHNELL.value in WITHDRAWN_MODELS
    assert ChatModel.CLAUDE_SONNET_4_6.value == "us.anthropic.claude-sonnet-4-6"
    assert ImageModel.DALL_E_3 == "dall-e-3" and ImageModel.DALL_E_2 == "dall-e-2"


def test_protocol_notes_list_every_feature_type_with_its_evidence() -> None:
    from pathlib import Path

    notes = (Path(__file__).resolve().parents[3] / "docs" / "protocol.md").read_text()
    section = notes.split("### Feature types", 1)[1]
    for feature_type, row in FEATURES.items():
        line = next(
            (ln for ln in section.splitlines() if ln.startswith(f"| `{feature_type}` |")), None
        )
        assert line is not None, feature_type
        assert ("unverified" in line) is (not row.listed), line
