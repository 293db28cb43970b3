"""Golden payloads: every media/content method, per model family, both clients.

Each case calls a client method against the emulator and asserts the exact JSON body the
emulator received on ``POST /api/features`` and the parsed output.
"""

from __future__ import annotations

from typing import Any

import pytest
from oneminai_webapi import (
    AudioOutput,
    ChatOutput,
    ImageOutput,
    MusicOutput,
    TranscriptionOutput,
    VideoOutput,
)
from oneminai_webapi._registry import METHODS
from oneminai_webapi._registry._methods import DEFAULT_SAMPLE_TEXT
from oneminai_webapi.constants import ImageModel, TTSVoice
from oneminai_webapi.testing import Emulator

from .conftest import call, sent

IMG = "images/2024_09_30_13_38_59_100_in.png"
MASK = "images/2024_09_30_13_38_59_100_mask.png"
AUD = "audios/2024_09_30_13_38_59_100_talk.mp3"
VID = "videos/2024_09_30_13_38_59_100_clip.mp4"
YT = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
LEONARDO = "5c232a9e-9061-4777-980a-ddc8e65647c6"
MUSICGEN = "meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb"
ANIMATE_DIFF = (
    "lucataco/animate-diff:beecf59c4aee8d81bf04f0381033dfa10dc16e845b4ae00d281e2fa377e48a9f"
)
#: Types with no evidence they exist: the emulator refuses them unless a test opts in.
UNVERIFIED = {"AI_DETECTOR", "PRESENTATION_GENERATOR", "DOCUMENT_TRANSLATOR"}
IMG2PROMPT = (
    "methexis-inc/img2prompt:50adaf2d3ad20a6f911a8a9e3ccf777b263b8596fbd2c8fc26e8888f8a0edbb5"
)


def body(type_: str, model: str, po: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"type": type_, "model": model, "promptObject": po, **top}


def text_tool(type_: str, po: dict[str, Any], model: str = "gpt-4o-mini", **top: Any) -> Any:
    return body(type_, model, po, conversationId=type_, **top)


def job(type_: str, model: str, po: dict[str, Any], **top: Any) -> dict[str, Any]:
    return body(type_, model, po, **top, **{"async": True})


