"""Image features: one :class:`Feature` row each, with model families.

Notes name their sources: "older docs" is the service's earlier API documentation; keys such
as SF are the public sources listed in ``docs/protocol.md``.
"""

from __future__ import annotations

from ._schema import Arg, Family, Feature, aspect_part, aspect_ratio, side, size

# ── shared argument rules ───────────────────────────────────────────────────────────────

PROMPT = Arg("prompt", "prompt", required=True)
IMAGE = Arg("imageUrl", "image_url", required=True)
MASK = Arg("maskUrl", "mask_url", required=True)
OPTIONAL_MASK = Arg("maskUrl", "mask_url")
N_1_10 = Arg("n", "num_images", integer=True, range=(1, 10))
GPT_IMAGE_SIZES = ("1024x1024", "1024x1536", "1536x1024")
GPT_FORMATS = ("png", "jpeg", "webp")
GPT_QUALITY = ("low", "medium", "high")
FLUX_RATIOS = ("1:1", "16:9", "9:16", "3:2", "2:3", "4:3", "3:4", "4:5", "5:4", "21:9", "9:21")
DIRECTIONS = ("left", "right", "up", "down")
IMAGE_TIMEOUT_S = 180.0
#: The sizes Stability accepts for SDXL 1.0, as its refusal of 512x512 listed them live.
SDXL_SIZES = (
    "1024x1024", "1152x896", "1216x832", "1344x768", "1536x640",
    "640x1536", "768x1344", "832x1216", "896x1152",
)  # fmt: skip
SDXL_REFUSAL = (
    "for stable-diffusion-xl-1024-v0-9 and stable-diffusion-xl-1024-v1-0 the allowed "
    "dimensions are {allowed}, but we received {value}"
)


def _gpt_image_generator() -> tuple[Family, ...]:
    common = (
        Arg("prompt", "prompt", required=True, max_length=4000),
        N_1_10,
        Arg("output_format", "output_format", allowed=GPT_FORMATS),
    )
    return (
        Family(
            "gpt-image-2",
            r"^gpt-image-2",
            (
                *common,
                Arg("size", ("width", "height"), convert=size, required=True),
                Arg("quality", "quality", default="medium", allowed=GPT_QUALITY, required=True),
            ),
            models=("gpt-image-2",),
            note="the docs' gpt-image-2 page: size and quality required; size is any WxH "
            "(multiples of 16 within the pixel limits, checked by the service).",
        ),
        Family(
            "gpt-image",
            r"^gpt-image",
            (
                *common,
                Arg("size", ("width", "height"), convert=size, allowed=GPT_IMAGE_SIZES),
                Arg("quality", "quality", allowed=GPT_QUALITY),
                Arg("style", "style"),
            ),
            models=("gpt-image-1", "gpt-image-1-mini"),
            note="the docs' gpt-image-1 and -mini pages.",
        ),
    )


