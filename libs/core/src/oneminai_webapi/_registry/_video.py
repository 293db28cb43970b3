"""Video features: text to video, image to video, face swap in a video (long-running).

Notes name their sources: "older docs" is the service's earlier API documentation; keys such
as SF are the public sources listed in ``docs/protocol.md``.
"""

from __future__ import annotations

from ._schema import Arg, Family, Feature, fmt, kling_rules, lookup

KLING_RATIOS = ("16:9", "9:16", "1:1")
ANIMATE_DIFF = (
    "lucataco/animate-diff:beecf59c4aee8d81bf04f0381033dfa10dc16e845b4ae00d281e2fa377e48a9f"
)
VEO3_RATIOS = ("16:9", "9:16")
VEO3_RESOLUTIONS = ("720p", "1080p")


def _veo3_family(*inputs: Arg) -> Family:
    """Veo3 (``model: "veo3"``), shared by text- and image-to-video."""
    return Family(
        "veo3",
        r"^veo",
        (
            *inputs,
            Arg(
                "veo3_duration",
                "duration",
                omit=("5s",),
                convert=fmt("{}s"),
                allowed=("8s",),
                offered=(8,),
            ),
            Arg("aspect_ratio", "aspect_ratio", allowed=VEO3_RATIOS),
            # Not Python parameters: sent through ``extra``, checked by the emulator.
            Arg("resolution", "resolution", allowed=VEO3_RESOLUTIONS),
            Arg("negativePrompt", "negative_prompt"),
            Arg("generate_audio", "generate_audio"),
        ),
        constants={"task_type": "veo3-video"},
        models=("veo3",),
        note="docs/protocol.md source SF and the docs page (documented only): model veo3, "
        "task_type veo3-video, veo3_duration '8s' (the signature default 5 is left out), "
        "aspect_ratio, generate_audio, resolution, negativePrompt.",
    )


TEXT_TO_VIDEO = Feature(
    "TEXT_TO_VIDEO",
    output="video",
    result="video",
    default_model="kling",
    required=("prompt",),
    long_running=True,
    conversation_id=True,
    families=(
        Family(
            "kling",
            r"^kling",
            (
                Arg("prompt", "prompt", required=True),
                Arg("duration", "duration", integer=True, required=True, offered=(5, 10)),
                Arg("aspect_ratio", "aspect_ratio", allowed=KLING_RATIOS),
            ),
            constants={"mode": "std"},
            required=("mode",),
            checks=(kling_rules,),
            models=("kling",),
            note="the docs' Kling page and source SF (documented only): prompt, duration 5|10 "
            "below version 3.0 and 3–15 from 3.0, mode std|pro (required), aspect_ratio; "
            "version via extra.",
        ),
        _veo3_family(
            Arg("prompt", "prompt", required=True),
        ),
        Family(
            "animate-diff",
            r"animate-diff",
            (Arg("prompt", "prompt", required=True),),
            models=(ANIMATE_DIFF,),
            note="docs/protocol.md source SF (live 2026): prompt (+ path, n_prompt, "
            "guidance_scale, motion_module, seed, steps via extra); a synchronous call held "
            "the connection 75 s.",
        ),
        Family(
            "sora",
            r"^sora",
            (
                Arg("prompt", "prompt", required=True),
                Arg("seconds", "duration", integer=True, omit=(5,), allowed=(4, 8, 12)),
                Arg(
                    "size",
                    "aspect_ratio",
                    choices=("16:9", "9:16"),
                    convert=lookup({"16:9": "1280x720", "9:16": "720x1280"}),
                ),
            ),
            models=("sora-2", "sora-2-pro"),
            note="docs page: prompt, seconds 4|8|12 (the signature default 5 is left out: the "
            "model default applies), size.",
        ),
        Family(
            "luma",
            r"^luma",
            (
                Arg("prompt", "prompt", required=True),
                Arg("duration", "duration", convert=fmt("{}s"), allowed=("5s", "10s")),
                Arg("aspectRatio", "aspect_ratio"),
            ),
            models=("luma",),
            note="docs page: duration '5s'|'10s', aspectRatio.",
        ),
    ),
    generic=Family(
        "generic",
        r".",
        (
            Arg("prompt", "prompt", required=True),
            Arg("duration", "duration"),
            Arg("aspect_ratio", "aspect_ratio"),
        ),
        note="prompt, duration, aspect_ratio.",
    ),
)

_I2V_IMAGE = Arg("imageUrl", "image_url", required=True)
_I2V_PROMPT = Arg("prompt", "prompt", omit=("",))

IMAGE_TO_VIDEO = Feature(
    "IMAGE_TO_VIDEO",
    output="video",
    result="video",
    default_model="kling",
    required=("imageUrl",),
    long_running=True,
    families=(
        Family(
            "kling",
            r"^kling",
            (
                _I2V_IMAGE,
                _I2V_PROMPT,
                Arg("duration", "duration", integer=True, offered=(5, 10)),
                Arg("aspect_ratio", "aspect_ratio", allowed=KLING_RATIOS),
            ),
            constants={"mode": "std"},
            checks=(kling_rules,),
            models=("kling",),
            note="older docs: imageUrl, prompt, duration, aspect_ratio, mode (duration and mode "
            "rules by version as for text-to-video).",
        ),
        _veo3_family(_I2V_IMAGE, _I2V_PROMPT),
        Family(
            "hailuo",
            r"^hailuo",
            (
                _I2V_IMAGE,
                _I2V_PROMPT,
                Arg("duration", "duration", integer=True, omit=(5,), allowed=(6, 10)),
            ),
            models=("hailuo",),
            note="docs page: duration 6|10 (the default 5 is left out); no aspect ratio.",
        ),
        Family(
            "luma",
            r"^luma",
            (
                _I2V_IMAGE,
                _I2V_PROMPT,
                Arg("duration", "duration", convert=fmt("{}s"), allowed=("5s", "10s")),
                Arg("aspectRatio", "aspect_ratio"),
            ),
            models=("luma",),
            note="docs page: duration '5s'|'10s', aspectRatio.",
        ),
    ),
    generic=Family(
        "generic",
        r".",
        (_I2V_IMAGE, _I2V_PROMPT, Arg("duration", "duration"), Arg("aspect_ratio", "aspect_ratio")),
        note="imageUrl, prompt, duration, aspect_ratio.",
    ),
)

VIDEO_FACE_SWAPPER = Feature(
    "VIDEO_FACE_SWAPPER",
    output="video",
    result="video",
    default_model="Qubico/video-toolkit",
    required=("targetVideoUrl", "swapImageUrl"),
    long_running=True,
    generic=Family(
        "generic",
        r".",
        (
            Arg("targetVideoUrl", "video_url", required=True),
            Arg("swapImageUrl", "face_image_url", required=True),
        ),
        models=("Qubico/video-toolkit",),
        note="docs page: targetVideoUrl, swapImageUrl (swapFacesIndex/targetFacesIndex via extra).",
    ),
)

VIDEO_FEATURES = (TEXT_TO_VIDEO, IMAGE_TO_VIDEO, VIDEO_FACE_SWAPPER)
