"""Every public client method, written once for both clients.

Each method validates its arguments (so bad input fails before any request), builds the
operation from :mod:`oneminai_webapi._protocol`, and hands it to ``self._run`` (a value
for the sync client, an awaitable for the async client) or ``self._stream``.

The annotations describe the async client; the sync client returns the same types
without the ``Awaitable`` (and iterators instead of async iterators).
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from .._protocol import LazyModule
from .._protocol import _chat as chat
from .._protocol import _routes as routes
from .._protocol._chat import DEFAULT_HISTORY_MESSAGE_LIMIT, DEFAULT_MAX_WORD, DEFAULT_NUM_OF_SITE
from .._protocol._context import Context
from .._protocol._ops import Op, StreamPlan
from ..constants import DEFAULT_CHAT_MODEL, AssetType, ChatModel, FeatureType
from ..exceptions import InvalidRequestError
from ._base import download_request
from ._completion_methods import CompletionMethods
from .features import FeatureMethods

if TYPE_CHECKING:
    from .._protocol import _account as account
    from .._protocol import _assets as assets
    from .._protocol import _conversations as conversations
    from .._protocol._download import DownloadProgress
    from .._protocol._http import UploadProgress
    from ..types import (
        AssetRecord,
        AudioOutput,
        ChatOutput,
        ConversationRecord,
        CreditEstimate,
        GeneratedImage,
        MessageRecord,
        ModelInfo,
        NotificationRecord,
        UserRecord,
        VideoOutput,
    )
    from ._async import AsyncChatStream
    from ._session import ChatSession
else:  # imported on first use: kept off ``import oneminai_webapi``
    account = LazyModule("oneminai_webapi._protocol._account")
    assets = LazyModule("oneminai_webapi._protocol._assets")
    conversations = LazyModule("oneminai_webapi._protocol._conversations")

T = TypeVar("T")


class ClientMethods(CompletionMethods, FeatureMethods):
    """The public API shared by :class:`OneMinAIClient` and :class:`SyncOneMinAIClient`."""

    _ctx: Context

    def _run(self, op: Op[T]) -> Awaitable[T]:  # pragma: no cover - implemented by drivers
        raise NotImplementedError

    def _stream(self, op: Op[StreamPlan]) -> Any:  # pragma: no cover - implemented by drivers
        raise NotImplementedError

    # ── chat ─────────────────────────────────────────────────────────────────────────

    def _chat_options(
        self,
        prompt: str,
        model: str | ChatModel | None,
        conversation_id: str | None = None,
        images: Sequence[str] | None = None,
        files: Sequence[str] | None = None,
        web_search: bool = False,
        num_of_site: int = DEFAULT_NUM_OF_SITE,
        max_word: int = DEFAULT_MAX_WORD,
        is_mixed: bool = False,
        history_message_limit: int = DEFAULT_HISTORY_MESSAGE_LIMIT,
        with_memories: bool = False,
        brand_voice_id: str | None = None,
    ) -> chat.ChatOptions:
        self._ctx.require_credential()
        return chat.ChatOptions(
            prompt=prompt,
            model=chat.model_id(model, DEFAULT_CHAT_MODEL),
            conversation_id=conversation_id,
            images=() if images is None else chat.string_list(images, "images"),
            files=() if files is None else chat.string_list(files, "files"),
            web_search=bool(web_search),
            num_of_site=num_of_site,
            max_word=max_word,
            is_mixed=bool(is_mixed),
            history_message_limit=history_message_limit,
            with_memories=bool(with_memories),
            brand_voice_id=brand_voice_id,
        )

    def generate_content(
        self,
        prompt: str,
        model: str | ChatModel | None = None,
        *,
        images: Sequence[str] | None = None,
        files: Sequence[str] | None = None,
        web_search: bool = False,
        brand_voice_id: str | None = None,
    ) -> Awaitable[ChatOutput]:
        """Ask one question and get the whole answer (exactly one request, no conversation).

        Args:
            prompt: The message.
            model: A model id (any string) or :class:`ChatModel`; default ``gpt-4o-mini``.
            images: Asset keys or image URLs to attach (vision models).
            files: File ids (``AssetRecord.file_id``) to attach.
            web_search: Let the model read web results first.
            brand_voice_id: A brand voice created in the web app.

        Returns:
            ChatOutput: ``.text`` is the answer; ``str(output)`` too.

        Raises:
            InvalidRequestError: bad input (nothing sent).
            APIError: the service refused (see ``oneminai_webapi.exceptions``).
        """
        options = self._chat_options(
            prompt,
            model,
            images=images,
            files=files,
            web_search=web_search,
            brand_voice_id=brand_voice_id,
        )
        return self._run(chat.chat_once(self._ctx, options))

    def generate_content_stream(
        self,
        prompt: str,
        model: str | ChatModel | None = None,
        *,
        images: Sequence[str] | None = None,
        files: Sequence[str] | None = None,
        web_search: bool = False,
        brand_voice_id: str | None = None,
    ) -> AsyncChatStream:
        """Stream one answer: ``async for chunk in client.generate_content_stream(...)``.

        Each chunk has ``text_delta`` (new text) and ``text`` (everything so far); the last
        one has ``is_final=True`` and the record ids. The stream is also an (async) context
        manager that releases the connection on exit.

        Raises:
            StreamInterruptedError: the connection was cut or the service reported an error
                mid-stream; ``.partial_text`` holds what arrived.
        """
        options = self._chat_options(
            prompt,
            model,
            images=images,
            files=files,
            web_search=web_search,
            brand_voice_id=brand_voice_id,
        )
        return self._stream(chat.chat_stream(self._ctx, options))  # type: ignore[no-any-return]

    @overload
    def chat(
        self,
        prompt: str,
        *,
        stream: Literal[False] = False,
        model: str | ChatModel | None = None,
        conversation_id: str | None = None,
        images: Sequence[str] | None = None,
        files: Sequence[str] | None = None,
        web_search: bool = False,
        num_of_site: int = DEFAULT_NUM_OF_SITE,
        max_word: int = DEFAULT_MAX_WORD,
        is_mixed: bool = False,
        history_message_limit: int = DEFAULT_HISTORY_MESSAGE_LIMIT,
        with_memories: bool = False,
        brand_voice_id: str | None = None,
    ) -> Awaitable[ChatOutput]: ...

    @overload
    def chat(
        self,
        prompt: str,
        *,
        stream: Literal[True],
        model: str | ChatModel | None = None,
        conversation_id: str | None = None,
        images: Sequence[str] | None = None,
        files: Sequence[str] | None = None,
        web_search: bool = False,
        num_of_site: int = DEFAULT_NUM_OF_SITE,
        max_word: int = DEFAULT_MAX_WORD,
        is_mixed: bool = False,
        history_message_limit: int = DEFAULT_HISTORY_MESSAGE_LIMIT,
        with_memories: bool = False,
        brand_voice_id: str | None = None,
    ) -> AsyncChatStream: ...

    def chat(
        self,
        prompt: str,
        *,
        stream: bool = False,
        model: str | ChatModel | None = None,
        conversation_id: str | None = None,
        images: Sequence[str] | None = None,
        files: Sequence[str] | None = None,
        web_search: bool = False,
        num_of_site: int = DEFAULT_NUM_OF_SITE,
        max_word: int = DEFAULT_MAX_WORD,
        is_mixed: bool = False,
        history_message_limit: int = DEFAULT_HISTORY_MESSAGE_LIMIT,
        with_memories: bool = False,
        brand_voice_id: str | None = None,
    ) -> Awaitable[ChatOutput] | AsyncChatStream:
        """Chat with every option of the unified chat API.

        Args:
            prompt: The message.
            stream: Return a stream of chunks instead of the whole answer, not awaited
                (async client: ``async for c in client.chat(..., stream=True)``; awaiting
                it still works but is deprecated).
            model: Model id or :class:`ChatModel`.
            conversation_id: A server-side conversation that keeps the history.
            images: Asset keys or image URLs.
            files: File ids from :meth:`upload_asset`.
            web_search: Read web results first; ``num_of_site`` sites, ``max_word`` words.
            num_of_site: Sites to read (server default 3).
            max_word: Words to read from the results (default 1000).
            is_mixed: Include turns answered by other models in the context.
            history_message_limit: Earlier messages fed back (server default 10).
            with_memories: Use the account's cross-conversation memories.
            brand_voice_id: A brand voice created in the web app.

        Returns:
            ChatOutput, or a stream of ChatOutput chunks when ``stream=True``.
        """
        options = self._chat_options(
            prompt, model, conversation_id, images, files, web_search, num_of_site,
            max_word, is_mixed, history_message_limit, with_memories, brand_voice_id,
        )  # fmt: skip
        if stream:
            return self._stream(chat.chat_stream(self._ctx, options))  # type: ignore[no-any-return]
        return self._run(chat.chat_once(self._ctx, options))

    def start_chat(
        self,
        model: str | ChatModel | None = None,
        *,
        conversation_id: str | None = None,
        web_search: bool = False,
        num_of_site: int = DEFAULT_NUM_OF_SITE,
        max_word: int = DEFAULT_MAX_WORD,
        is_mixed: bool = False,
        history_message_limit: int = DEFAULT_HISTORY_MESSAGE_LIMIT,
        with_memories: bool = False,
        brand_voice_id: str | None = None,
        title: str | None = None,
    ) -> ChatSession:
        """Start a multi-turn session; the server conversation is created on the first send.

        Args:
            model: The session's model.
            conversation_id: Continue an existing conversation instead.
            title: Title of the conversation to create (default: the first prompt, cut to 91).
            web_search: Search the web on every turn (``num_of_site``/``max_word`` apply).
            num_of_site: Sites to read when searching.
            max_word: Words to read when searching.
            is_mixed: Include turns of other models in the context.
            history_message_limit: Earlier messages the server feeds back.
            with_memories: Use cross-conversation memories.
            brand_voice_id: A brand voice for every turn.
        """
        from ._session import ChatSession

        return ChatSession(
            self,
            model=chat.model_id(model, DEFAULT_CHAT_MODEL),
            conversation_id=conversation_id,
            web_search=web_search,
            num_of_site=num_of_site,
            max_word=max_word,
            is_mixed=is_mixed,
            history_message_limit=history_message_limit,
            with_memories=with_memories,
            brand_voice_id=brand_voice_id,
            title=title,
        )

    # ── conversations ────────────────────────────────────────────────────────────────

    def create_conversation(
        self, title: str, model: str | ChatModel | None = None
    ) -> Awaitable[ConversationRecord]:
        """Create a server-side conversation (title: 1–91 characters)."""
        conversations.check_title(title)
        self._ctx.require_credential()
        return self._run(
            conversations.create(self._ctx, title, chat.model_id(model, DEFAULT_CHAT_MODEL))
        )

    def list_conversations(self) -> Awaitable[list[ConversationRecord]]:
        """List the team's chat conversations (web-app API)."""
        self._ctx.require_credential()
        return self._run(conversations.list_all(self._ctx))

    def get_conversation(self, conversation_id: str) -> Awaitable[ConversationRecord]:
        """Get one conversation (web-app API)."""
        routes.segment(conversation_id, "conversation_id")
        self._ctx.require_credential()
        return self._run(conversations.get(self._ctx, conversation_id))

    def get_conversation_messages(
        self, conversation_id: str, after_id: str | None = None
    ) -> Awaitable[list[MessageRecord]]:
        """All messages of a conversation (after ``after_id``), following every page."""
        chat.require_text(conversation_id, "conversation_id")
        self._ctx.require_credential()
        return self._run(conversations.messages(self._ctx, conversation_id, after_id))

    def rename_conversation(
        self, conversation_id: str, title: str, tag_ids: Sequence[str] | None = None
    ) -> Awaitable[ConversationRecord]:
        """Rename (and tag) a conversation (web-app API)."""
        routes.segment(conversation_id, "conversation_id")
        conversations.check_title(title)
        self._ctx.require_credential()
        return self._run(conversations.rename(self._ctx, conversation_id, title, tag_ids))

    def delete_conversation(self, conversation_id: str) -> Awaitable[None]:
        """Delete a conversation (one already gone counts as deleted)."""
        routes.segment(conversation_id, "conversation_id")
        self._ctx.require_credential()
        return self._run(conversations.delete(self._ctx, conversation_id))

    # ── assets ───────────────────────────────────────────────────────────────────────

    def upload_asset(
        self,
        file_path: str | os.PathLike[str] | None = None,
        *,
        data: bytes | None = None,
        filename: str = "file",
        mime_type: str | None = None,
        asset_type: AssetType | str = AssetType.DOCUMENT,
        on_progress: UploadProgress | None = None,
    ) -> Awaitable[AssetRecord]:
        """Upload a file (from a path or bytes) for media features and chat attachments.

        A file on disk is streamed from the disk in pieces of 64 KiB (memory stays bounded
        whatever its size), in a normal multipart POST with a ``Content-Length``.

        Args:
            file_path: The file to upload.
            data: Or its bytes (then ``filename`` gives the name, with an extension).
            filename: The name of ``data`` (the service refuses names without extension).
            mime_type: The file's MIME type (default: guessed from the name).
            asset_type: ``IMAGE``, ``AUDIO``, ``VIDEO`` or ``DOCUMENT`` (the default).
            on_progress: Called as ``on_progress(bytes_sent, total_bytes)`` while the file
                is sent: ``(0, total)`` first, then increasing up to ``(total, total)``. A
                retried attempt (after a 503, say) sends the file again from its first byte
                and reports from 0 again. Default: the client's ``on_upload_progress``
                (:meth:`with_options`).

        Returns:
            AssetRecord: ``asset_key`` for ``image_url``-style arguments and chat ``images``;
            ``file_id`` for chat ``files``.

        Raises:
            InvalidRequestError: missing file, no extension, unknown ``asset_type``, or a
                file that changed while it was being sent.
            AssetUploadError: the service refused the file.
        """
        kind = assets.asset_type_value(asset_type)
        part = assets.read_file_part(file_path, data, filename, mime_type)
        assets.check_progress(on_progress)
        self._ctx.require_credential()
        return self._run(assets.upload(self._ctx, part, kind, on_progress))

    def upload_asset_from_url(
        self, url: str, asset_type: AssetType | str = AssetType.IMAGE
    ) -> Awaitable[AssetRecord]:
        """Register a public URL as an asset (web-app API)."""
        kind = assets.asset_type_value(asset_type)
        self._ctx.require_credential()
        return self._run(assets.upload_from_url(self._ctx, url, kind))

    def save(
        self,
        output: GeneratedImage | AudioOutput | VideoOutput,
        directory: str | Path = ".",
        filename: str | None = None,
        verbose: bool = False,
        *,
        on_progress: DownloadProgress | None = None,
        overwrite: bool = False,
    ) -> Awaitable[Path]:
        """Download an output's file into ``directory`` with this client; return its path.

        The same download as ``output.save(...)`` (see :meth:`GeneratedImage.save`), for any
        output, including one that no client made (built or deserialized by hand).

        Args:
            output: A :class:`GeneratedImage` (``ImageOutput.images[i]``), an
                :class:`AudioOutput`/:class:`MusicOutput` or a :class:`VideoOutput`.
            directory: Folder to write into (created when missing).
            filename: File name; by default the name in the URL, with the right extension.
            verbose: Print the saved path.
            on_progress: Called with ``(bytes_received, total_bytes)`` as the file arrives.
            overwrite: Replace an existing file of the same name.

        Raises:
            InvalidRequestError: ``output`` has no file to download (nothing is sent).
            FileSaveError: The file could not be written (nothing is left behind).
            ResponseTooLargeError: The file is larger than ``max_download_bytes``.
        """
        url_of = getattr(output, "_download_url", None)
        if url_of is None:
            raise InvalidRequestError(
                f"save() takes a GeneratedImage, AudioOutput or VideoOutput, not "
                f"{type(output).__name__} (an ImageOutput's files are its .images)"
            )
        return self._save_url(url_of(), directory, filename, verbose, on_progress, overwrite)

    def _save_url(
        self,
        url: str,
        directory: str | Path,
        filename: str | None,
        verbose: bool,
        on_progress: DownloadProgress | None = None,
        overwrite: bool = False,
    ) -> Awaitable[Path]:
        """Download a result file atomically (used by the outputs' ``save()``)."""
        from .._protocol._download import download_op

        request = download_request(url, self.base_url_for_download)
        op = download_op(request, url, directory, filename, verbose, on_progress, overwrite)
        return self._run(op)

    @property
    def base_url_for_download(self) -> str:
        """The API origin (downloads elsewhere never carry credentials)."""
        return self._ctx.settings.base_url

    # ── account and catalog ──────────────────────────────────────────────────────────

    def oauth_login(
        self, oauth_token: str, referrer_id: str | None = None, source: str | None = None
    ) -> Awaitable[UserRecord]:
        """Sign in with a Google access token (``ya29.…``); later calls use the web-app JWT."""
        chat.require_text(oauth_token, "oauth_token")
        device = getattr(self, "_device_id", "device")
        return self._run(account.oauth_login(self._ctx, oauth_token, referrer_id, source, device))

    def get_current_user(self) -> Awaitable[UserRecord]:
        """The signed-in user with team, credit and plan (web-app API)."""
        self._ctx.require_credential()
        return self._run(account.current_user(self._ctx))

    def get_team_credits(self) -> Awaitable[int]:
        """The team's credit balance (web-app API)."""
        self._ctx.require_credential()
        return self._run(account.team_credits(self._ctx))

    def estimate_chat_cost(
        self,
        prompt: str,
        models: Sequence[str | ChatModel],
        *,
        conversation_id: str | None = None,
        history_message_limit: int = DEFAULT_HISTORY_MESSAGE_LIMIT,
        is_mixed: bool = False,
        web_search: bool = False,
        images: Sequence[str] | None = None,
        files: Sequence[str] | None = None,
    ) -> Awaitable[CreditEstimate]:
        """Estimate the credits of a chat turn for each of ``models`` (web-app API)."""
        if isinstance(models, str) or not isinstance(models, Sequence) or not models:
            raise InvalidRequestError("models must be a non-empty list of model ids")
        options = self._chat_options(
            prompt, models[0], conversation_id, images, files, web_search,
            history_message_limit=history_message_limit, is_mixed=is_mixed,
        )  # fmt: skip
        return self._run(
            account.estimate(self._ctx, options, [str(getattr(m, "value", m)) for m in models])
        )

    def list_models(self, feature: str | FeatureType | None = None) -> Awaitable[list[ModelInfo]]:
        """The public model catalog for ``feature``; with no feature, every feature merged.

        Needs no credential. Model ids change often: this, not the enums, is the truth.

        Args:
            feature: A feature type (``UNIFY_CHAT_WITH_AI``, ``IMAGE_GENERATOR``, …).

        Returns:
            One :class:`ModelInfo` per model (``.id``, ``.features``, ``.vision`` from
            ``modality.INPUT``, ``.status``, ``.deprecation_date``, ``.credits``); the
            catalog's ``NOT_APPLICABLE`` placeholder rows are left out. ``info["modelId"]``
            still reads the raw row.
        """
        if feature is None:
            from .._registry import all_feature_types

            return self._run(account.all_models(all_feature_types()))
        return self._run(account.models(str(getattr(feature, "value", feature))))

    def list_team_members(self) -> Awaitable[list[dict[str, Any]]]:
        """The team's members (web-app API)."""
        self._ctx.require_credential()
        return self._run(
            account.list_key(self._ctx, "list_team_members", routes.TEAM_MEMBERS, "members")
        )

    def get_feature_settings(
        self, feature: str | FeatureType = FeatureType.UNIFY_CHAT_WITH_AI
    ) -> Awaitable[Any]:
        """The stored settings of a feature, e.g. ``lastInputSubmission`` (web-app API)."""
        name = account.feature_path(str(getattr(feature, "value", feature)))
        self._ctx.require_credential()
        return self._run(
            account.get_json(
                self._ctx,
                "get_feature_settings",
                routes.TEAM_FEATURE_SETTINGS,
                team=True,
                feature=name,
            )
        )

    def update_feature_settings(
        self, models: Sequence[str], feature: str | FeatureType = FeatureType.UNIFY_CHAT_WITH_AI
    ) -> Awaitable[Any]:
        """Store the preferred models of a feature (web-app API)."""
        from .._protocol._settings import update_feature_settings

        name = account.feature_path(str(getattr(feature, "value", feature)))
        model_ids = [chat.require_text(getattr(m, "value", m), "model") for m in models]
        self._ctx.require_credential()
        return self._run(update_feature_settings(self._ctx, name, model_ids))

    def update_user_settings(self, **settings: Any) -> Awaitable[UserRecord]:
        """Change user settings, e.g. ``chatbot=False`` (web-app API)."""
        self._ctx.require_credential()
        return self._run(account.update_user_settings(self._ctx, settings))

    def get_notebook(self) -> Awaitable[Any]:
        """The user's notebook text, or None (web-app API)."""
        from .._protocol._settings import notebook

        self._ctx.require_credential()
        return self._run(notebook(self._ctx))

    def get_unread_notification_count(self) -> Awaitable[int]:
        """How many notifications are unread (web-app API)."""
        from .._protocol._settings import unread_count

        self._ctx.require_credential()
        return self._run(unread_count(self._ctx))

    def get_notification(self, notification_id: str) -> Awaitable[NotificationRecord]:
        """One notification (web-app API)."""
        routes.segment(notification_id, "notification_id")
        self._ctx.require_credential()
        return self._run(account.notification(self._ctx, notification_id))

    def get_explore_posts(self) -> Awaitable[list[Any]]:
        """Public posts of the community feed (web-app API)."""
        self._ctx.require_credential()
        path = self._ctx.settings.social_base_url + routes.EXPLORE_POSTS
        return self._run(account.list_key(self._ctx, "get_explore_posts", path, "data", team=False))

    def list_tags(self) -> Awaitable[list[Any]]:
        """The team's conversation tags (web-app API)."""
        self._ctx.require_credential()
        return self._run(account.list_key(self._ctx, "list_tags", routes.TEAM_TAGS, "tagList"))

    def list_studios(self) -> Awaitable[list[Any]]:
        """The team's studios (web-app API)."""
        self._ctx.require_credential()
        return self._run(
            account.list_key(self._ctx, "list_studios", routes.TEAM_STUDIOS, "studioList")
        )
