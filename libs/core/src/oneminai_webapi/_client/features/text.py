"""Code and writing features: code, grammar, rewriting, translation, articles, social posts.

Also ads and YouTube summaries. All are text tools: the top-level ``conversationId`` is the
feature type.

Each method is declared once, by its signature and docstring (``@feature``, see
``_feature.py``); the feature registry maps its arguments onto ``promptObject``
(``_registry/_text.py``), and ``_protocol/_features.py`` runs the call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import TYPE_CHECKING

from ...constants import (
    AD_PLATFORMS,
    SOCIAL_COMMENT_PLATFORMS,
    SOCIAL_POST_PLATFORMS,
    ChatModel,
    CodeModel,
    SocialPlatform,
)
from ._feature import Extra, feature

if TYPE_CHECKING:
    from ...types import AssetRecord, ChatOutput


class TextMethods:
    """Code and writing features (``CODE_GENERATOR``, ``CONTENT_*``, ``YOUTUBE_*``, …)."""

    @feature("CODE_GENERATOR", "Write code.")
    def generate_code(
        self,
        prompt: str,
        model: str | CodeModel | None = None,
        *,
        web_search: bool = False,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Write code (``CODE_GENERATOR``).

        Args:
            prompt: What to write.
            model: Default ``gpt-4o``.
            web_search: Let the model read web results (``webSearch: true``).
            extra: Extra ``promptObject`` fields (``numOfSite``, ``maxWord``).

        Returns:
            ChatOutput: ``.text`` is the answer.
        """

    @feature("GRAMMAR_CHECKER", "Correct grammar and spelling.")
    def check_grammar(
        self, text: str, model: str | ChatModel | None = None, *, extra: Extra = None
    ) -> Awaitable[ChatOutput]:
        """Correct grammar and spelling (``GRAMMAR_CHECKER``).

        Args:
            text: The text.
            model: Any chat model; default ``gpt-4o-mini``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the corrected text.
        """

    @feature("PARAPHRASER", "Paraphrase a text.")
    def paraphrase(
        self,
        text: str,
        model: str | ChatModel | None = None,
        *,
        tone: str = "professional",
        language: str | None = None,
        num_words: int | None = None,
        num_sections: int = 1,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Paraphrase a text (``PARAPHRASER``).

        Args:
            text: The text.
            model: Default ``gpt-4o-mini``.
            tone: Tone of the result.
            language: Output language (undocumented for this type; sent only when given).
            num_words: ``numberOfWord`` (default: the text's word count).
            num_sections: ``numberOfSection``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the paraphrase.
        """

    @feature("REWRITER", "Rewrite a text.")
    def rewrite(
        self,
        text: str,
        model: str | ChatModel | None = None,
        *,
        tone: str = "professional",
        language: str | None = None,
        num_words: int | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Rewrite a text (``REWRITER``).

        Args:
            text: The text.
            model: Default ``gpt-4o-mini``.
            tone: Tone of the result.
            language: Output language (sent only when given).
            num_words: ``numberOfWord`` (default: the text's word count).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the rewritten text.
        """

    @feature("SUMMARIZER", "Summarize a text.")
    def summarize(
        self,
        text: str,
        model: str | ChatModel | None = None,
        *,
        language: str | None = None,
        tone: str = "professional",
        num_bullets: int = 5,
        num_words: int = 150,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Summarize a text (``SUMMARIZER``).

        Args:
            text: The text.
            model: Default ``gpt-4o-mini``.
            language: Output language (sent only when given).
            tone: Tone of the summary.
            num_bullets: ``numberOfBullet``.
            num_words: ``numberOfWord``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the summary.
        """

    @feature("CONTENT_EXPANDER", "Expand a text.")
    def expand_content(
        self,
        text: str,
        model: str | ChatModel | None = None,
        *,
        tone: str = "professional",
        language: str | None = None,
        num_words: int | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Expand a text (``CONTENT_EXPANDER``).

        Args:
            text: The text.
            model: Default ``gpt-4o-mini``.
            tone: Tone of the result.
            language: Output language (sent only when given).
            num_words: ``numberOfWord`` (default: twice the text's word count).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the longer text.
        """

    @feature("CONTENT_SHORTENER", "Shorten a text.")
    def shorten_content(
        self,
        text: str,
        model: str | ChatModel | None = None,
        *,
        tone: str = "professional",
        language: str | None = None,
        num_words: int | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Shorten a text (``CONTENT_SHORTENER``).

        Args:
            text: The text.
            model: Default ``gpt-4o-mini``.
            tone: Tone of the result.
            language: Output language (sent only when given).
            num_words: ``numberOfWord`` (default: half the text's word count).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the shorter text.
        """

    @feature("CONTENT_TRANSLATOR", "Translate a text.")
    def translate(
        self,
        text: str,
        target_language: str,
        model: str | ChatModel | None = None,
        *,
        source_language: str | None = None,
        domain: str | None = None,
        tone: str | None = None,
        writing_style: str | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Translate a text (``CONTENT_TRANSLATOR``).

        Args:
            text: The text.
            target_language: ``targetLanguage`` (e.g. ``en``).
            model: Default ``gpt-4o-mini``.
            source_language: ``originalLanguage`` (default ``auto`` — a guess).
            domain: Subject domain ("" when not given).
            tone: Tone ("" when not given).
            writing_style: ``writingStyle`` ("" when not given).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the translation.
        """

    @feature("AI_DETECTOR", "Estimate whether a text was AI-written.")
    def detect_ai_content(
        self, text: str, *, model: str | ChatModel | None = None, extra: Extra = None
    ) -> Awaitable[ChatOutput]:
        """Estimate whether a text was written by AI (unverified: best effort).

        There is no evidence the service has an AI-detector feature (it is not among the
        live feature types); this sends type ``AI_DETECTOR`` with ``prompt``, kept for
        compatibility with the earlier package. Expect the service to refuse it (the
        emulator refuses it with ``INVALID_FEATURE_TYPE`` unless a test opts in).

        Args:
            text: The text.
            model: Default ``gpt-4o-mini``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the verdict.
        """

    @feature("KEYWORD_RESEARCH", "Research keywords for a topic.")
    def research_keywords(
        self,
        topic: str,
        model: str | ChatModel | None = None,
        *,
        research_type: str = "KEYWORD_STATISTICS",
        num_words: int = 500,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Research keywords for a topic (``KEYWORD_RESEARCH``).

        Args:
            topic: The topic (``prompt``).
            model: Default ``gpt-4o-mini``.
            research_type: ``researchType``.
            num_words: ``numberOfWord``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the research.
        """

    @feature("CONTENT_GENERATOR_BLOG_ARTICLE", "Write a blog article.")
    def generate_blog_article(
        self,
        prompt: str,
        model: str | ChatModel | None = None,
        *,
        language: str = "English",
        tone: str = "informative",
        num_words: int = 1000,
        num_sections: int = 5,
        keywords: str | Sequence[str] | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Write a blog article (``CONTENT_GENERATOR_BLOG_ARTICLE``).

        Args:
            prompt: The subject.
            model: Default ``gpt-4o-mini``.
            language: Article language.
            tone: Tone.
            num_words: ``numberOfWord``.
            num_sections: ``numberOfSection``.
            keywords: Keywords (list or comma-separated string).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the article.
        """

    @feature("CONTENT_GENERATOR_EMAIL", "Write an email.")
    def generate_email(
        self,
        prompt: str,
        model: str | ChatModel | None = None,
        *,
        tone: str = "professional",
        language: str = "English",
        num_words: int | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Write an email (``CONTENT_GENERATOR_EMAIL``; fields beyond ``prompt`` guessed).

        Args:
            prompt: What the email is about.
            model: Default ``gpt-4o-mini``.
            tone: Tone.
            language: Language.
            num_words: ``numberOfWord`` (not sent by default).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the email.
        """

    @feature("CONTENT_GENERATOR_EMAIL_REPLY", "Reply to an email.")
    def generate_email_reply(
        self,
        original_email: str,
        instructions: str,
        model: str | ChatModel | None = None,
        *,
        tone: str = "professional",
        language: str = "English",
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Reply to an email (``CONTENT_GENERATOR_EMAIL_REPLY``).

        The type's fields are undocumented: the email and the instructions travel together
        in ``prompt``.

        Args:
            original_email: The email to answer.
            instructions: What the reply should say.
            model: Default ``gpt-4o-mini``.
            tone: Tone.
            language: Language.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the reply.
        """

    @feature(None, "Write a social media post.", route=("platform", SOCIAL_POST_PLATFORMS))
    def generate_social_post(
        self,
        prompt: str,
        platform: str | SocialPlatform,
        model: str | ChatModel | None = None,
        *,
        tone: str = "friendly",
        language: str = "English",
        num_words: int | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Write a social media post (``CONTENT_GENERATOR_<PLATFORM>_POST``).

        Args:
            prompt: What the post is about.
            platform: ``instagram``, ``facebook``, ``linkedin``, ``tiktok``, ``x`` or ``twitter``.
            model: Default ``gpt-4o-mini``.
            tone: Tone.
            language: Language.
            num_words: ``numberOfWord`` (not sent by default).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the post.

        Raises:
            InvalidRequestError: an unknown platform (a ``ValueError``), before any request.
        """

    @feature(
        None,
        "Write a comment on a social media post.",
        route=("platform", SOCIAL_COMMENT_PLATFORMS),
    )
    def generate_social_comment(
        self,
        post_text: str,
        platform: str | SocialPlatform,
        model: str | ChatModel | None = None,
        *,
        tone: str = "friendly",
        language: str = "English",
        num_words: int | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Write a comment on a post (``CONTENT_GENERATOR_<PLATFORM>_COMMENT``).

        Args:
            post_text: The post to comment on (``prompt``).
            platform: ``facebook``, ``linkedin``, ``x`` or ``twitter``.
            model: Default ``gpt-4o-mini``.
            tone: Tone.
            language: Language.
            num_words: ``numberOfWord`` (not sent by default).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the comment.

        Raises:
            InvalidRequestError: an unknown platform (a ``ValueError``), before any request.
        """

    @feature(None, "Write ad copy.", route=("platform", AD_PLATFORMS))
    def generate_ad_copy(
        self,
        prompt: str,
        platform: str | SocialPlatform,
        model: str | ChatModel | None = None,
        *,
        tone: str = "persuasive",
        language: str = "English",
        num_words: int | None = None,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Write ad copy (``CONTENT_GENERATOR_FACEBOOK_ADS`` / ``_GOOGLE_ADS``).

        Args:
            prompt: The product or offer.
            platform: ``facebook`` or ``google``.
            model: Default ``gpt-4o-mini``.
            tone: Tone.
            language: Language.
            num_words: ``numberOfWord`` (not sent by default).
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the ad copy.

        Raises:
            InvalidRequestError: an unknown platform (a ``ValueError``), before any request.
        """

    @feature("PRESENTATION_GENERATOR", "Outline a presentation.")
    def generate_presentation(
        self,
        prompt: str,
        model: str | ChatModel | None = None,
        *,
        tone: str | None = None,
        language: str = "English",
        num_slides: int = 10,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Outline a presentation (unverified: best effort).

        ``PRESENTATION_GENERATOR`` appears only in an old feature list and is not among the
        live feature types; the fields (``prompt``, ``language``, ``numberOfSlide``) are a
        guess. Kept for compatibility with the earlier package; the emulator refuses the
        type unless a test opts in.

        Args:
            prompt: The subject.
            model: Default ``gpt-4o-mini``.
            tone: Tone (not sent by default).
            language: Language.
            num_slides: ``numberOfSlide``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the outline.
        """

    @feature("YOUTUBE_SUMMARIZER", "Summarize a YouTube video.")
    def summarize_youtube(
        self,
        url: str,
        model: str | ChatModel | None = None,
        *,
        language: str = "English",
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Summarize a YouTube video (``YOUTUBE_SUMMARIZER``; ``videoUrl`` at both levels).

        Args:
            url: The video URL.
            model: Default ``gpt-4o-mini``.
            language: Summary language.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the summary.
        """

    @feature("YOUTUBE_TRANSCRIBER", "Transcribe a YouTube video.")
    def transcribe_youtube(
        self, url: str, model: str | ChatModel | None = None, *, extra: Extra = None
    ) -> Awaitable[ChatOutput]:
        """Transcribe a YouTube video (``YOUTUBE_TRANSCRIBER``).

        Args:
            url: The video URL.
            model: Default ``gpt-4o-mini``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the transcript.
        """

    @feature("YOUTUBE_TRANSLATOR", "Translate a YouTube video.")
    def translate_youtube(
        self,
        url: str,
        target_language: str,
        model: str | ChatModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Translate a YouTube video's speech (``YOUTUBE_TRANSLATOR``).

        Args:
            url: The video URL.
            target_language: ``targetLanguage``.
            model: Default ``gpt-4o-mini``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the translation.
        """

    @feature("DOCUMENT_TRANSLATOR", "Translate an uploaded document.")
    def translate_document(
        self,
        file_id: str | AssetRecord,
        target_language: str,
        model: str | ChatModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ChatOutput]:
        """Translate an uploaded document (unverified: best effort).

        There is no evidence the service has ``DOCUMENT_TRANSLATOR`` (it is not among the
        live feature types); the document is referenced by its file id in ``fileList``,
        the way documents are referenced elsewhere. Kept for compatibility; the emulator
        refuses the type unless a test opts in.

        Args:
            file_id: ``AssetRecord.file_id`` from :meth:`upload_asset` (or the record).
            target_language: ``targetLanguage``.
            model: Default ``gpt-4o-mini``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: the translation.
        """