P = pytest.param
CASES = [
    # ── images: default models ──
    # The default is SDXL 1.0 (flux-schnell is refused live, 2026): samples + size.
    P("generate_image", ("a red fox",), {},
      body("IMAGE_GENERATOR", "stable-diffusion-xl-1024-v1-0",
           {"prompt": "a red fox", "samples": 1, "size": "1024x1024"}), id="generate_image"),
    P("edit_image", (IMG, "make it blue"), {},
      body("IMAGE_EDITOR", "black-forest-labs/flux-kontext-pro",
           {"aspect_ratio": "match_input_image", "imageUrl": IMG, "prompt": "make it blue"}),
      id="edit_image"),
    P("create_image_variation", (IMG,), {},
      body("IMAGE_VARIATOR", "black-forest-labs/flux-redux-schnell",
           {"imageUrl": IMG, "num_outputs": 1}), id="create_image_variation"),
    P("extend_image", (IMG, "left"), {},
      body("IMAGE_EXTENDER", "stable-image",
           {"imageUrl": IMG, "left": 512, "right": 0, "up": 0, "down": 0}), id="extend_image"),
    P("inpaint_image", (IMG, MASK, "a hat"), {},
      body("IMAGE_INPAINTER", "stable-image",
           {"imageUrl": IMG, "maskUrl": MASK, "prompt": "a hat"}),
      id="inpaint_image"),
    P("remove_object_from_image", (IMG,), {"mask_url": MASK},
      body("IMAGE_OBJECT_REMOVER", "stable-image", {"imageUrl": IMG, "maskUrl": MASK}),
      id="remove_object_from_image"),
    P("upscale_image", (IMG,), {}, body("IMAGE_UPSCALER", "stable-image", {"imageUrl": IMG}),
      id="upscale_image"),
    P("remove_background", (IMG,), {},
      body("BACKGROUND_REMOVER", "stable-image", {"imageUrl": IMG}), id="remove_background"),
    P("replace_background", (IMG, "a beach"), {},
      body("BACKGROUND_REPLACER", "clipdrop", {"imageUrl": IMG, "prompt": "a beach"}),
      id="replace_background"),
    P("remove_text_from_image", (IMG,), {}, body("TEXT_REMOVER", "clipdrop", {"imageUrl": IMG}),
      id="remove_text_from_image"),
    P("swap_face", ("images/face.png", IMG), {},
      body("FACE_SWAPPER", "Qubico/image-toolkit",
           {"swapImageUrl": "images/face.png", "targetImageUrl": IMG}), id="swap_face"),
    P("sketch_to_image", (IMG, "a house"), {},
      body("SKETCH_TO_IMAGE", "stable-image", {"imageUrl": IMG, "prompt": "a house"}),
      id="sketch_to_image"),
    P("image_to_3d", (IMG,), {}, body("IMAGE_3D_GENERATOR", "stable-image", {"imageUrl": IMG}),
      id="image_to_3d"),
    P("search_and_replace_in_image", (IMG, "cat", "dog"), {},
      body("SEARCH_AND_REPLACE", "stable-image",
           {"imageUrl": IMG, "search_prompt": "cat", "prompt": "dog"}),
      id="search_and_replace_in_image"),
    P("image_to_prompt", (IMG,), {}, body("IMAGE_TO_PROMPT", IMG2PROMPT, {"imageUrl": IMG}),
      id="image_to_prompt"),
    # ── images: model families ──
    P("generate_image", ("fox", "gpt-image-1"),
      {"width": 1536, "height": 1024, "num_images": 2, "quality": "high", "style": "vivid",
       "output_format": "png"},
      body("IMAGE_GENERATOR", "gpt-image-1",
           {"prompt": "fox", "n": 2, "size": "1536x1024", "quality": "high", "style": "vivid",
            "output_format": "png"}), id="generate_image[gpt-image]"),
    P("generate_image", ("fox", ImageModel.GPT_IMAGE_2), {"width": 2048, "height": 1152},
      body("IMAGE_GENERATOR", "gpt-image-2",
           {"prompt": "fox", "n": 1, "size": "2048x1152", "quality": "medium"}),
      id="generate_image[gpt-image-2]"),
    P("generate_image", ("fox", "dall-e-3"),
      {"width": 1792, "height": 1024, "quality": "hd", "style": "natural"},
      body("IMAGE_GENERATOR", "dall-e-3",
           {"prompt": "fox", "n": 1, "size": "1792x1024", "quality": "hd", "style": "natural"}),
      id="generate_image[dall-e-3]"),
    P("generate_image", ("fox", "dall-e-2"), {"width": 512, "height": 512, "num_images": 3},
      body("IMAGE_GENERATOR", "dall-e-2", {"prompt": "fox", "n": 3, "size": "512x512"}),
      id="generate_image[dall-e-2]"),
    P("generate_image", ("fox", "black-forest-labs/flux-1.1-pro"),
      {"width": 1920, "height": 1080, "num_images": 2, "output_format": "webp"},
      body("IMAGE_GENERATOR", "black-forest-labs/flux-1.1-pro",
           {"prompt": "fox", "num_outputs": 2, "aspect_ratio": "16:9", "output_format": "webp"}),
      id="generate_image[flux]"),
    P("generate_image", ("fox", "midjourney"),
      {"width": 1536, "height": 1024, "num_images": 4, "negative_prompt": "blur"},
      body("IMAGE_GENERATOR", "midjourney",
           {"mode": "fast", "prompt": "fox", "n": 4, "aspect_width": 3, "aspect_height": 2,
            "negativePrompt": "blur"}), id="generate_image[midjourney]"),
    P("generate_image", ("fox", LEONARDO), {"num_images": 2, "negative_prompt": "blur"},
      body("IMAGE_GENERATOR", LEONARDO,
           {"prompt": "fox", "n": 2, "size": "1024x1024", "negativePrompt": "blur"}),
      id="generate_image[leonardo]"),
    # SDXL as called live (docs/protocol.md, source SF): size from the fixed list, cfg_scale/steps/seed via extra.
    P("generate_image", ("fox", "stable-diffusion-xl-1024-v1-0"),
      {"num_images": 2, "width": 1344, "height": 768,
       "extra": {"cfg_scale": 7, "steps": 20, "seed": 42}},
      body("IMAGE_GENERATOR", "stable-diffusion-xl-1024-v1-0",
           {"prompt": "fox", "samples": 2, "size": "1344x768", "cfg_scale": 7, "steps": 20,
            "seed": 42}),
      id="generate_image[stable-diffusion-xl]"),
    P("generate_image", ("fox", "stable-diffusion-v1-6"), {"num_images": 2},
      body("IMAGE_GENERATOR", "stable-diffusion-v1-6",
           {"prompt": "fox", "samples": 2, "width": 1024, "height": 1024}),
      id="generate_image[stable-diffusion-1.6]"),
    P("generate_image", ("fox", "stable-image"),
      {"negative_prompt": "blur", "output_format": "png", "width": 1536, "height": 1024},
      body("IMAGE_GENERATOR", "stable-image",
           {"prompt": "fox", "aspect_ratio": "3:2", "negative_prompt": "blur",
            "output_format": "png"}), id="generate_image[stable-image]"),
    P("generate_image", ("fox", "recraft"), {"num_images": 2, "style": "realistic_image"},
      body("IMAGE_GENERATOR", "recraft",
           {"prompt": "fox", "n": 2, "aspect_ratio": "1:1", "style": "realistic_image"}),
      id="generate_image[recraft]"),
    P("generate_image", ("fox", "dzine"), {"num_images": 2, "style": "S1"},
      body("IMAGE_GENERATOR", "dzine",
           {"prompt": "fox", "n": 2, "size": "1024x1024", "style_code": "S1"}),
      id="generate_image[dzine]"),
    P("generate_image", ("fox", "acme/imagine-1"),
      {"num_images": 2, "negative_prompt": "blur", "quality": "ultra"},
      body("IMAGE_GENERATOR", "acme/imagine-1",
           {"prompt": "fox", "n": 2, "size": "1024x1024", "negativePrompt": "blur",
            "quality": "ultra"}), id="generate_image[generic]"),
    P("edit_image", (IMG, "blue", "gpt-image-1"), {},
      body("IMAGE_EDITOR", "gpt-image-1",
           {"n": 1, "size": "1024x1024", "imageUrl": IMG, "prompt": "blue"}),
      id="edit_image[gpt-image]"),
    P("edit_image", (IMG, "blue", "gemini-2.5-flash-image-preview"), {},
      body("IMAGE_EDITOR", "gemini-2.5-flash-image-preview", {"imageUrl": IMG, "prompt": "blue"}),
      id="edit_image[gemini]"),
    P("create_image_variation", (IMG, "midjourney"), {"num_images": 4},
      body("IMAGE_VARIATOR", "midjourney", {"mode": "fast", "imageUrl": IMG, "n": 4}),
      id="create_image_variation[midjourney]"),
    P("create_image_variation", (IMG, "dall-e-2"), {"num_images": 2},
      body("IMAGE_VARIATOR", "dall-e-2", {"size": "1024x1024", "imageUrl": IMG, "n": 2}),
      id="create_image_variation[dall-e-2]"),
    P("create_image_variation", (IMG, "clipdrop"), {},
      body("IMAGE_VARIATOR", "clipdrop", {"imageUrl": IMG}), id="create_image_variation[clipdrop]"),
    P("inpaint_image", (IMG, MASK, "a hat", "gpt-image-1"), {},
      body("IMAGE_INPAINTER", "gpt-image-1",
           {"n": 1, "size": "1024x1024", "imageUrl": IMG, "maskUrl": MASK, "prompt": "a hat"}),
      id="inpaint_image[gpt-image]"),
    P("replace_background", (IMG, "a beach", "gpt-image-1-mini"), {},
      body("BACKGROUND_REPLACER", "gpt-image-1-mini",
           {"n": 1, "size": "1024x1024", "imageUrl": IMG, "prompt": "a beach"}),
      id="replace_background[gpt-image]"),
    P("image_to_prompt", (IMG, "midjourney"), {},
      body("IMAGE_TO_PROMPT", "midjourney", {"mode": "describe", "n": 1, "imageUrl": IMG}),
      id="image_to_prompt[midjourney]"),
    # ── audio ──
    P("text_to_speech", ("Hello there",), {},
      body("TEXT_TO_SPEECH", "tts-1",
           {"text": "Hello there", "voice": "alloy", "speed": 1.0, "response_format": "mp3"},
           conversationId="TEXT_TO_SPEECH"), id="text_to_speech"),
    P("text_to_speech", ("Hello", "tts-1-hd"),
      {"voice": TTSVoice.NOVA, "speed": 1.5, "response_format": "wav"},
      body("TEXT_TO_SPEECH", "tts-1-hd",
           {"text": "Hello", "voice": "nova", "speed": 1.5, "response_format": "wav"},
           conversationId="TEXT_TO_SPEECH"), id="text_to_speech[openai]"),
    P("text_to_speech", ("Hello", "elevenlabs-tts"), {"voice": "21m00Tcm4TlvDq8ikWAM"},
      body("TEXT_TO_SPEECH", "elevenlabs-tts",
           {"text": "Hello", "voice_id": "21m00Tcm4TlvDq8ikWAM"},
           conversationId="TEXT_TO_SPEECH"), id="text_to_speech[elevenlabs]"),
    P("text_to_speech", ("Hello", "elevenlabs-tts"), {},
      body("TEXT_TO_SPEECH", "elevenlabs-tts", {"text": "Hello"}, conversationId="TEXT_TO_SPEECH"),
      id="text_to_speech[elevenlabs-default-voice]"),
    P("text_to_speech", ("Hello", "google-tts"),
      {"voice": "en-GB-Neural2-A", "speed": 1.25, "language": "en-GB"},
      body("TEXT_TO_SPEECH", "google-tts",
           {"audioEncoding": "MP3", "text": "Hello", "name": "en-GB-Neural2-A",
            "speakingRate": 1.25, "languageCode": "en-GB"}, conversationId="TEXT_TO_SPEECH"),
      id="text_to_speech[google]"),
    P("text_to_sound", ("rain on a roof",), {},
      body("TEXT_TO_SOUND", "elevenlabs-sound-effects",
           {"text": "rain on a roof", "duration_seconds": 5.0}), id="text_to_sound"),
    P("speech_to_text", (AUD,), {},
      body("SPEECH_TO_TEXT", "whisper-1", {"response_format": "text", "audioUrl": AUD}),
      id="speech_to_text"),
    P("speech_to_text", (AUD, "gpt-4o-transcribe"), {"language": "de"},
      body("SPEECH_TO_TEXT", "gpt-4o-transcribe",
           {"response_format": "text", "audioUrl": AUD, "language": "de"}),
      id="speech_to_text[whisper-language]"),
    P("speech_to_text", (AUD,), {"response_format": "srt"},
      body("SPEECH_TO_TEXT", "whisper-1", {"response_format": "srt", "audioUrl": AUD}),
      id="speech_to_text[srt]"),
    P("speech_to_text", (AUD, "latest_long"), {},
      body("SPEECH_TO_TEXT", "latest_long", {"audioUrl": AUD, "language": "en-US"}),
      id="speech_to_text[google]"),
    P("speech_to_text", (AUD, "telephony"), {"language": "fr-FR"},
      body("SPEECH_TO_TEXT", "telephony", {"audioUrl": AUD, "language": "fr-FR"}),
      id="speech_to_text[google-language]"),
    P("translate_audio", (AUD, "English"), {},
      body("AUDIO_TRANSLATOR", "whisper-1",
           {"response_format": "text", "temperature": 0, "audioUrl": AUD}), id="translate_audio"),
    P("generate_captions", (VID,), {"language": "en"},
      body("CAPTIONS_GENERATOR", "whisper-1", {"audioUrl": VID, "language": "en"}),
      id="generate_captions"),
    P("isolate_voice", (AUD,), {},
      body("VOICE_ISOLATOR", "elevenlabs-voice-isolator", {"audioUrl": AUD}), id="isolate_voice"),
    P("change_voice", (AUD, "21m00Tcm4TlvDq8ikWAM"), {},
      body("VOICE_CHANGER", "elevenlabs-voice-changer",
           {"audioUrl": AUD, "voice_id": "21m00Tcm4TlvDq8ikWAM"}, conversationId="VOICE_CHANGER"),
      id="change_voice"),
    P("clone_voice", (AUD, "Ann", "warm and calm"), {"text": "Hi there"},
      body("VOICE_CLONING", "elevenlabs-voice-cloning",
           {"audioUrl": AUD, "text": "Hi there", "name": "Ann", "description": "warm and calm"}),
      id="clone_voice"),
    P("design_voice", ("an old sailor",), {},
      body("VOICE_DESIGN", "elevenlabs-voice-design",
           {"voice_description": "an old sailor", "text": DEFAULT_SAMPLE_TEXT}),
      id="design_voice"),
    # ── video (async jobs) ──
    P("generate_video", ("a cat surfing",), {},
      job("TEXT_TO_VIDEO", "kling",
          {"mode": "std", "prompt": "a cat surfing", "duration": 5, "aspect_ratio": "16:9"},
          conversationId="TEXT_TO_VIDEO"), id="generate_video"),
    P("generate_video", ("a cat",), {"extra": {"mode": "pro", "cfg_scale": 0.5}, "duration": 10},
      job("TEXT_TO_VIDEO", "kling",
          {"mode": "pro", "prompt": "a cat", "duration": 10, "aspect_ratio": "16:9",
           "cfg_scale": 0.5}, conversationId="TEXT_TO_VIDEO"), id="generate_video[kling-extra]"),
    P("generate_video", ("a cat",), {"extra": {"version": "3.0"}, "duration": 12},
      job("TEXT_TO_VIDEO", "kling",
          {"mode": "std", "prompt": "a cat", "duration": 12, "aspect_ratio": "16:9",
           "version": "3.0"}, conversationId="TEXT_TO_VIDEO"), id="generate_video[kling-3.0]"),
    P("generate_video", ("a cat", "veo3"),
      {"duration": 8, "extra": {"generate_audio": True, "resolution": "1080p"}},
      job("TEXT_TO_VIDEO", "veo3",
          {"task_type": "veo3-video", "prompt": "a cat", "veo3_duration": "8s",
           "aspect_ratio": "16:9", "generate_audio": True, "resolution": "1080p"},
          conversationId="TEXT_TO_VIDEO"), id="generate_video[veo3]"),
    P("generate_video", ("a cat", ANIMATE_DIFF), {},
      job("TEXT_TO_VIDEO", ANIMATE_DIFF, {"prompt": "a cat"}, conversationId="TEXT_TO_VIDEO"),
      id="generate_video[animate-diff]"),
    P("generate_video", ("a cat", "sora-2"), {"duration": 8, "aspect_ratio": "9:16"},
      job("TEXT_TO_VIDEO", "sora-2", {"prompt": "a cat", "seconds": 8, "size": "720x1280"},
          conversationId="TEXT_TO_VIDEO"), id="generate_video[sora]"),
    P("generate_video", ("a cat", "sora-2-pro"), {},
      job("TEXT_TO_VIDEO", "sora-2-pro", {"prompt": "a cat", "size": "1280x720"},
          conversationId="TEXT_TO_VIDEO"), id="generate_video[sora-defaults]"),
    P("generate_video", ("a cat", "luma"), {"duration": 10},
      job("TEXT_TO_VIDEO", "luma", {"prompt": "a cat", "duration": "10s", "aspectRatio": "16:9"},
          conversationId="TEXT_TO_VIDEO"), id="generate_video[luma]"),
    P("image_to_video", (IMG, "zoom in"), {},
      job("IMAGE_TO_VIDEO", "kling",
          {"mode": "std", "imageUrl": IMG, "prompt": "zoom in", "duration": 5,
           "aspect_ratio": "16:9"}), id="image_to_video"),
    P("image_to_video", (IMG, "", "veo3"), {},
      job("IMAGE_TO_VIDEO", "veo3",
          {"task_type": "veo3-video", "imageUrl": IMG, "aspect_ratio": "16:9"}),
      id="image_to_video[veo3]"),
    P("image_to_video", (IMG, "pan", "hailuo"), {"duration": 6},
      job("IMAGE_TO_VIDEO", "hailuo", {"imageUrl": IMG, "prompt": "pan", "duration": 6}),
      id="image_to_video[hailuo]"),
    P("image_to_video", (IMG, "pan", "luma"), {},
      job("IMAGE_TO_VIDEO", "luma",
          {"imageUrl": IMG, "prompt": "pan", "duration": "5s", "aspectRatio": "16:9"}),
      id="image_to_video[luma]"),
    P("swap_face_in_video", (VID, "images/face.png"), {},
      job("VIDEO_FACE_SWAPPER", "Qubico/video-toolkit",
          {"targetVideoUrl": VID, "swapImageUrl": "images/face.png"}), id="swap_face_in_video"),
    # ── music (async jobs) ──
    P("generate_music", ("lofi beats",), {},
      job("MUSIC_GENERATOR", "lyria-002", {"prompt": "lofi beats"}), id="generate_music"),
    # The seed README's sample: Lyria makes 30 s instrumental clips, so both are honoured.
    P("generate_music", ("Epic cinematic orchestral",), {"instrumental": True, "duration": 30.0},
      job("MUSIC_GENERATOR", "lyria-002", {"prompt": "Epic cinematic orchestral"}),
      id="generate_music[seed-sample]"),
    P("generate_music", ("lofi beats", "suno-ttapi"), {"instrumental": True},
      job("MUSIC_GENERATOR", "suno-ttapi",
          {"mv": "chirp-v4", "custom": False, "gpt_description_prompt": "lofi beats",
           "instrumental": True}), id="generate_music[suno]"),
    P("generate_music", ("lofi beats", "music-u"), {},
      job("MUSIC_GENERATOR", "music-u",
          {"task_type": "generate_music", "lyrics_type": "generate",
           "gpt_description_prompt": "lofi beats", "make_instrumental": False}),
      id="generate_music[piapi]"),
    P("generate_music", ("lofi beats", MUSICGEN), {"duration": 10},
      job("MUSIC_GENERATOR", MUSICGEN,
          {"model_version": "stereo-melody-large", "prompt": "lofi beats", "duration": 10}),
      id="generate_music[musicgen]"),
    # ── code and content ──
    P("generate_code", ("fizzbuzz in python",), {},
      text_tool("CODE_GENERATOR", {"prompt": "fizzbuzz in python"}, model="gpt-4o"),
      id="generate_code"),
    P("generate_code", ("fizzbuzz",), {"web_search": True},
      text_tool("CODE_GENERATOR", {"prompt": "fizzbuzz", "webSearch": True}, model="gpt-4o"),
      id="generate_code[web-search]"),
    P("check_grammar", ("He go home.",), {},
      text_tool("GRAMMAR_CHECKER", {"prompt": "He go home."}), id="check_grammar"),
    P("paraphrase", ("one two three four",), {},
      text_tool("PARAPHRASER", {"prompt": "one two three four", "tone": "professional",
                                "numberOfWord": 4, "numberOfSection": 1}), id="paraphrase"),
    P("rewrite", ("one two three four",), {"tone": "casual", "language": "French"},
      text_tool("REWRITER", {"prompt": "one two three four", "tone": "casual", "numberOfWord": 4,
                             "language": "French"}), id="rewrite"),
    P("summarize", ("a long text",), {},
      text_tool("SUMMARIZER", {"prompt": "a long text", "tone": "professional",
                               "numberOfBullet": 5, "numberOfWord": 150}), id="summarize"),
    P("expand_content", ("one two three four",), {},
      text_tool("CONTENT_EXPANDER", {"prompt": "one two three four", "tone": "professional",
                                     "numberOfWord": 8}), id="expand_content"),
    P("shorten_content", ("one two three four",), {"num_words": 3},
      text_tool("CONTENT_SHORTENER", {"prompt": "one two three four", "tone": "professional",
                                      "numberOfWord": 3}), id="shorten_content"),
    P("translate", ("Xin chào", "en"), {"source_language": "vi"},
      text_tool("CONTENT_TRANSLATOR", {"prompt": "Xin chào", "originalLanguage": "vi",
                                       "targetLanguage": "en", "domain": "", "tone": "",
                                       "writingStyle": ""}), id="translate"),
    P("detect_ai_content", ("some text",), {},
      text_tool("AI_DETECTOR", {"prompt": "some text"}), id="detect_ai_content"),
    P("research_keywords", ("coffee",), {},
      text_tool("KEYWORD_RESEARCH", {"prompt": "coffee", "researchType": "KEYWORD_STATISTICS",
                                     "numberOfWord": 500}), id="research_keywords"),
    P("generate_blog_article", ("coffee",), {"keywords": ["beans", "roast"]},
      text_tool("CONTENT_GENERATOR_BLOG_ARTICLE",
                {"prompt": "coffee", "language": "English", "tone": "informative",
                 "numberOfWord": 1000, "numberOfSection": 5, "keywords": "beans, roast"}),
      id="generate_blog_article"),
    P("generate_email", ("ask for a day off",), {},
      text_tool("CONTENT_GENERATOR_EMAIL", {"prompt": "ask for a day off", "tone": "professional",
                                            "language": "English"}), id="generate_email"),
    P("generate_email_reply", ("Can we meet?", "say yes"), {},
      text_tool("CONTENT_GENERATOR_EMAIL_REPLY",
                {"prompt": "Reply to this email:\n\nCan we meet?\n\nInstructions: say yes",
                 "tone": "professional", "language": "English"}), id="generate_email_reply"),
    *(
        P("generate_social_post", ("we launched", platform), {},
          text_tool(f"CONTENT_GENERATOR_{suffix}",
                    {"prompt": "we launched", "tone": "friendly", "language": "English"}),
          id=f"generate_social_post[{platform}]")
        for platform, suffix in (("instagram", "INSTAGRAM_POST"), ("facebook", "FACEBOOK_POST"),
                                 ("linkedin", "LINKEDIN_POST"), ("tiktok", "TIKTOK_DESCRIPTION"),
                                 ("x", "X_TWEET"), ("Twitter", "X_TWEET"))
    ),
    *(
        P("generate_social_comment", ("Great post!", platform), {"num_words": 40},
          text_tool(f"CONTENT_GENERATOR_{suffix}",
                    {"prompt": "Great post!", "tone": "friendly", "language": "English",
                     "numberOfWord": 40}), id=f"generate_social_comment[{platform}]")
        for platform, suffix in (("facebook", "FACEBOOK_COMMENT"),
                                 ("linkedin", "LINKEDIN_COMMENT"), ("x", "X_COMMENT"),
                                 ("twitter", "X_COMMENT"))
    ),
    *(
        P("generate_ad_copy", ("running shoes", platform), {},
          text_tool(f"CONTENT_GENERATOR_{suffix}",
                    {"prompt": "running shoes", "tone": "persuasive", "language": "English"}),
          id=f"generate_ad_copy[{platform}]")
        for platform, suffix in (("facebook", "FACEBOOK_ADS"), ("google", "GOOGLE_ADS"))
    ),
    P("generate_presentation", ("AI in schools",), {},
      text_tool("PRESENTATION_GENERATOR", {"prompt": "AI in schools", "language": "English",
                                           "numberOfSlide": 10}), id="generate_presentation"),
    P("summarize_youtube", (YT,), {},
      text_tool("YOUTUBE_SUMMARIZER", {"videoUrl": YT, "language": "English"}, videoUrl=YT),
      id="summarize_youtube"),
    P("transcribe_youtube", (YT,), {},
      text_tool("YOUTUBE_TRANSCRIBER", {"videoUrl": YT}, videoUrl=YT), id="transcribe_youtube"),
    P("translate_youtube", (YT, "fr"), {},
      text_tool("YOUTUBE_TRANSLATOR", {"videoUrl": YT, "targetLanguage": "fr"}, videoUrl=YT),
      id="translate_youtube"),
    P("translate_document", ("26f30dfd-1d61-4b5b-889c-d7ab2d60d1ee", "de"), {},
      text_tool("DOCUMENT_TRANSLATOR",
                {"fileList": ["26f30dfd-1d61-4b5b-889c-d7ab2d60d1ee"], "targetLanguage": "de"}),
      id="translate_document"),
]  # fmt: skip

