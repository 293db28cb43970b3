"""Public enums: model ids, voices, asset types and feature types.

Every ``model`` parameter of the client also accepts a plain string, so a model that 1min.AI
adds tomorrow works without a new release. Model ids change often (docs/protocol.md, "Catalog,
models and media features"): these enums are conveniences, never a whitelist, and nothing in
the client refuses an id because it is not a member; ``client.list_models(feature)`` is the
live catalog.

Members whose ids the service withdrew (:data:`WITHDRAWN_MODELS`) stay importable because the
earlier package offered them, but the service refuses them: pick another member.

``<Enum>.DEFAULT`` (kept for code written against the earlier package) is a plain class
attribute naming the default member, not an alias member of its own.
"""

from __future__ import annotations

import enum
from types import MappingProxyType

__all__ = [
    "AD_PLATFORMS",
    "DEFAULT_CHAT_MODEL",
    "DEFAULT_CODE_MODEL",
    "SOCIAL_COMMENT_PLATFORMS",
    "SOCIAL_POST_PLATFORMS",
    "WITHDRAWN_MODELS",
    "AssetType",
    "ChatModel",
    "CodeModel",
    "FeatureType",
    "ImageDirection",
    "ImageModel",
    "MusicModel",
    "STTModel",
    "SocialPlatform",
    "TTSModel",
    "TTSVoice",
    "VideoModel",
]


class _StrEnum(str, enum.Enum):
    """A string enum whose ``str()`` is its value."""

    def __str__(self) -> str:
        return str(self.value)


class ChatModel(_StrEnum):
    """Chat models for ``UNIFY_CHAT_WITH_AI`` (any model id string is accepted too)."""

    QWEN3_VL_PLUS = "qwen3-vl-plus"
    QWEN3_VL_FLASH = "qwen3-vl-flash"
    QWEN3_MAX = "qwen3-max"
    QWEN_VL_PLUS = "qwen-vl-plus"
    QWEN_VL_MAX = "qwen-vl-max"
    QWEN_PLUS = "qwen-plus"
    QWEN_MAX = "qwen-max"
    QWEN_FLASH = "qwen-flash"
    # 2026: the chat catalog moved Claude to AWS Bedrock-style ``us.anthropic.*`` ids.
    CLAUDE_SONNET_4_6 = "us.anthropic.claude-sonnet-4-6"
    CLAUDE_SONNET_4_5 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
    CLAUDE_OPUS_4_8 = "us.anthropic.claude-opus-4-8"
    CLAUDE_OPUS_4_7 = "us.anthropic.claude-opus-4-7"
    CLAUDE_OPUS_4_6 = "us.anthropic.claude-opus-4-6-v1"
    CLAUDE_OPUS_4_5 = "us.anthropic.claude-opus-4-5-20251101-v1:0"
    CLAUDE_HAIKU_4_5 = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
    #: Withdrawn (no longer in the 2026 catalog); kept for code written against the seed.
    CLAUDE_SONNET_4 = "claude-sonnet-4-20250514"
    CLAUDE_OPUS_4 = "claude-opus-4-20250514"
    CLAUDE_OPUS_4_1 = "claude-opus-4-1-20250805"
    GEMINI_3_1_PRO = "gemini-3.1-pro-preview"
    GEMINI_3_1_FLASH = "gemini-3.1-flash-lite-preview"
    GEMINI_3_FLASH = "gemini-3-flash-preview"
    GEMINI_2_5_PRO = "gemini-2.5-pro"
    GEMINI_2_5_FLASH = "gemini-2.5-flash"
    GROK_4_3 = "grok-4.3"
    GROK_4 = "grok-4-0709"
    #: Withdrawn in 2026 (the ``grok-4-fast-*`` models were dropped); kept for the seed's code.
    GROK_4_FAST = "grok-4-fast-non-reasoning"
    GROK_4_REASONING = "grok-4-fast-reasoning"
    GROK_3 = "grok-3"
    GROK_3_MINI = "grok-3-mini"
    GPT_4O = "gpt-4o"
    GPT_4O_MINI = "gpt-4o-mini"
    GPT_4_1 = "gpt-4.1"
    GPT_4_1_MINI = "gpt-4.1-mini"
    GPT_4_1_NANO = "gpt-4.1-nano"
    GPT_4_TURBO = "gpt-4-turbo"
    GPT_3_5_TURBO = "gpt-3.5-turbo"
    GPT_5 = "gpt-5"
    GPT_5_MINI = "gpt-5-mini"
    GPT_5_NANO = "gpt-5-nano"
    GPT_5_1 = "gpt-5.1"
    GPT_5_2 = "gpt-5.2"
    GPT_5_4 = "gpt-5.4"
    GPT_5_4_MINI = "gpt-5.4-mini"
    GPT_5_4_NANO = "gpt-5.4-nano"
    GPT_5_5 = "gpt-5.5"
    GPT_5_5_PRO = "gpt-5.5-pro"
    O3 = "o3"
    O3_PRO = "o3-pro"
    O3_DEEP_RESEARCH = "o3-deep-research"
    O4_MINI = "o4-mini"
    O4_MINI_DR = "o4-mini-deep-research"
    OSS_20B = "openai/gpt-oss-20b"
    OSS_120B = "openai/gpt-oss-120b"
    LLAMA_4_SCOUT = "meta/llama-4-scout-instruct"
    LLAMA_4_MAVERICK = "meta/llama-4-maverick-instruct"
    LLAMA_3_70B = "meta/meta-llama-3-70b-instruct"
    LLAMA_2_70B = "meta/llama-2-70b-chat"
    MISTRAL_LARGE = "mistral-large-latest"
    MISTRAL_MEDIUM = "mistral-medium-latest"
    MISTRAL_SMALL = "mistral-small-latest"
    MISTRAL_NEMO = "open-mistral-nemo"
    MAGISTRAL_MEDIUM = "magistral-medium-latest"
    MAGISTRAL_SMALL = "magistral-small-latest"
    MINISTRAL_14B = "ministral-14b-latest"
    DEEPSEEK_CHAT = "deepseek-chat"
    DEEPSEEK_REASONER = "deepseek-reasoner"
    SONAR = "sonar"
    SONAR_PRO = "sonar-pro"
    SONAR_REASONING_PRO = "sonar-reasoning-pro"
    SONAR_DEEP_RESEARCH = "sonar-deep-research"
    COMMAND_R = "command-r-08-2024"


