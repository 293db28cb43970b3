"""Audio, video and music features (protocol.md §E.2, §E.3)."""

from __future__ import annotations

from ._schema import Arg, Family, Feature, fmt, kling_rules, lookup, truthy_only

AUDIO = Arg("audioUrl", "audio_url", required=True)
OPENAI_VOICES = (
    "alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse",
)  # fmt: skip
TTS_FORMATS = ("mp3", "opus", "aac", "flac", "wav", "pcm")
SPEED = Arg("speed", "speed", range=(0.25, 4.0))
#: Signature default of ``text_to_speech(voice=...)``: not an ElevenLabs/Google voice, so
#: those families leave the field out (the model's default voice applies) when it is unchanged.
DEFAULT_OPENAI_VOICE = "alloy"
MEDIA_TIMEOUT_S = 300.0
#: Transcript formats of Whisper-style models (relays pass ``response_format`` through).
TRANSCRIPT_FORMATS = ("text", "srt", "vtt", "verbose_json")
ENGLISH = ("en", "english", "en-us", "en-gb")

TEXT_TO_SPEECH = Feature(
    "TEXT_TO_SPEECH",
    output="audio",
    result="audio",
    default_model="tts-1",
    required=("text",),
    conversation_id=True,
    timeout_s=MEDIA_TIMEOUT_S,
    read_timeout_s=MEDIA_TIMEOUT_S,
    families=(
        Family(
            "openai-tts",
            r"^(tts-1|gpt-4o(-mini)?-tts)",
            (
                Arg("text", "text", required=True, max_length=4096),
                Arg("voice", "voice", allowed=OPENAI_VOICES, required=True),
                SPEED,
                Arg("response_format", "response_format", allowed=TTS_FORMATS),
            ),
            models=("tts-1", "tts-1-hd"),
            note="D-TTS-OAI: text ≤4096, voice, speed 0.25–4.0, response_format.",
        ),
        Family(
            "elevenlabs",
            r"elevenlabs",
            (
                Arg("text", "text", required=True),
                Arg("voice_id", "voice", omit=(DEFAULT_OPENAI_VOICE,)),
            ),
            models=("elevenlabs-tts",),
            note="old-doc: text, voice_id (model_id, voice_settings, output_format via extra).",
        ),
        Family(
            "google-tts",
            r"^google",
            (
                Arg("text", "text", required=True),
                Arg("name", "voice", omit=(DEFAULT_OPENAI_VOICE,)),
                Arg("speakingRate", "speed", range=(0.25, 4.0)),
                Arg("languageCode", "language", default="en-US"),
            ),
            constants={"audioEncoding": "MP3"},
            models=("google-tts",),
            note="old-doc: text, languageCode, name, audioEncoding, speakingRate.",
        ),
    ),
    generic=Family(
        "generic",
        r".",
        (
            Arg("text", "text", required=True),
            Arg("voice", "voice"),
            SPEED,
            Arg("response_format", "response_format"),
        ),
        note="OpenAI-style names: text, voice, speed, response_format.",
    ),
)

TEXT_TO_SOUND = Feature(
    "TEXT_TO_SOUND",
    output="audio",
    result="audio",
    default_model="elevenlabs-sound-effects",
    timeout_s=MEDIA_TIMEOUT_S,
    read_timeout_s=MEDIA_TIMEOUT_S,
    evidence="partial",
    families=(
        Family(
            "elevenlabs",
            r"elevenlabs",
            (
                Arg("text", "prompt", required=True),
                Arg("duration_seconds", "duration", range=(0.5, 22.0)),
            ),
            models=("elevenlabs-sound-effects",),
            note="Fields not in the stored docs; ElevenLabs sound-effect names (text, "
            "duration_seconds 0.5–22) are a guess.",
        ),
    ),
    generic=Family(
        "generic",
        r".",
        (Arg("prompt", "prompt", required=True), Arg("duration", "duration", range=(0.5, 30.0))),
        note="Guess (SEED also sends prompt + duration).",
    ),
)