OUTPUT_TYPES = {
    "chat": ChatOutput,
    "transcription": TranscriptionOutput,
    "image": ImageOutput,
    "audio": AudioOutput,
    "music": MusicOutput,
    "video": VideoOutput,
}
FOLDERS = {"image": "images/", "audio": "audios/", "music": "audios/", "video": "videos/"}


def test_every_method_has_a_golden_case() -> None:
    covered = {p.values[0] for p in CASES}
    assert covered == set(METHODS)


@pytest.mark.parametrize(("method", "args", "kwargs", "expected"), CASES)
async def test_golden_payload_and_output(
    client: Any,
    emu: Emulator,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    if args[1:2] == ("acme/imagine-1",):
        emu.catalog.add("acme/imagine-1", ["IMAGE_GENERATOR"])
    if expected["type"] in UNVERIFIED:
        emu.config.extra_feature_types[expected["type"]] = "text"
        emu.catalog.add(expected["model"], [expected["type"]])
    out = await call(getattr(client, method)(*args, **kwargs))

    assert sent(emu) == expected
    from oneminai_webapi._registry import FEATURES

    result = FEATURES[expected["type"]].result
    assert type(out) is OUTPUT_TYPES[result]
    assert out.model == expected["model"]
    assert out.record_id and out.record_id in emu.records
    if result == "chat":
        assert out.text and out.conversation_id is None
        return
    if result == "transcription":
        assert out.text and out.status == "SUCCESS"
        return
    assert out.status == "SUCCESS"
    keys = emu.records[out.record_id]["aiRecordDetail"]["resultObject"]
    if result == "image":
        assert [img.key for img in out.images] == keys
        assert out.image is out.images[0]
        urls = [img.url for img in out.images]
    else:
        assert out.key == keys[0]
        urls = [out.video_url if result == "video" else out.audio_url]
    for url, key in zip(urls, keys, strict=True):
        assert key.startswith(FOLDERS[result])
        assert url.startswith(f"{emu.asset_base_url}/{key}")
