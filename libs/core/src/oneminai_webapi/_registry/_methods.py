"""The public media and content methods: parameters, defaults, inputs and routing.

``params`` lists every Python parameter except ``model`` and the control options
(``extra``, ``wait``, ``poll_timeout``, ``poll_interval``, ``on_progress``) with its default
(:data:`REQUIRED` for positional parameters). The client's signatures must agree with this
table (a test checks it), so CLIs and agent tools can be generated from it.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

#: Re-exported: defined in ``constants`` so the client signatures do not import the registry.
from ..constants import DEFAULT_SAMPLE_TEXT as DEFAULT_SAMPLE_TEXT
from ._schema import REQUIRED, InputKind, Method

DEFAULT_TONE = "professional"

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
SOCIAL_COMMENT_PLATFORMS = MappingProxyType(
    {
        "facebook": "CONTENT_GENERATOR_FACEBOOK_COMMENT",
        "linkedin": "CONTENT_GENERATOR_LINKEDIN_COMMENT",
        "x": "CONTENT_GENERATOR_X_COMMENT",
        "twitter": "CONTENT_GENERATOR_X_COMMENT",
    }
)
AD_PLATFORMS = MappingProxyType(
    {
        "facebook": "CONTENT_GENERATOR_FACEBOOK_ADS",
        "google": "CONTENT_GENERATOR_GOOGLE_ADS",
    }
)

R = REQUIRED
IMG: InputKind = "IMAGE"
AUD: InputKind = "AUDIO"
VID: InputKind = "VIDEO"


def _m(
    method_name: str,
    feature_type: str | None,
    summary: str,
    inputs: dict[str, InputKind] | None = None,
    /,
    *,
    route: tuple[str, Any] | None = None,
    **params: Any,
) -> Method:
    return Method(
        method_name,
        feature_type,
        MappingProxyType(params),
        MappingProxyType(inputs or {}),
        route,
        summary,
    )


_WRITING: dict[str, Any] = {"tone": DEFAULT_TONE, "language": None, "num_words": None}
_CONTENT: dict[str, Any] = {"tone": DEFAULT_TONE, "language": "English", "num_words": None}

METHOD_LIST: tuple[Method, ...] = (
    # ── images ──
    _m(
        "generate_image",
        "IMAGE_GENERATOR",
        "Generate images from a text prompt.",
        prompt=R,
        negative_prompt=None,
        width=1024,
        height=1024,
        num_images=1,
        quality=None,
        style=None,
        output_format=None,
    ),
    _m(
        "edit_image",
        "IMAGE_EDITOR",
        "Edit an image following a prompt.",
        {"image_url": IMG},
        image_url=R,
        prompt=R,
    ),
    _m(
        "create_image_variation",
        "IMAGE_VARIATOR",
        "Make variations of an image.",
        {"image_url": IMG},
        image_url=R,
        num_images=1,
    ),
    _m(
        "extend_image",
        "IMAGE_EXTENDER",
        "Extend (outpaint) an image on one side.",
        {"image_url": IMG},
        image_url=R,
        direction="right",
        amount=512,
    ),
    _m(
        "inpaint_image",
        "IMAGE_INPAINTER",
        "Repaint the masked area of an image.",
        {"image_url": IMG, "mask_url": IMG},
        image_url=R,
        mask_url=R,
        prompt=R,
    ),
    _m(
        "remove_object_from_image",
        "IMAGE_OBJECT_REMOVER",
        "Remove an object from an image.",
        {"image_url": IMG, "mask_url": IMG},
        image_url=R,
        mask_url=None,
    ),
    _m(
        "upscale_image",
        "IMAGE_UPSCALER",
        "Upscale an image.",
        {"image_url": IMG},
        image_url=R,
        scale=2,
    ),
    _m(
        "remove_background",
        "BACKGROUND_REMOVER",
        "Remove the background of an image.",
        {"image_url": IMG},
        image_url=R,
    ),
    _m(
        "replace_background",
        "BACKGROUND_REPLACER",
        "Replace the background of an image.",
        {"image_url": IMG},
        image_url=R,
        prompt=R,
    ),
    _m(
        "remove_text_from_image",
        "TEXT_REMOVER",
        "Remove text from an image.",
        {"image_url": IMG},
        image_url=R,
    ),
    _m(
        "swap_face",
        "FACE_SWAPPER",
        "Put the face of one image onto another.",
        {"source_image_url": IMG, "target_image_url": IMG},
        source_image_url=R,
        target_image_url=R,
    ),
    _m(
        "sketch_to_image",
        "SKETCH_TO_IMAGE",
        "Turn a sketch into an image.",
        {"sketch_url": IMG},
        sketch_url=R,
        prompt=R,
    ),
    _m(
        "image_to_3d",
        "IMAGE_3D_GENERATOR",
        "Make a 3D model from an image.",
        {"image_url": IMG},
        image_url=R,
    ),
    _m(
        "search_and_replace_in_image",
        "SEARCH_AND_REPLACE",
        "Replace an object in an image.",
        {"image_url": IMG},
        image_url=R,
        search_prompt=R,
        replace_prompt=R,
    ),
    _m(
        "image_to_prompt",
        "IMAGE_TO_PROMPT",
        "Describe an image as a prompt.",
        {"image_url": IMG},
        image_url=R,
    ),
    # ── audio ──
    _m(
        "text_to_speech",
        "TEXT_TO_SPEECH",
        "Speak a text.",
        text=R,
        voice="alloy",
        speed=1.0,
        response_format="mp3",
        language=None,
    ),
    _m("text_to_sound", "TEXT_TO_SOUND", "Generate a sound effect.", prompt=R, duration=5.0),
    _m(
        "speech_to_text",
        "SPEECH_TO_TEXT",
        "Transcribe speech.",
        {"audio_url": AUD},
        audio_url=R,
        language=None,
        response_format="text",
    ),
    _m(
        "translate_audio",
        "AUDIO_TRANSLATOR",
        "Translate speech into text.",
        {"audio_url": AUD},
        audio_url=R,
        target_language=R,
    ),
    _m(
        "generate_captions",
        "CAPTIONS_GENERATOR",
        "Caption an audio or video file.",
        {"audio_or_video_url": AUD},
        audio_or_video_url=R,
        language=None,
    ),
    _m(
        "isolate_voice",
        "VOICE_ISOLATOR",
        "Isolate the voice of a recording.",
        {"audio_url": AUD},
        audio_url=R,
    ),
    _m(
        "change_voice",
        "VOICE_CHANGER",
        "Say a recording in another voice.",
        {"audio_url": AUD},
        audio_url=R,
        target_voice=R,
    ),
    _m(
        "clone_voice",
        "VOICE_CLONING",
        "Speak in a voice cloned from a sample.",
        {"audio_url": AUD},
        audio_url=R,
        name=R,
        description="",
        text=None,
    ),
    _m(
        "design_voice",
        "VOICE_DESIGN",
        "Design a voice from a description.",
        description=R,
        sample_text=DEFAULT_SAMPLE_TEXT,
    ),
    # ── video ──
    _m(
        "generate_video",
        "TEXT_TO_VIDEO",
        "Generate a video from a prompt.",
        prompt=R,
        duration=5,
        aspect_ratio="16:9",
    ),
    _m(
        "image_to_video",
        "IMAGE_TO_VIDEO",
        "Animate an image.",
        {"image_url": IMG},
        image_url=R,
        prompt="",
        duration=5,
        aspect_ratio="16:9",
    ),
    _m(
        "swap_face_in_video",
        "VIDEO_FACE_SWAPPER",
        "Swap a face into a video.",
        {"video_url": VID, "face_image_url": IMG},
        video_url=R,
        face_image_url=R,
    ),
    # ── music ──
    _m(
        "generate_music",
        "MUSIC_GENERATOR",
        "Generate music.",
        prompt=R,
        duration=None,
        instrumental=False,
    ),
    # ── code and content ──
    _m("generate_code", "CODE_GENERATOR", "Write code.", prompt=R, web_search=False),
    _m("check_grammar", "GRAMMAR_CHECKER", "Correct grammar and spelling.", text=R),
    _m("paraphrase", "PARAPHRASER", "Paraphrase a text.", text=R, **_WRITING, num_sections=1),
    _m("rewrite", "REWRITER", "Rewrite a text.", text=R, **_WRITING),
    _m(
        "summarize",
        "SUMMARIZER",
        "Summarize a text.",
        text=R,
        language=None,
        tone=DEFAULT_TONE,
        num_bullets=5,
        num_words=150,
    ),
    _m("expand_content", "CONTENT_EXPANDER", "Expand a text.", text=R, **_WRITING),
    _m("shorten_content", "CONTENT_SHORTENER", "Shorten a text.", text=R, **_WRITING),
    _m(
        "translate",
        "CONTENT_TRANSLATOR",
        "Translate a text.",
        text=R,
        target_language=R,
        source_language=None,
        domain=None,
        tone=None,
        writing_style=None,
    ),
    _m("detect_ai_content", "AI_DETECTOR", "Estimate whether a text was AI-written.", text=R),
    _m(
        "research_keywords",
        "KEYWORD_RESEARCH",
        "Research keywords for a topic.",
        topic=R,
        research_type="KEYWORD_STATISTICS",
        num_words=500,
    ),
    _m(
        "generate_blog_article",
        "CONTENT_GENERATOR_BLOG_ARTICLE",
        "Write a blog article.",
        prompt=R,
        language="English",
        tone="informative",
        num_words=1000,
        num_sections=5,
        keywords=None,
    ),
    _m("generate_email", "CONTENT_GENERATOR_EMAIL", "Write an email.", prompt=R, **_CONTENT),
    _m(
        "generate_email_reply",
        "CONTENT_GENERATOR_EMAIL_REPLY",
        "Reply to an email.",
        original_email=R,
        instructions=R,
        tone=DEFAULT_TONE,
        language="English",
    ),
    _m(
        "generate_social_post",
        None,
        "Write a social media post.",
        route=("platform", SOCIAL_POST_PLATFORMS),
        prompt=R,
        platform=R,
        tone="friendly",
        language="English",
        num_words=None,
    ),
    _m(
        "generate_social_comment",
        None,
        "Write a comment on a social media post.",
        route=("platform", SOCIAL_COMMENT_PLATFORMS),
        post_text=R,
        platform=R,
        tone="friendly",
        language="English",
        num_words=None,
    ),
    _m(
        "generate_ad_copy",
        None,
        "Write ad copy.",
        route=("platform", AD_PLATFORMS),
        prompt=R,
        platform=R,
        tone="persuasive",
        language="English",
        num_words=None,
    ),
    _m(
        "generate_presentation",
        "PRESENTATION_GENERATOR",
        "Outline a presentation.",
        prompt=R,
        tone=None,
        language="English",
        num_slides=10,
    ),
    _m(
        "summarize_youtube",
        "YOUTUBE_SUMMARIZER",
        "Summarize a YouTube video.",
        url=R,
        language="English",
    ),
    _m("transcribe_youtube", "YOUTUBE_TRANSCRIBER", "Transcribe a YouTube video.", url=R),
    _m(
        "translate_youtube",
        "YOUTUBE_TRANSLATOR",
        "Translate a YouTube video.",
        url=R,
        target_language=R,
    ),
    _m(
        "translate_document",
        "DOCUMENT_TRANSLATOR",
        "Translate an uploaded document.",
        file_id=R,
        target_language=R,
    ),
)