IMAGE_GENERATOR = Feature(
    "IMAGE_GENERATOR",
    output="image",
    result="image",
    default_model="stable-diffusion-xl-1024-v1-0",
    required=("prompt",),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    families=(
        *_gpt_image_generator(),
        Family(
            "dall-e-3",
            r"^dall-e-3",
            (
                PROMPT,
                Arg("n", "num_images", integer=True, allowed=(1,)),
                Arg(
                    "size",
                    ("width", "height"),
                    convert=size,
                    allowed=("1024x1024", "1792x1024", "1024x1792"),
                ),
                Arg("quality", "quality", allowed=("standard", "hd")),
                Arg("style", "style", allowed=("vivid", "natural")),
            ),
            models=("dall-e-3",),
            note="older docs: prompt, n, size, quality, style.",
        ),
        Family(
            "dall-e-2",
            r"^dall-e-2",
            (
                PROMPT,
                N_1_10,
                Arg(
                    "size",
                    ("width", "height"),
                    convert=size,
                    allowed=("256x256", "512x512", "1024x1024"),
                ),
            ),
            models=("dall-e-2",),
            note="older docs: prompt, n, size.",
        ),
        Family(
            "flux",
            r"flux",
            (
                PROMPT,
                Arg("num_outputs", "num_images", integer=True, range=(1, 4)),
                Arg("aspect_ratio", ("width", "height"), convert=aspect_ratio, allowed=FLUX_RATIOS),
                Arg("output_format", "output_format", allowed=("webp", "png", "jpg")),
            ),
            models=("black-forest-labs/flux-1.1-pro", "black-forest-labs/flux-2-pro"),
            note="older docs (a record and the Flux pages), an unofficial spec: num_outputs, "
            "aspect_ratio (documented only; flux-schnell was refused live in 2026).",
        ),
        Family(
            "midjourney",
            r"midjourney|magic-art",
            (
                PROMPT,
                Arg("n", "num_images", integer=True, range=(1, 4)),
                Arg("aspect_width", ("width", "height"), convert=aspect_part(0), range=(1, 7)),
                Arg("aspect_height", ("width", "height"), convert=aspect_part(1), range=(1, 7)),
                Arg("negativePrompt", "negative_prompt"),
            ),
            constants={"mode": "fast"},
            models=("midjourney", "magic-art"),
            note="older docs and a public relay: mode, n, aspect_width/height in 1–7.",
        ),
        Family(
            "leonardo",
            r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            (
                PROMPT,
                Arg("n", "num_images", integer=True, range=(1, 8)),
                Arg("size", ("width", "height"), convert=size),
                Arg("negativePrompt", "negative_prompt"),
            ),
            models=("5c232a9e-9061-4777-980a-ddc8e65647c6",),
            note="older docs: Leonardo models are addressed by UUID; n, size, negativePrompt.",
        ),
        Family(
            "stable-diffusion-xl",
            r"^stable-diffusion-xl",
            (
                PROMPT,
                Arg("samples", "num_images", integer=True, range=(1, 10)),
                Arg(
                    "size",
                    ("width", "height"),
                    convert=size,
                    allowed=SDXL_SIZES,
                    refusal=SDXL_REFUSAL,
                ),
                # Not Python parameters: sent through ``extra``, checked by the emulator.
                Arg("cfg_scale", "cfg_scale", range=(0, 35)),
                Arg("steps", "steps", integer=True, range=(10, 50)),
                Arg("seed", "seed", integer=True, range=(0, 4294967294)),
            ),
            provider="stability",
            models=("stable-diffusion-xl-1024-v1-0",),
            note="docs/protocol.md source SF (live 2026): samples, size from a fixed list (512x512"
            " refused with EXTERNAL_API_RESPONSE_WITH_ERROR listing the allowed sizes), "
            "cfg_scale, steps, seed; ranges of cfg_scale/steps/seed are Stability's "
            "documented ones.",
        ),
        Family(
            "stable-diffusion",
            r"^stable-diffusion",
            (
                PROMPT,
                Arg("samples", "num_images", integer=True, range=(1, 10)),
                Arg("width", "width", integer=True),
                Arg("height", "height", integer=True),
            ),
            models=("stable-diffusion-v1-6",),
            note="older docs: samples, width/height (cfg_scale, steps, seed via extra); "
            "documented only.",
        ),
        Family(
            "stable-image",
            r"^stable-image",
            (
                PROMPT,
                Arg("n", "num_images", integer=True, allowed=(1,), omit=(1,)),
                Arg(
                    "aspect_ratio",
                    ("width", "height"),
                    convert=aspect_ratio,
                    allowed=("1:1", "16:9", "9:16", "21:9", "9:21", "2:3", "3:2", "4:5", "5:4"),
                ),
                Arg("negative_prompt", "negative_prompt"),
                Arg("output_format", "output_format", allowed=("png", "jpeg", "webp")),
            ),
            models=("stable-image", "stable-image-ultra"),
            note="Stability core/ultra: one image per call; aspect_ratio. [partial]",
        ),
        Family(
            "recraft",
            r"^recraft",
            (
                PROMPT,
                Arg("n", "num_images", integer=True, range=(1, 6)),
                Arg("aspect_ratio", ("width", "height"), convert=aspect_ratio),
                Arg("style", "style"),
            ),
            models=("recraft",),
            note="docs pages: n, aspect_ratio.",
        ),
        Family(
            "dzine",
            r"^dzine",
            (
                PROMPT,
                Arg("n", "num_images", integer=True, range=(1, 4)),
                Arg("size", ("width", "height"), convert=size),
                Arg("style_code", "style"),
                Arg("quality", "quality"),
                Arg("output_format", "output_format"),
            ),
            models=("dzine",),
            note="a public relay's image code: style_code (GET /api/dzine/styles), n 1–4, size.",
        ),
    ),
    generic=Family(
        "generic",
        r".",
        (
            PROMPT,
            Arg("n", "num_images", integer=True, range=(1, 10)),
            Arg("size", ("width", "height"), convert=size),
            Arg("negativePrompt", "negative_prompt"),
            Arg("quality", "quality"),
            Arg("style", "style"),
            Arg("output_format", "output_format"),
        ),
        note="Unknown families: prompt, n, size 'WxH', negativePrompt, quality, style, "
        "output_format (the most common names across the documented families).",
    ),
)

