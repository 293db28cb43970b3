"""Audio and music features: speech, sound, transcripts, voices, music.

Notes name their sources: "older docs" is the service's earlier API documentation; keys such
as SF or CF are the public sources listed in ``docs/protocol.md``.
"""

from __future__ import annotations

from ._schema import Arg, Family, Feature, truthy_only

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
            note="older docs: text, voice_id (model_id, voice_settings, output_format via extra).",
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
            note="older docs: text, languageCode, name, audioEncoding, speakingRate.",
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
        note="Guess (the earlier package also sends prompt + duration).",
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
            note="the docs' Whisper page: audioUrl (asset path) + response_format (required, "
            "text); CF passes srt, vtt and verbose_json through (documented by relays only).",
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
            note="the docs' Google speech page: audioUrl + language (BCP-47, required; default "
            "en-US).",
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
            note="older docs: audioUrl, response_format, temperature; Whisper translates into "
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
            note="the docs' Lyria page: prompt, negative_prompt, seed, sample_count; the clip "
            "length is fixed (30 s, Google's Lyria docs) and the output instrumental: "
            "instrumental=True and duration=30 are honoured as they are, other values warn.",
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
            note="older docs and the docs page: mv, custom, gpt_description_prompt, instrumental.",
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
            note="older docs and the docs page: task_type, gpt_description_prompt, "
            "make_instrumental.",
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
            note="older docs: model_version, duration (instrumental output).",
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

AUDIO_FEATURES = (
    TEXT_TO_SPEECH, TEXT_TO_SOUND, SPEECH_TO_TEXT, AUDIO_TRANSLATOR, CAPTIONS_GENERATOR,
    VOICE_ISOLATOR, VOICE_CHANGER, VOICE_CLONING, VOICE_DESIGN, MUSIC_GENERATOR,
)  # fmt: skip