_WHISPER = r"whisper|transcribe"
SPEECH_TO_TEXT = Feature(
    "SPEECH_TO_TEXT",
    output="text",
    result="transcription",
    default_model="whisper-1",
    required=("audioUrl",),
    timeout_s=MEDIA_TIMEOUT_S,
    read_timeout_s=MEDIA_TIMEOUT_S,
    families=(
        Family(
            "whisper",
            _WHISPER,
            (
                AUDIO,
                Arg("language", "language"),
                Arg(
                    "response_format",
                    "response_format",
                    default="text",
                    allowed=TRANSCRIPT_FORMATS,
                    required=True,
                ),
            ),
            models=("whisper-1", "gpt-4o-transcribe"),
            note="D-STT-W: audioUrl (asset path) + response_format (required, text); CF "
            "passes srt, vtt and verbose_json through (documented by relays only).",
        ),
        Family(
            "google-stt",
            r"^(latest_long|latest_short|phone_call|telephony|telephony_short|medical_dictation"
            r"|medical_conversation)$",
            (AUDIO, Arg("language", "language", default="en-US", required=True)),
            models=(
                "latest_long",
                "latest_short",
                "phone_call",
                "telephony",
                "telephony_short",
                "medical_dictation",
                "medical_conversation",
            ),
            note="D-STT-S: audioUrl + language (BCP-47, required; default en-US).",
        ),
    ),
    generic=Family(
        "generic",
        r".",
        (AUDIO, Arg("language", "language")),
        note="audioUrl (+ language when given).",
    ),
)

AUDIO_TRANSLATOR = Feature(
    "AUDIO_TRANSLATOR",
    output="text",
    result="transcription",
    default_model="whisper-1",
    required=("audioUrl",),
    timeout_s=MEDIA_TIMEOUT_S,
    read_timeout_s=MEDIA_TIMEOUT_S,
    families=(
        Family(
            "whisper",
            _WHISPER,
            (AUDIO, Arg(None, "target_language", convert=str.lower, allowed=ENGLISH)),
            constants={"response_format": "text", "temperature": 0},
            models=("whisper-1",),
            note="old-doc: audioUrl, response_format, temperature; Whisper translates into "
            "English only.",
        ),
    ),
    generic=Family(
        "generic",
        r".",
        (AUDIO, Arg("targetLanguage", "target_language")),
        note="audioUrl + targetLanguage (guess).",
    ),
)

CAPTIONS_GENERATOR = Feature(
    "CAPTIONS_GENERATOR",
    output="text",
    result="transcription",
    default_model="whisper-1",
    timeout_s=MEDIA_TIMEOUT_S,
    read_timeout_s=MEDIA_TIMEOUT_S,
    evidence="partial",
    generic=Family(
        "generic",
        r".",
        (Arg("audioUrl", "audio_or_video_url", required=True), Arg("language", "language")),
        note="Fields unknown (1 live model): audioUrl (+ language) like STT.",
    ),
)

VOICE_ISOLATOR = Feature(
    "VOICE_ISOLATOR",
    output="audio",
    result="audio",
    default_model="elevenlabs-voice-isolator",
    timeout_s=MEDIA_TIMEOUT_S,
    read_timeout_s=MEDIA_TIMEOUT_S,
    evidence="partial",
    generic=Family("generic", r".", (AUDIO,), note="Fields unknown: audioUrl by analogy."),
)

VOICE_CHANGER = Feature(
    "VOICE_CHANGER",
    output="audio",
    result="audio",
    default_model="elevenlabs-voice-changer",
    required=("audioUrl",),
    conversation_id=True,
    timeout_s=MEDIA_TIMEOUT_S,
    read_timeout_s=MEDIA_TIMEOUT_S,
    generic=Family(
        "generic",
        r".",
        (AUDIO, Arg("voice_id", "target_voice", required=True)),
        models=("elevenlabs-voice-changer",),
        note="docs page: audioUrl, voice_id; conversationId required.",
    ),
)

VOICE_CLONING = Feature(
    "VOICE_CLONING",
    output="audio",
    result="audio",
    default_model="elevenlabs-voice-cloning",
    required=("audioUrl",),
    timeout_s=MEDIA_TIMEOUT_S,
    read_timeout_s=MEDIA_TIMEOUT_S,
    evidence="partial",
    generic=Family(
        "generic",
        r".",
        (
            AUDIO,
            Arg("text", "text"),
            Arg("name", "name"),
            Arg("description", "description", omit=("",)),
        ),
        models=("elevenlabs-voice-cloning",),
        note="docs page: audioUrl, text (speech in the cloned voice); name/description are "
        "not documented and sent as-is.",
    ),
)

