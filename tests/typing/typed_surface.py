"""The types the clients promise, checked by ``mypy --strict`` (``make type``), never run.

Each ``assert_type`` fails the type check when a method's declared type drifts, including
to ``Any``: streaming methods type as their stream classes on both clients, sync methods
return values, async methods awaitables of the same values.
"""

from __future__ import annotations

from pathlib import Path

from oneminai_webapi import (
    AsyncChatStream,
    AsyncCompletionStream,
    OneMinAIClient,
    SyncChatStream,
    SyncCompletionStream,
    SyncOneMinAIClient,
)
from oneminai_webapi.completions import Completion
from oneminai_webapi.types import AudioOutput, ChatOutput, GeneratedImage, ImageOutput
from typing_extensions import assert_type

MESSAGES = [{"role": "user", "content": "Hi"}]


async def async_surface(client: OneMinAIClient, image: GeneratedImage) -> None:
    """The async client: awaitables, and streams returned as they are."""
    assert_type(client.chat("Hi", stream=True), AsyncChatStream)
    assert_type(await client.chat("Hi"), ChatOutput)
    assert_type(await client.chat("Hi", stream=False), ChatOutput)
    assert_type(client.generate_content_stream("Hi"), AsyncChatStream)
    assert_type(await client.generate_content("Hi"), ChatOutput)
    assert_type(client.start_chat().send_message_stream("Hi"), AsyncChatStream)
    assert_type(client.complete(MESSAGES, stream=True), AsyncCompletionStream)
    assert_type(await client.complete(MESSAGES, stream=True).open(), AsyncCompletionStream)
    assert_type(await client.complete(MESSAGES), Completion)
    assert_type(await client.generate_image("fox"), ImageOutput)
    assert_type(await client.text_to_speech("Hello"), AudioOutput)
    assert_type(await client.save(image, "out"), Path)
    async for chunk in client.chat("Hi", stream=True):
        assert_type(chunk, ChatOutput)


def sync_surface(client: SyncOneMinAIClient, image: GeneratedImage) -> None:
    """The sync client: the same methods, returning values and sync streams."""
    assert_type(client.chat("Hi", stream=True), SyncChatStream)
    assert_type(client.chat("Hi"), ChatOutput)
    assert_type(client.generate_content_stream("Hi"), SyncChatStream)
    assert_type(client.generate_content("Hi"), ChatOutput)
    assert_type(client.start_chat().send_message_stream("Hi"), SyncChatStream)
    assert_type(client.complete(MESSAGES, stream=True), SyncCompletionStream)
    assert_type(client.complete(MESSAGES), Completion)
    assert_type(client.generate_image("fox"), ImageOutput)
    assert_type(client.text_to_speech("Hello"), AudioOutput)
    assert_type(client.save(image, "out"), Path)
    for chunk in client.chat("Hi", stream=True):
        assert_type(chunk, ChatOutput)