class CodeModel(_StrEnum):
    """Models for ``CODE_GENERATOR``."""

    QWEN_CODER_PLUS = "qwen3-coder-plus"
    QWEN_CODER_FLASH = "qwen3-coder-flash"
    CLAUDE_SONNET_4_6 = "claude-sonnet-4-6"
    CLAUDE_OPUS_4_6 = "claude-opus-4-6"
    GPT_5_1_CODEX = "gpt-5.1-codex"
    GPT_5_1_CODEX_MINI = "gpt-5.1-codex-mini"
    GPT_4O = "gpt-4o"
    GROK_CODE = "grok-code-fast-1"
    DEEPSEEK_REASONER = "deepseek-reasoner"
    MISTRAL_LARGE = "mistral-large-latest"


class ImageModel(_StrEnum):
    """Models for the image features (generation, editing, variations, …)."""

    QWEN_IMAGE_PLUS = "qwen-image-plus"
    QWEN_IMAGE_MAX = "qwen-image-max"
    #: Withdrawn: the service answers ``UNSUPPORTED_MODEL`` for IMAGE_GENERATOR (2026).
    FLUX_SCHNELL = "black-forest-labs/flux-schnell"
    FLUX_SCHNELL_LORA = "black-forest-labs/flux-schnell-lora"
    FLUX_DEV = "black-forest-labs/flux-dev"
    FLUX_DEV_LORA = "black-forest-labs/flux-dev-lora"
    FLUX_KREA_DEV = "black-forest-labs/flux-krea-dev"
    FLUX_1_1_PRO = "black-forest-labs/flux-1.1-pro"
    FLUX_1_1_PRO_ULTRA = "black-forest-labs/flux-1.1-pro-ultra"
    FLUX_2_PRO = "black-forest-labs/flux-2-pro"
    FLUX_2_MAX = "black-forest-labs/flux-2-max"
    FLUX_2_DEV = "black-forest-labs/flux-2-dev"
    FLUX_2_FLEX = "black-forest-labs/flux-2-flex"
    FLUX_2_KLEIN_4B = "black-forest-labs/flux-2-klein-4b"
    FLUX_2_KLEIN_9B = "black-forest-labs/flux-2-klein-9b"
    GPT_IMAGE_1 = "gpt-image-1"
    GPT_IMAGE_1_MINI = "gpt-image-1-mini"
    GPT_IMAGE_2 = "gpt-image-2"
    GEMINI_2_5_FLASH_IMG = "gemini-2.5-flash-image"
    GEMINI_3_PRO_IMG = "gemini-3-pro-image-preview"
    GEMINI_3_1_FLASH_IMG = "gemini-3.1-flash-image-preview"
    GROK_IMAGINE = "grok-imagine-image"
    STABLE_DIFFUSION_XL = "clipdrop"
    STABLE_IMAGE_CORE = "stable-image"
    STABLE_IMAGE_ULTRA = "stable-image-ultra"
    STABLE_DIFFUSION_XL_1 = "stable-diffusion-xl-1024-v1-0"
    LEONARDO_PHOENIX = "6b645e3a-d64f-4341-a6d8-7a3690fbf042"
    LEONARDO_LIGHTNING_XL = "b24e16ff-06e3-43eb-8d33-4416c2d75876"
    LEONARDO_ANIME_XL = "e71a1c2f-4f80-4800-934f-2c68979d8cc8"
    LEONARDO_KINO_XL = "aa77f04e-3eec-4034-9c07-d0f619684628"
    LEONARDO_VISION_XL = "5c232a9e-9061-4777-980a-ddc8e65647c6"
    LEONARDO_ALBEDO_XL = "2067ae52-33fd-4a82-bb92-c2c55e7d2786"
    LEONARDO_DIFFUSION_XL = "1e60896f-3c26-4296-8ecc-53e2afecc132"
    MAGIC_ART_7 = "magic-art_7_0"
    MAGIC_ART_6 = "magic-art_6_1"
    MAGIC_ART_5 = "magic-art"
    RECRAFT = "recraft"
    DZINE = "dzine"
    DALL_E_3 = "dall-e-3"
    DALL_E_2 = "dall-e-2"