#: gpt-image editing requires ``size`` and ``n`` (the docs' image-text-editor page); the Python
#: methods have no such arguments, so they are constants (``extra`` overrides them).
_GPT_EDIT = (Arg("prompt", "prompt", required=True, max_length=4000),)
_GPT_EDIT_CONSTANTS = {"n": 1, "size": "1024x1024"}

IMAGE_EDITOR = Feature(
    "IMAGE_EDITOR",
    output="image",
    result="image",
    default_model="black-forest-labs/flux-kontext-pro",
    required=("imageUrl", "prompt"),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    families=(
        Family(
            "flux-kontext",
            r"flux",
            (IMAGE, PROMPT),
            constants={"aspect_ratio": "match_input_image"},
            models=(
                "black-forest-labs/flux-kontext-pro",
                "black-forest-labs/flux-2-pro",
                "black-forest-labs/flux-2-flex",
            ),
            note="docs Flux Kontext / Flux 2 pages.",
        ),
        Family(
            "gpt-image",
            r"^gpt-image",
            (IMAGE, *_GPT_EDIT),
            constants=_GPT_EDIT_CONSTANTS,
            required=("size", "n"),
            models=("gpt-image-1", "gpt-image-1-mini", "gpt-image-2"),
            note="the docs' image-text-editor page: size and n required.",
        ),
        Family(
            "gemini",
            r"^gemini",
            (IMAGE, PROMPT),
            models=("gemini-2.5-flash-image-preview",),
            note="docs page (referenceImage1/2 via extra).",
        ),
    ),
    generic=Family("generic", r".", (IMAGE, PROMPT), note="imageUrl + prompt."),
)

IMAGE_VARIATOR = Feature(
    "IMAGE_VARIATOR",
    output="image",
    result="image",
    default_model="black-forest-labs/flux-redux-schnell",
    required=("imageUrl",),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    families=(
        Family(
            "midjourney",
            r"midjourney|magic-art",
            (IMAGE, Arg("n", "num_images", integer=True, range=(1, 4))),
            constants={"mode": "fast"},
            models=("midjourney",),
            note="older docs' feature example (isNiji6, aspect_* via extra).",
        ),
        Family(
            "dall-e-2",
            r"^dall-e",
            (IMAGE, N_1_10),
            constants={"size": "1024x1024"},
            models=("dall-e-2",),
            note="older docs: imageUrl, n, size.",
        ),
        Family(
            "clipdrop",
            r"^clipdrop",
            (IMAGE,),
            models=("clipdrop",),
            note="older docs: imageUrl only (one image).",
        ),
        Family(
            "flux-redux",
            r"flux",
            (IMAGE, Arg("num_outputs", "num_images", integer=True, range=(1, 4))),
            models=("black-forest-labs/flux-redux-dev", "black-forest-labs/flux-redux-schnell"),
            note="docs Flux Redux page (its fields belong inside promptObject).",
        ),
        Family(
            "recraft",
            r"^recraft",
            (IMAGE, Arg("n", "num_images", integer=True, range=(1, 6))),
            models=("recraft",),
            note="docs page.",
        ),
        Family(
            "dzine",
            r"^dzine",
            (IMAGE, Arg("n", "num_images", integer=True, range=(1, 4))),
            models=("dzine",),
            note="docs page (style_code etc. via extra).",
        ),
    ),
    generic=Family(
        "generic",
        r".",
        (IMAGE, Arg("n", "num_images", integer=True, range=(1, 10))),
        note="imageUrl + n.",
    ),
)

