"""Helpers for framework adapters (the LangChain and LlamaIndex integrations use them).

Everything an adapter needs that does not depend on its framework lives here once:

* :class:`ClientSettings` / :class:`ClientFactory`: lazily created, shared and closed core
  clients (one sync client, async clients per event loop or per call); :data:`CHAT_OPTIONS`,
  the ``chat()`` options an adapter may forward.
* :class:`ChatAttachment`, :func:`resolve_chat_attachments` /
  :func:`aresolve_chat_attachments`, :class:`AttachmentCache`: images and files from
  messages, uploaded once and turned into ``images=``/``files=`` chat references.
* :func:`check_file_reference`: the local-file policy of agent tools (model-supplied file
  arguments: URLs and asset keys pass, local paths only when allowed).
* :class:`ToolSpec`, :func:`tool_specs`, :func:`tool_spec`: the agent tools (media, writing,
  chat, account) defined once: name, description, JSON schema, the client call and how
  its output reads (:class:`ToolResult`). The MCP server (``oneminai-mcp``) serves them.
* :func:`estimate_tokens`: usage estimates (the service reports no token counts for chat).
* :class:`Closeable`: ``with``/``async with`` for adapter objects that own clients.
* :func:`argument_choices`, :func:`image_sizes`, :func:`default_model`: what a model accepts
  for a media method's arguments (from the feature registry), for agent tool schemas.

Prompt-based tool calling and the interpretation of replies are in
:mod:`oneminai_webapi.tool_calling`.

Example:
    >>> from oneminai_webapi.integrations import ChatAttachment
    >>> ChatAttachment("file", data=b"%PDF-1.4", mime_type="application/pdf",
    ...                filename="report").upload_filename
    'report.pdf'
"""

from ._attachments import (
    AttachmentCache,
    AttachmentKind,
    ChatAttachment,
    ResolvedAttachments,
    aresolve_chat_attachments,
    resolve_chat_attachments,
    upload_filename,
)
from ._choices import ArgumentChoices, argument_choices, closest_size, default_model, image_sizes
from ._clients import CHAT_OPTIONS, ClientFactory, ClientSettings
from ._closing import Closeable
from ._local_files import check_file_reference
from ._tools import TOOL_GROUPS, ResultFile, ToolResult, ToolSpec, tool_spec, tool_specs
from ._usage import estimate_tokens

__all__ = [
    "CHAT_OPTIONS",
    "TOOL_GROUPS",
    "ArgumentChoices",
    "AttachmentCache",
    "AttachmentKind",
    "ChatAttachment",
    "ClientFactory",
    "ClientSettings",
    "Closeable",
    "ResolvedAttachments",
    "ResultFile",
    "ToolResult",
    "ToolSpec",
    "aresolve_chat_attachments",
    "argument_choices",
    "check_file_reference",
    "closest_size",
    "default_model",
    "estimate_tokens",
    "image_sizes",
    "resolve_chat_attachments",
    "tool_spec",
    "tool_specs",
    "upload_filename",
]