class TTSModel(_StrEnum):
    """Models for ``TEXT_TO_SPEECH``."""

    OPENAI_TTS_1 = "tts-1"
    OPENAI_TTS_1_HD = "tts-1-hd"
    ELEVENLABS = "elevenlabs-tts"
    GOOGLE = "google-tts"
    QWEN_TTS_FLASH = "qwen3-tts-flash"


class TTSVoice(_StrEnum):
    """OpenAI text-to-speech voices (ElevenLabs and Google take plain voice strings)."""

    ALLOY = "alloy"
    ASH = "ash"
    BALLAD = "ballad"
    CORAL = "coral"
    ECHO = "echo"
    FABLE = "fable"
    NOVA = "nova"
    ONYX = "onyx"
    SAGE = "sage"
    SHIMMER = "shimmer"
    VERSE = "verse"


class STTModel(_StrEnum):
    """Models for ``SPEECH_TO_TEXT`` (Whisper-style and Google-style)."""

    WHISPER_1 = "whisper-1"
    GPT_4O_TRANSCRIBE = "gpt-4o-transcribe"
    GPT_4O_TRANSCRIBE_DIAR = "gpt-4o-transcribe-diarize"
    ELEVENLABS = "elevenlabs-speech-to-text"
    QWEN_ASR_FLASH = "qwen3-asr-flash"
    GOOGLE_LATEST_LONG = "latest_long"
    GOOGLE_LATEST_SHORT = "latest_short"
    GOOGLE_MEDICAL_CONV = "medical_conversation"
    GOOGLE_MEDICAL_DICT = "medical_dictation"
    GOOGLE_PHONE_CALL = "phone_call"
    GOOGLE_TELEPHONY = "telephony"
    GOOGLE_TELEPHONY_SHORT = "telephony_short"