_EXTEND_SIDES = tuple(
    Arg(name, ("direction", "amount"), convert=side(name), integer=True, range=(0, 2000))
    for name in DIRECTIONS
)
_DIRECTION = Arg(None, "direction", choices=DIRECTIONS)
_AMOUNT = Arg(None, "amount", integer=True, range=(1, 2000))

IMAGE_EXTENDER = Feature(
    "IMAGE_EXTENDER",
    output="image",
    result="image",
    default_model="stable-image",
    required=("imageUrl",),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    generic=Family(
        "generic",
        r".",
        (IMAGE, _DIRECTION, _AMOUNT, *_EXTEND_SIDES),
        note="older docs: imageUrl, left/right/up/down (extension per side; units undocumented, "
        "sent as pixels).",
    ),
    families=(),
)

IMAGE_INPAINTER = Feature(
    "IMAGE_INPAINTER",
    output="image",
    result="image",
    default_model="stable-image",
    required=("imageUrl", "maskUrl", "prompt"),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    families=(
        Family(
            "gpt-image",
            r"^gpt-image",
            (IMAGE, MASK, *_GPT_EDIT),
            constants=_GPT_EDIT_CONSTANTS,
            required=("size", "n"),
            models=("gpt-image-1", "gpt-image-1-mini", "gpt-image-2"),
            note="docs pages: gpt-image adds size, n.",
        ),
    ),
    generic=Family(
        "generic",
        r".",
        (IMAGE, MASK, PROMPT),
        models=("stable-image",),
        note="older docs: imageUrl, maskUrl, prompt.",
    ),
)

IMAGE_OBJECT_REMOVER = Feature(
    "IMAGE_OBJECT_REMOVER",
    output="image",
    result="image",
    default_model="stable-image",
    required=("imageUrl",),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    generic=Family(
        "generic",
        r".",
        (IMAGE, OPTIONAL_MASK),
        models=("stable-image",),
        note="older docs: imageUrl, maskUrl (the mask marks the object).",
    ),
)

IMAGE_UPSCALER = Feature(
    "IMAGE_UPSCALER",
    output="image",
    result="image",
    default_model="stable-image",
    required=("imageUrl",),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    families=(
        Family(
            "stable-image",
            r"^stable-image",
            (IMAGE,),
            models=("stable-image",),
            note="older docs: imageUrl (+output_format); the factor is fixed by the model.",
        ),
    ),
    generic=Family(
        "generic",
        r".",
        (IMAGE, Arg("scale", "scale", integer=True, range=(1, 8))),
        note="imageUrl + scale (scale is undocumented).",
    ),
)

BACKGROUND_REMOVER = Feature(
    "BACKGROUND_REMOVER",
    output="image",
    result="image",
    default_model="stable-image",
    required=("imageUrl",),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    generic=Family("generic", r".", (IMAGE,), models=("stable-image",), note="older docs."),
)