VOICE_DESIGN = Feature(
    "VOICE_DESIGN",
    output="audio",
    result="audio",
    default_model="elevenlabs-voice-design",
    required=("voice_description",),
    timeout_s=MEDIA_TIMEOUT_S,
    read_timeout_s=MEDIA_TIMEOUT_S,
    generic=Family(
        "generic",
        r".",
        (
            Arg("voice_description", "description", required=True),
            Arg("text", "sample_text", max_length=1000),
        ),
        models=("elevenlabs-voice-design",),
        note="docs page: voice_description, text.",
    ),
)

MUSIC_GENERATOR = Feature(
    "MUSIC_GENERATOR",
    output="audio",
    result="music",
    default_model="lyria-002",
    long_running=True,
    families=(
        Family(
            "lyria",
            r"^lyria",
            (
                Arg("prompt", "prompt", required=True),
                Arg(
                    None,
                    "instrumental",
                    dropped="Lyria makes instrumental music only",
                    kept=(True,),
                ),
                Arg(
                    None,
                    "duration",
                    dropped="Lyria makes clips of a fixed 30 s; the length cannot be chosen",
                    kept=(30,),
                ),
            ),
            models=("lyria-002",),
            note="D-LYRIA: prompt, negative_prompt, seed, sample_count; the clip length is fixed "
            "(30 s, Google's Lyria docs) and the output instrumental: instrumental=True and "
            "duration=30 are honoured as they are, other values warn.",
        ),
        Family(
            "suno",
            r"^suno-ttapi",
            (
                Arg("gpt_description_prompt", "prompt", required=True),
                Arg("instrumental", "instrumental"),
                Arg(None, "duration", dropped="Suno chooses the song length"),
            ),
            constants={"mv": "chirp-v4", "custom": False},
            models=("suno-ttapi",),
            note="old-doc/docs: mv, custom, gpt_description_prompt, instrumental.",
        ),
        Family(
            "piapi",
            r"^(suno-piapi|music-u|music-s)",
            (
                Arg("gpt_description_prompt", "prompt", required=True),
                Arg("make_instrumental", "instrumental"),
                Arg(None, "duration", dropped="this model chooses the song length"),
            ),
            constants={"task_type": "generate_music", "lyrics_type": "generate"},
            models=("suno-piapi", "music-u", "music-s"),
            note="old-doc/docs: task_type, gpt_description_prompt, make_instrumental.",
        ),
        Family(
            "musicgen",
            r"musicgen",
            (
                Arg("prompt", "prompt", required=True),
                Arg("duration", "duration", integer=True, range=(1, 30)),
                Arg(
                    None,
                    "instrumental",
                    dropped="MusicGen makes instrumental music only",
                    kept=(True,),
                ),
            ),
            constants={"model_version": "stereo-melody-large"},
            models=(
                "meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb",
            ),
            note="old-doc: model_version, duration (instrumental output).",
        ),
    ),
    generic=Family(
        "generic",
        r".",
        (
            Arg("prompt", "prompt", required=True),
            Arg("duration", "duration"),
            Arg("instrumental", "instrumental", convert=truthy_only),
        ),
        note="prompt, duration, instrumental (when true).",
    ),
)

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
        note="SF / docs page (documented only): model veo3, task_type veo3-video, "
        "veo3_duration '8s' (the signature default 5 is left out), aspect_ratio, "
        "generate_audio, resolution, negativePrompt.",
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
            note="D-KLING / SF (documented only): prompt, duration 5|10 below version 3.0 and "
            "3–15 from 3.0, mode std|pro (required), aspect_ratio; version via extra.",
        ),
        _veo3_family(
            Arg("prompt", "prompt", required=True),
        ),
        Family(
            "animate-diff",
            r"animate-diff",
            (Arg("prompt", "prompt", required=True),),
            models=(ANIMATE_DIFF,),
            note="SF (live 2026): prompt (+ path, n_prompt, guidance_scale, motion_module, "
            "seed, steps via extra); a synchronous call held the connection 75 s.",
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
            note="old-doc: imageUrl, prompt, duration, aspect_ratio, mode (duration and mode "
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

MEDIA_FEATURES = (
    TEXT_TO_SPEECH, TEXT_TO_SOUND, SPEECH_TO_TEXT, AUDIO_TRANSLATOR, CAPTIONS_GENERATOR,
    VOICE_ISOLATOR, VOICE_CHANGER, VOICE_CLONING, VOICE_DESIGN, MUSIC_GENERATOR,
    TEXT_TO_VIDEO, IMAGE_TO_VIDEO, VIDEO_FACE_SWAPPER,
)  # fmt: skip