class VideoModel(_StrEnum):
    """Models for ``TEXT_TO_VIDEO`` and ``IMAGE_TO_VIDEO``."""

    KLING = "kling"
    PIKA = "pika"
    LUMA = "luma"
    SORA_2 = "sora-2"
    SORA_2_PRO = "sora-2-pro"
    #: The model is ``veo3``; ``veo3-video`` is its ``task_type`` (the seed sent it as the model).
    VEO3 = "veo3"
    HAILUO = "hailuo"
    SKYREELS = "Qubico/skyreels"
    HUNYUAN = "Qubico/hunyuan"
    WANX = "Qubico/wanx"
    TONGYI = (
        "cjwbw/damo-text-to-video:1e205ea73084bd17a0a3b43396e49ba0d6bc2e754e9283b2df49fad2dcf95755"
    )
    LEONARDO_MOTION = "leonardo-motion"
    ANIMATE_DIFF = (
        "lucataco/animate-diff:beecf59c4aee8d81bf04f0381033dfa10dc16e845b4ae00d281e2fa377e48a9f"
    )


class MusicModel(_StrEnum):
    """Models for ``MUSIC_GENERATOR``."""

    LYRIA_3_PRO = "lyria-3-pro-preview"
    LYRIA_3_CLIP = "lyria-3-clip-preview"
    LYRIA_2 = "lyria-002"
    MUSICGEN = "meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb"
    SUNO = "suno-ttapi"
    UDIO = "music-u"


class AssetType(_StrEnum):
    """Asset categories of the upload API."""

    IMAGE = "IMAGE"
    DOCUMENT = "DOCUMENT"
    AUDIO = "AUDIO"
    VIDEO = "VIDEO"


#: The folder that starts an asset key of each type (``images/2025/…png``).
ASSET_KEY_FOLDERS: dict[str, str] = {
    AssetType.IMAGE: "images",
    AssetType.AUDIO: "audios",
    AssetType.VIDEO: "videos",
    AssetType.DOCUMENT: "documents",
}


