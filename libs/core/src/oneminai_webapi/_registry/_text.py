"""Writing, code, YouTube and other text tools (feature types: ``docs/protocol.md``).

All of them return text in ``resultObject[0]`` and take the top-level
``"conversationId": "<TYPE>"`` the docs mark as required (``conversation_id=True``).
"""

from __future__ import annotations

from ._schema import Arg, Family, Feature, as_list, csv, fmt, truthy_only, words_or

CHAT_DEFAULT = "gpt-4o-mini"
CODE_DEFAULT = "gpt-4o"
#: Text tools answer synchronously; long articles with slow models take minutes.
TEXT_TIMEOUT_S = 180.0

PROMPT = Arg("prompt", "prompt", required=True)
TEXT = Arg("prompt", "text", required=True)
TONE = Arg("tone", "tone")
LANGUAGE = Arg("language", "language")
WORDS = Arg("numberOfWord", "num_words", integer=True, range=(1, 10000))
VIDEO = Arg("videoUrl", "url", required=True, top_level=True)

#: ``generate_email_reply`` has two inputs; the email travels inside the prompt so the
#: model sees it whatever field names the undocumented type really uses.
EMAIL_REPLY_PROMPT = fmt("Reply to this email:\n\n{0}\n\nInstructions: {1}")


def _text_tool(
    type_: str,
    *args: Arg,
    note: str,
    evidence: str = "documented",
    listed: bool = True,
    default_model: str = CHAT_DEFAULT,
    required: tuple[str, ...] = ("prompt",),
    constants: dict[str, object] | None = None,
) -> Feature:
    return Feature(
        type_,
        output="text",
        result="chat",
        default_model=default_model,
        required=required,
        conversation_id=True,
        listed=listed,
        evidence=evidence,  # type: ignore[arg-type]
        timeout_s=TEXT_TIMEOUT_S,
        read_timeout_s=TEXT_TIMEOUT_S,
        generic=Family("generic", r".", args, constants=dict(constants or {}), note=note),
    )


_SOCIAL_ARGS = (PROMPT, TONE, LANGUAGE, WORDS)
_SOCIAL_NOTE = (
    "In the live catalog, fields not in the stored docs: prompt + tone/language/numberOfWord "
    "like the blog generator (guess)."
)


def _social(type_: str, source: str = "prompt") -> Feature:
    args = (Arg("prompt", source, required=True), *_SOCIAL_ARGS[1:])
    return _text_tool(type_, *args, note=_SOCIAL_NOTE, evidence="partial")