BACKGROUND_REPLACER = Feature(
    "BACKGROUND_REPLACER",
    output="image",
    result="image",
    default_model="clipdrop",
    required=("imageUrl", "prompt"),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    families=(
        Family(
            "gpt-image",
            r"^gpt-image",
            (IMAGE, *_GPT_EDIT),
            constants=_GPT_EDIT_CONSTANTS,
            required=("size", "n"),
            models=("gpt-image-1-mini",),
            note="docs page: adds size, n.",
        ),
    ),
    generic=Family(
        "generic",
        r".",
        (IMAGE, PROMPT),
        models=("clipdrop", "recraft"),
        note="older docs: imageUrl, prompt.",
    ),
)

TEXT_REMOVER = Feature(
    "TEXT_REMOVER",
    output="image",
    result="image",
    default_model="clipdrop",
    required=("imageUrl",),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    generic=Family("generic", r".", (IMAGE,), models=("clipdrop",), note="older docs."),
)

FACE_SWAPPER = Feature(
    "FACE_SWAPPER",
    output="image",
    result="image",
    default_model="Qubico/image-toolkit",
    required=("targetImageUrl", "swapImageUrl"),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    generic=Family(
        "generic",
        r".",
        (
            Arg("swapImageUrl", "source_image_url", required=True),
            Arg("targetImageUrl", "target_image_url", required=True),
        ),
        models=("Qubico/image-toolkit", "dzine"),
        note="older docs and the docs page: swapImageUrl (the face) onto targetImageUrl.",
    ),
)

SKETCH_TO_IMAGE = Feature(
    "SKETCH_TO_IMAGE",
    output="image",
    result="image",
    default_model="stable-image",
    required=("imageUrl",),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    evidence="partial",
    generic=Family(
        "generic",
        r".",
        (Arg("imageUrl", "sketch_url", required=True), PROMPT),
        note="Fields are not in the stored docs: imageUrl + prompt by analogy.",
    ),
)

IMAGE_3D_GENERATOR = Feature(
    "IMAGE_3D_GENERATOR",
    output="image",
    result="image",
    default_model="stable-image",
    required=("imageUrl",),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    generic=Family(
        "generic",
        r".",
        (IMAGE,),
        models=("stable-image",),
        note="older docs: imageUrl; the result is a 3D model file.",
    ),
)

SEARCH_AND_REPLACE = Feature(
    "SEARCH_AND_REPLACE",
    output="image",
    result="image",
    default_model="stable-image",
    required=("imageUrl", "search_prompt", "prompt"),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    generic=Family(
        "generic",
        r".",
        (
            IMAGE,
            Arg("search_prompt", "search_prompt", required=True),
            Arg("prompt", "replace_prompt", required=True),
        ),
        models=("stable-image",),
        note="older docs: imageUrl, search_prompt, prompt.",
    ),
)

IMAGE_TO_PROMPT = Feature(
    "IMAGE_TO_PROMPT",
    output="text",
    result="chat",
    default_model=(
        "methexis-inc/img2prompt:50adaf2d3ad20a6f911a8a9e3ccf777b263b8596fbd2c8fc26e8888f8a0edbb5"
    ),
    required=("imageUrl",),
    timeout_s=IMAGE_TIMEOUT_S,
    read_timeout_s=IMAGE_TIMEOUT_S,
    families=(
        Family(
            "midjourney",
            r"midjourney|magic-art",
            (IMAGE,),
            constants={"mode": "describe", "n": 1},
            models=("midjourney",),
            note="older docs: mode describe, n 1.",
        ),
    ),
    generic=Family("generic", r".", (IMAGE,), note="older docs: imageUrl."),
)

IMAGE_FEATURES = (
    IMAGE_GENERATOR, IMAGE_EDITOR, IMAGE_VARIATOR, IMAGE_EXTENDER, IMAGE_INPAINTER,
    IMAGE_OBJECT_REMOVER, IMAGE_UPSCALER, BACKGROUND_REMOVER, BACKGROUND_REPLACER, TEXT_REMOVER,
    FACE_SWAPPER, SKETCH_TO_IMAGE, IMAGE_3D_GENERATOR, SEARCH_AND_REPLACE, IMAGE_TO_PROMPT,
)  # fmt: skip
