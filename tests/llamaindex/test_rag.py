"""Retrieval-augmented generation over a small local corpus (MockEmbedding, no network)."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core import Document, VectorStoreIndex
from llama_index.core.embeddings import MockEmbedding
from llama_index.core.memory import ChatMemoryBuffer
from llama_index.llms.oneminai import OneMinAI

CORPUS = [
    "The capital of France is Paris. Paris lies on the Seine.",
    "The Moon orbits the Earth about every 27 days.",
    "Python was created by Guido van Rossum and first released in 1991.",
]


def _grounded(turn: Any) -> str:
    """Answer only if the retrieved context reached the prompt."""
    return "Paris is the capital." if "capital of France is Paris" in turn.prompt else "no context"


def _memory() -> ChatMemoryBuffer:
    # LlamaIndex's default ``Memory`` keeps an aiosqlite connection that is never closed
    # (a ResourceWarning, an error under ``filterwarnings=error``); the buffer has none.
    return ChatMemoryBuffer.from_defaults(token_limit=4000)


@pytest.fixture
def index() -> VectorStoreIndex:
    return VectorStoreIndex.from_documents(
        [Document(text=t) for t in CORPUS], embed_model=MockEmbedding(embed_dim=8)
    )


def test_query_engine(index: VectorStoreIndex, llm: OneMinAI, emu: Any) -> None:
    emu.script_replies([_grounded])
    engine = index.as_query_engine(llm=llm, similarity_top_k=3)
    response = engine.query("What is the capital of France?")
    assert str(response) == "Paris is the capital."
    assert response.source_nodes


def test_streaming_query_engine(index: VectorStoreIndex, llm: OneMinAI, emu: Any) -> None:
    emu.script_replies([_grounded])
    engine = index.as_query_engine(llm=llm, streaming=True, similarity_top_k=3)
    response = engine.query("What is the capital of France?")
    tokens = list(response.response_gen)
    assert len(tokens) > 1
    assert "".join(tokens) == "Paris is the capital."


async def test_async_streaming_query_engine(
    index: VectorStoreIndex, llm: OneMinAI, emu: Any
) -> None:
    emu.script_replies([_grounded])
    engine = index.as_query_engine(llm=llm, streaming=True, similarity_top_k=3)
    response = await engine.aquery("What is the capital of France?")
    tokens = [t async for t in response.async_response_gen()]
    assert "".join(tokens) == "Paris is the capital."


def test_condense_plus_context_chat_engine(
    index: VectorStoreIndex, llm: OneMinAI, emu: Any
) -> None:
    engine = index.as_chat_engine(
        chat_mode="condense_plus_context", llm=llm, similarity_top_k=3, memory=_memory()
    )
    emu.script_replies([_grounded])
    assert str(engine.chat("What is the capital of France?")) == "Paris is the capital."
    # Second turn: the question is first condensed with the history, then answered.
    emu.script_replies(["What river runs through Paris?", "The Seine."])
    assert str(engine.chat("Which river runs through it?")) == "The Seine."
    prompts = [r.json["promptObject"]["prompt"] for r in emu.requests_to("/api/chat-with-ai")]
    condense, answer = prompts[1], prompts[2]
    assert "Paris is the capital." in condense and "Which river runs through it?" in condense
    assert "capital of France is Paris" in answer  # retrieved context reached the answer prompt


def test_condense_plus_context_streaming(index: VectorStoreIndex, llm: OneMinAI, emu: Any) -> None:
    engine = index.as_chat_engine(
        chat_mode="condense_plus_context", llm=llm, similarity_top_k=3, memory=_memory()
    )
    emu.script_replies([_grounded])
    streamed = engine.stream_chat("What is the capital of France?")
    assert "".join(streamed.response_gen) == "Paris is the capital."


async def test_condense_plus_context_async(
    index: VectorStoreIndex, llm: OneMinAI, emu: Any
) -> None:
    engine = index.as_chat_engine(
        chat_mode="condense_plus_context", llm=llm, similarity_top_k=3, memory=_memory()
    )
    emu.script_replies([_grounded, "Who created Python?", "Guido van Rossum."])
    assert str(await engine.achat("What is the capital of France?")) == "Paris is the capital."
    streamed = await engine.astream_chat("And who made Python?")
    assert "".join([t async for t in streamed.async_response_gen()]) == "Guido van Rossum."


def test_simple_chat_engine_keeps_history(llm: OneMinAI, emu: Any) -> None:
    from llama_index.core.chat_engine import SimpleChatEngine

    engine = SimpleChatEngine.from_defaults(llm=llm, memory=_memory())
    emu.script_replies(["Nice to meet you, Ada.", lambda t: "Ada" if "Ada" in t.prompt else "?"])
    engine.chat("My name is Ada.")
    assert str(engine.chat("What is my name?")) == "Ada"
