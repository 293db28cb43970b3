"""LlamaIndex: questions over your own documents, and the 1min.AI media tools in an agent.

Run it with:

    uv run python examples/llamaindex_rag.py

Without ``ONEMINAI_API_KEY`` the script starts a local emulator of 1min.AI; set
``ONEMINAI_API_KEY`` (and optionally ``ONEMINAI_BASE_URL``) to use the real service.

What it shows:

1. A ``VectorStoreIndex`` over a few in-memory documents, queried with the ``OneMinAI`` LLM
   (one normal and one streaming query).
2. ``OneMinAIToolSpec``: 1min.AI image generation as a tool of a LlamaIndex ``FunctionAgent``.
"""

from __future__ import annotations

import asyncio
import json
import textwrap

from llama_index.core import Document, VectorStoreIndex
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult
from llama_index.core.embeddings import MockEmbedding
from llama_index.core.memory import ChatMemoryBuffer
from llama_index.llms.oneminai import OneMinAI
from llama_index.tools.oneminai import OneMinAIToolSpec
from oneminai_webapi.testing import Target, live_or_emulator

# A tiny knowledge base about a made-up bicycle shop.
HANDBOOK = [
    "Harbour Bikes is open Tuesday to Saturday, from 9:00 to 18:00. It is closed on Mondays.",
    "Bikes bought at Harbour Bikes can be returned within 30 days with the receipt.",
    "Harbour Bikes rents city bikes for 15 euros a day; a helmet is included.",
]


def build_index() -> VectorStoreIndex:
    documents = [Document(text=text) for text in HANDBOOK]
    # MockEmbedding turns every text into the same constant vector, so this example needs no
    # embedding service and no download. A real application would use a real embedding model
    # here (for example an OpenAI or HuggingFace one) so that retrieval finds the passages
    # that match the question. 1min.AI itself offers no embedding endpoint.
    return VectorStoreIndex.from_documents(documents, embed_model=MockEmbedding(embed_dim=8))


def ask_the_handbook(target: Target, llm: OneMinAI) -> None:
    index = build_index()
    # With mock embeddings the ranking means nothing, so retrieve all three passages.
    engine = index.as_query_engine(llm=llm, similarity_top_k=3)

    # The emulator echoes prompts instead of reading the context, so tell it what a model
    # would answer. The real service ignores `script_replies` and answers from the context.
    target.script_replies(["You can return a bike within 30 days, with the receipt."])
    question = "How long do I have to return a bike?"
    response = engine.query(question)
    print(f"Q: {question}")
    print(f"A: {response}")
    print(f"   ({len(response.source_nodes)} passages were given to the model as context)")

    # The same engine, streaming: `response_gen` yields the answer piece by piece.
    streaming_engine = index.as_query_engine(llm=llm, similarity_top_k=3, streaming=True)
    target.script_replies(["Harbour Bikes is closed on Mondays."])
    question = "Can I visit the shop on a Monday?"
    print(f"Q: {question}")
    print("A: ", end="")
    streaming_response = streaming_engine.query(question)
    for text in streaming_response.response_gen:
        print(text, end="", flush=True)
    print()


async def draw_with_an_agent(target: Target, llm: OneMinAI) -> None:
    spec = OneMinAIToolSpec(api_key=target.api_key, base_url=target.base_url)
    # `to_tool_list` gives the spec's tools (by default the media tools and
    # `oneminai_ask`); here we pick image generation only. The tools are the same as the
    # LangChain tools and the `oneminai-mcp` server's: same names, descriptions, arguments.
    tools = spec.to_tool_list(["oneminai_image_generation"])
    agent = FunctionAgent(
        tools=tools,
        llm=llm,
        system_prompt="You design shop posters. Use the image tool, then reply briefly.",
    )

    # For the emulator only: a model's two replies, first a tool call in the format the
    # adapter asks models to use, then the final answer once the tool result is back.
    call = {
        "name": "oneminai_image_generation",
        "arguments": {"prompt": "a poster of a city bike by a harbour", "aspect_ratio": "portrait"},
    }
    target.script_replies(
        [
            f"```tool_calls\n{json.dumps({'tool_calls': [call]})}\n```",
            "Here is your poster of a city bike by the harbour.",
        ]
    )
    try:
        # ChatMemoryBuffer keeps the chat in memory (LlamaIndex's default memory would
        # open an SQLite database for this short run).
        handler = agent.run(
            "Make a poster for our bike rental.",
            memory=ChatMemoryBuffer.from_defaults(token_limit=8000),
        )
        async for event in handler.stream_events():
            if isinstance(event, ToolCallResult):
                print(f"tool {event.tool_name}({json.dumps(event.tool_kwargs)}) returned:")
                print(textwrap.indent(event.tool_output.content, "  "))
        answer = await handler
        print(f"agent: {answer}")
    finally:
        await spec.aclose()
        spec.close()


def main() -> None:
    with live_or_emulator() as target:
        print(f"target: {target.description}")
        llm = OneMinAI(model="gpt-4o-mini", api_key=target.api_key, base_url=target.base_url)
        try:
            print("── 1. querying the handbook")
            ask_the_handbook(target, llm)
            print("── 2. an agent with the 1min.AI image tool")
            asyncio.run(draw_with_an_agent(target, llm))
        finally:
            llm.close()  # the async clients close with their event loop


if __name__ == "__main__":
    main()