class FeatureType(_StrEnum):
    """The ``type`` values of ``/api/chat-with-ai`` and ``/api/features``.

    Which of them the live service lists: ``docs/protocol.md``, "Feature types".
    """

    UNIFY_CHAT_WITH_AI = "UNIFY_CHAT_WITH_AI"
    CHAT_WITH_AI = "CHAT_WITH_AI"
    CHAT_WITH_IMAGE = "CHAT_WITH_IMAGE"
    CHAT_WITH_PDF = "CHAT_WITH_PDF"
    CHAT_WITH_YOUTUBE_VIDEO = "CHAT_WITH_YOUTUBE_VIDEO"
    CODE_GENERATOR = "CODE_GENERATOR"
    # image features
    IMAGE_GENERATOR = "IMAGE_GENERATOR"
    IMAGE_EDITOR = "IMAGE_EDITOR"
    IMAGE_VARIATOR = "IMAGE_VARIATOR"
    IMAGE_EXTENDER = "IMAGE_EXTENDER"
    IMAGE_INPAINTER = "IMAGE_INPAINTER"
    IMAGE_OBJECT_REMOVER = "IMAGE_OBJECT_REMOVER"
    IMAGE_UPSCALER = "IMAGE_UPSCALER"
    BACKGROUND_REMOVER = "BACKGROUND_REMOVER"
    BACKGROUND_REPLACER = "BACKGROUND_REPLACER"
    TEXT_REMOVER = "TEXT_REMOVER"
    FACE_SWAPPER = "FACE_SWAPPER"
    SKETCH_TO_IMAGE = "SKETCH_TO_IMAGE"
    IMAGE_3D_GENERATOR = "IMAGE_3D_GENERATOR"
    SEARCH_AND_REPLACE = "SEARCH_AND_REPLACE"
    IMAGE_TO_PROMPT = "IMAGE_TO_PROMPT"
    # audio and music
    TEXT_TO_SPEECH = "TEXT_TO_SPEECH"
    TEXT_TO_SOUND = "TEXT_TO_SOUND"
    SPEECH_TO_TEXT = "SPEECH_TO_TEXT"
    AUDIO_TRANSLATOR = "AUDIO_TRANSLATOR"
    CAPTIONS_GENERATOR = "CAPTIONS_GENERATOR"
    VOICE_ISOLATOR = "VOICE_ISOLATOR"
    VOICE_CHANGER = "VOICE_CHANGER"
    VOICE_CLONING = "VOICE_CLONING"
    VOICE_DESIGN = "VOICE_DESIGN"
    MUSIC_GENERATOR = "MUSIC_GENERATOR"
    # video
    TEXT_TO_VIDEO = "TEXT_TO_VIDEO"
    IMAGE_TO_VIDEO = "IMAGE_TO_VIDEO"
    VIDEO_FACE_SWAPPER = "VIDEO_FACE_SWAPPER"
    # writing, YouTube and content tools
    KEYWORD_RESEARCH = "KEYWORD_RESEARCH"
    CONTENT_GENERATOR_BLOG_ARTICLE = "CONTENT_GENERATOR_BLOG_ARTICLE"
    REWRITER = "REWRITER"
    CONTENT_EXPANDER = "CONTENT_EXPANDER"
    CONTENT_SHORTENER = "CONTENT_SHORTENER"
    CONTENT_TRANSLATOR = "CONTENT_TRANSLATOR"
    PARAPHRASER = "PARAPHRASER"
    SUMMARIZER = "SUMMARIZER"
    GRAMMAR_CHECKER = "GRAMMAR_CHECKER"
    YOUTUBE_SUMMARIZER = "YOUTUBE_SUMMARIZER"
    YOUTUBE_TRANSCRIBER = "YOUTUBE_TRANSCRIBER"
    YOUTUBE_TRANSLATOR = "YOUTUBE_TRANSLATOR"
    CONTENT_GENERATOR_EMAIL = "CONTENT_GENERATOR_EMAIL"
    CONTENT_GENERATOR_EMAIL_REPLY = "CONTENT_GENERATOR_EMAIL_REPLY"
    CONTENT_GENERATOR_BRAND_VOICE = "CONTENT_GENERATOR_BRAND_VOICE"
    CONTENT_GENERATOR_INSTAGRAM_POST = "CONTENT_GENERATOR_INSTAGRAM_POST"
    CONTENT_GENERATOR_FACEBOOK_POST = "CONTENT_GENERATOR_FACEBOOK_POST"
    CONTENT_GENERATOR_FACEBOOK_COMMENT = "CONTENT_GENERATOR_FACEBOOK_COMMENT"
    CONTENT_GENERATOR_FACEBOOK_ADS = "CONTENT_GENERATOR_FACEBOOK_ADS"
    CONTENT_GENERATOR_LINKEDIN_POST = "CONTENT_GENERATOR_LINKEDIN_POST"
    CONTENT_GENERATOR_LINKEDIN_COMMENT = "CONTENT_GENERATOR_LINKEDIN_COMMENT"
    CONTENT_GENERATOR_X_TWEET = "CONTENT_GENERATOR_X_TWEET"
    CONTENT_GENERATOR_X_COMMENT = "CONTENT_GENERATOR_X_COMMENT"
    CONTENT_GENERATOR_TIKTOK_DESCRIPTION = "CONTENT_GENERATOR_TIKTOK_DESCRIPTION"
    CONTENT_GENERATOR_GOOGLE_ADS = "CONTENT_GENERATOR_GOOGLE_ADS"
    # not among the live feature enums: kept for compatibility, best-effort names
    PROMPT_GENERATOR = "PROMPT_GENERATOR"
    PRESENTATION_GENERATOR = "PRESENTATION_GENERATOR"
    DOCUMENT_TRANSLATOR = "DOCUMENT_TRANSLATOR"
    AI_DETECTOR = "AI_DETECTOR"


class ImageDirection(_StrEnum):
    """The side ``extend_image`` grows an image on."""

    LEFT = "left"
    RIGHT = "right"
    UP = "up"
    DOWN = "down"