TEXT_FEATURES = (
    _text_tool(
        "KEYWORD_RESEARCH",
        Arg("prompt", "topic", required=True),
        Arg("researchType", "research_type"),
        WORDS,
        note="older docs: researchType (KEYWORD_STATISTICS), numberOfWord, prompt.",
    ),
    _text_tool(
        "CONTENT_GENERATOR_BLOG_ARTICLE",
        PROMPT,
        LANGUAGE,
        TONE,
        WORDS,
        Arg("numberOfSection", "num_sections", integer=True, range=(1, 50)),
        Arg("keywords", "keywords", convert=csv, default=""),
        note="older docs: language, tone, numberOfWord, numberOfSection, keywords (comma string).",
    ),
    _text_tool(
        "REWRITER",
        TEXT,
        TONE,
        Arg("numberOfWord", ("num_words", "text"), convert=words_or(1.0)),
        LANGUAGE,
        note="the docs' writing pages: tone, numberOfWord, prompt (numberOfWord defaults to the "
        "text's length; language is undocumented and sent only when given).",
    ),
    _text_tool(
        "CONTENT_EXPANDER",
        TEXT,
        TONE,
        Arg("numberOfWord", ("num_words", "text"), convert=words_or(2.0)),
        LANGUAGE,
        note="the docs' writing pages: tone, numberOfWord (default twice the text's length), "
        "prompt.",
    ),
    _text_tool(
        "CONTENT_SHORTENER",
        TEXT,
        TONE,
        Arg("numberOfWord", ("num_words", "text"), convert=words_or(0.5)),
        LANGUAGE,
        note="the docs' writing pages: tone, numberOfWord (default half the text's length), "
        "prompt.",
    ),
    _text_tool(
        "CONTENT_TRANSLATOR",
        TEXT,
        Arg("originalLanguage", "source_language", default="auto"),
        Arg("targetLanguage", "target_language", required=True),
        Arg("domain", "domain", default=""),
        Arg("tone", "tone", default=""),
        Arg("writingStyle", "writing_style", default=""),
        required=("prompt", "targetLanguage"),
        note="older docs: originalLanguage, targetLanguage, prompt, domain, tone, writingStyle "
        "(may be ''); 'auto' as the source language is a guess.",
    ),
    _text_tool(
        "PARAPHRASER",
        TEXT,
        TONE,
        Arg("numberOfWord", ("num_words", "text"), convert=words_or(1.0)),
        Arg("numberOfSection", "num_sections", integer=True, range=(1, 50)),
        LANGUAGE,
        note="older docs: numberOfSection, numberOfWord, tone, prompt.",
    ),
    _text_tool(
        "SUMMARIZER",
        TEXT,
        TONE,
        Arg("numberOfBullet", "num_bullets", integer=True, range=(1, 50)),
        WORDS,
        LANGUAGE,
        note="older docs: numberOfBullet, numberOfWord, tone, prompt.",
    ),
    _text_tool("GRAMMAR_CHECKER", TEXT, note="older docs: prompt."),
    _text_tool(
        "CODE_GENERATOR",
        PROMPT,
        Arg("webSearch", "web_search", convert=truthy_only),
        default_model=CODE_DEFAULT,
        note="older docs and an unofficial spec: prompt; optional webSearch (numOfSite, maxWord "
        "via extra).",
    ),
    _text_tool(
        "YOUTUBE_SUMMARIZER",
        VIDEO,
        LANGUAGE,
        required=("videoUrl",),
        note="older docs: videoUrl at the top level and in promptObject; language.",
    ),
    _text_tool(
        "YOUTUBE_TRANSCRIBER",
        VIDEO,
        required=("videoUrl",),
        note="older docs: videoUrl at the top level and in promptObject.",
    ),
    _text_tool(
        "YOUTUBE_TRANSLATOR",
        VIDEO,
        Arg("targetLanguage", "target_language", required=True),
        required=("videoUrl", "targetLanguage"),
        note="older docs: videoUrl (both levels), targetLanguage.",
    ),
    _social("CONTENT_GENERATOR_EMAIL"),
    _text_tool(
        "CONTENT_GENERATOR_EMAIL_REPLY",
        Arg(
            "prompt", ("original_email", "instructions"), convert=EMAIL_REPLY_PROMPT, required=True
        ),
        TONE,
        LANGUAGE,
        evidence="partial",
        note="Fields not in the stored docs: the original email and the instructions are "
        "combined into prompt.",
    ),
    _social("CONTENT_GENERATOR_BRAND_VOICE"),
    _social("CONTENT_GENERATOR_INSTAGRAM_POST"),
    _social("CONTENT_GENERATOR_FACEBOOK_POST"),
    _social("CONTENT_GENERATOR_FACEBOOK_COMMENT", "post_text"),
    _social("CONTENT_GENERATOR_FACEBOOK_ADS"),
    _social("CONTENT_GENERATOR_LINKEDIN_POST"),
    _social("CONTENT_GENERATOR_LINKEDIN_COMMENT", "post_text"),
    _social("CONTENT_GENERATOR_X_TWEET"),
    _social("CONTENT_GENERATOR_X_COMMENT", "post_text"),
    _social("CONTENT_GENERATOR_TIKTOK_DESCRIPTION"),
    _social("CONTENT_GENERATOR_GOOGLE_ADS"),
    _text_tool(
        "PROMPT_GENERATOR",
        PROMPT,
        listed=False,
        evidence="partial",
        note="Only in the n8n node's README example; not among the live feature enums.",
    ),
    _text_tool(
        "PRESENTATION_GENERATOR",
        PROMPT,
        TONE,
        LANGUAGE,
        Arg("numberOfSlide", "num_slides", integer=True, range=(1, 100)),
        listed=False,
        evidence="none",
        note="Appears only in an old feature list and the earlier package; fields unknown (best "
        "effort).",
    ),
    _text_tool(
        "DOCUMENT_TRANSLATOR",
        Arg("fileList", "file_id", convert=as_list, required=True),
        Arg("targetLanguage", "target_language", required=True),
        required=("fileList", "targetLanguage"),
        listed=False,
        evidence="none",
        note="Only in the earlier package; no evidence the type exists. The file is referenced by "
        "its file id in fileList, the way documents are referenced elsewhere (best effort).",
    ),
    _text_tool(
        "AI_DETECTOR",
        TEXT,
        listed=False,
        evidence="none",
        note="The earlier package's AI-content detector; the type name is a best-effort guess with"
        " no evidence it exists on the service.",
    ),
)