class SocialPlatform(_StrEnum):
    """Platforms of the social-media content tools (``X`` and ``TWITTER`` are the same)."""

    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    LINKEDIN = "linkedin"
    TIKTOK = "tiktok"
    X = "x"
    TWITTER = "twitter"
    GOOGLE = "google"


ChatModel.DEFAULT = ChatModel.GPT_4O_MINI  # type: ignore[attr-defined]
CodeModel.DEFAULT = CodeModel.GPT_4O  # type: ignore[attr-defined]
ImageModel.DEFAULT = ImageModel.STABLE_DIFFUSION_XL_1  # type: ignore[attr-defined]
TTSModel.DEFAULT = TTSModel.OPENAI_TTS_1  # type: ignore[attr-defined]
STTModel.DEFAULT = STTModel.WHISPER_1  # type: ignore[attr-defined]
VideoModel.DEFAULT = VideoModel.KLING  # type: ignore[attr-defined]
MusicModel.DEFAULT = MusicModel.LYRIA_2  # type: ignore[attr-defined]

DEFAULT_CHAT_MODEL: str = ChatModel.GPT_4O_MINI.value

#: Model ids the service no longer serves, with what the public evidence shows (see
#: docs/protocol.md). Their enum members stay importable; the emulator refuses them with
#: ``UNSUPPORTED_MODEL``, as the service does. The client itself never refuses an id.
WITHDRAWN_MODELS: dict[str, str] = {
    ImageModel.FLUX_SCHNELL.value: "refused live: UNSUPPORTED_MODEL for IMAGE_GENERATOR",
    ChatModel.GROK_4_FAST.value: "dropped from the chat catalog in 2026",
    ChatModel.GROK_4_REASONING.value: "dropped from the chat catalog in 2026",
    ChatModel.CLAUDE_SONNET_4.value: "Claude ids moved to us.anthropic.* in 2026",
    ChatModel.CLAUDE_OPUS_4.value: "Claude ids moved to us.anthropic.* in 2026",
    ChatModel.CLAUDE_OPUS_4_1.value: "Claude ids moved to us.anthropic.* in 2026",
    "meta/meta-llama-3.1-405b-instruct": "removed from the chat catalog in 2026",
    "veo3-video": "a Veo3 task_type, not a model id (the model is veo3)",
}

#: Default ``design_voice(sample_text=...)``: ElevenLabs wants 100–1000 characters. Kept here
#: (not in ``_registry``) so the client's signatures do not import the registry.
DEFAULT_SAMPLE_TEXT = (
    "Hello! This is a short sample of the voice you designed. It speaks clearly, at a "
    "natural pace, so you can judge its tone, warmth and character."
)
DEFAULT_CODE_MODEL: str = CodeModel.GPT_4O.value

#: ``platform`` → feature type of ``generate_social_post`` (kept here, like
#: ``DEFAULT_SAMPLE_TEXT``, so the client's signatures do not import the registry).
SOCIAL_POST_PLATFORMS = MappingProxyType(
    {
        "instagram": "CONTENT_GENERATOR_INSTAGRAM_POST",
        "facebook": "CONTENT_GENERATOR_FACEBOOK_POST",
        "linkedin": "CONTENT_GENERATOR_LINKEDIN_POST",
        "tiktok": "CONTENT_GENERATOR_TIKTOK_DESCRIPTION",
        "x": "CONTENT_GENERATOR_X_TWEET",
        "twitter": "CONTENT_GENERATOR_X_TWEET",
    }
)
#: ``platform`` → feature type of ``generate_social_comment``.
SOCIAL_COMMENT_PLATFORMS = MappingProxyType(
    {
        "facebook": "CONTENT_GENERATOR_FACEBOOK_COMMENT",
        "linkedin": "CONTENT_GENERATOR_LINKEDIN_COMMENT",
        "x": "CONTENT_GENERATOR_X_COMMENT",
        "twitter": "CONTENT_GENERATOR_X_COMMENT",
    }
)
#: ``platform`` → feature type of ``generate_ad_copy``.
AD_PLATFORMS = MappingProxyType(
    {
        "facebook": "CONTENT_GENERATOR_FACEBOOK_ADS",
        "google": "CONTENT_GENERATOR_GOOGLE_ADS",
    }
)
