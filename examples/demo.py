"""The main job: chat, streaming, a multi-turn session, a LangChain chain and agent,
a LlamaIndex query, a media call, and one call through the OpenAI-compatible gateway with
the OpenAI SDK.

Run it with ``make demo`` or:

    uv run python examples/demo.py

Runs against the embedded emulator (started in this process), or against the real
1min.AI service when ONEMINAI_API_KEY is set (and ONEMINAI_BASE_URL, optionally).
The other scripts in this folder show each part in more detail.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile

from oneminai_webapi import OneMinAIClient, SyncOneMinAIClient
from oneminai_webapi.testing import Target, live_or_emulator


def banner(title: str) -> None:
    print(f"\n── {title} " + "─" * max(0, 66 - len(title)))


async def core_demo(target: Target) -> None:
    async with OneMinAIClient(target.api_key, base_url=target.base_url) as client:
        banner("1. chat")
        answer = await client.generate_content("What is 1min.AI in one sentence?")
        print(f"[{answer.model}] {answer}")

        banner("2. streaming")
        async with client.generate_content_stream("Count from one to five.") as stream:
            async for chunk in stream:
                print(chunk.text_delta, end="", flush=True)
        print()

        banner("3. multi-turn session")
        session = client.start_chat("gpt-4o-mini")
        first = await session.send_message("My name is Ada. Remember it.")
        print(f"turn 1 → {first}")
        second = await session.send_message("What is my name?")
        print(f"turn 2 → {second}")
        print(f"  conversation {session.conversation_id}, {session.turn_count} turns")
        await session.delete()

        banner("4. media: text to image")
        image = await client.generate_image("a red fox in the snow", num_images=1)
        print(f"image: {image.image.url if image.image else '(none)'}")
        if image.image is not None:
            with tempfile.TemporaryDirectory() as tmp:
                path = await image.image.save(tmp)
                print(f"saved {path.name} ({path.stat().st_size} bytes)")


def langchain_demo(target: Target) -> None:
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from langchain_core.tools import tool
    from langchain_oneminai import ChatOneMinAI

    banner("5. LangChain: a chain and an agent")
    llm = ChatOneMinAI(model="gpt-4o-mini", api_key=target.api_key, base_url=target.base_url)
    # The emulator echoes prompts; script the answer a model would give (the real service
    # ignores the script and answers itself).
    target.script_replies(["7 is a prime number."])
    chain = (
        ChatPromptTemplate.from_messages([("system", "Be brief."), ("human", "{question}")])
        | llm
        | StrOutputParser()
    )
    print("chain →", chain.invoke({"question": "Name a prime number."}))

    @tool
    def add(a: int, b: int) -> int:
        """Add two integers."""
        return a + b

    # The emulator is not a language model: script what a model would answer.
    target.script_replies(
        ['{"tool_calls": [{"name": "add", "arguments": {"a": 2, "b": 3}}]}', "2 + 3 = 5."]
    )
    from langchain.agents import create_agent

    agent = create_agent(llm, tools=[add])
    result = agent.invoke({"messages": [("human", "What is 2 + 3? Use the add tool.")]})
    for message in result["messages"]:
        calls = getattr(message, "tool_calls", None)
        print(f"  {type(message).__name__}: {calls or message.content}")


def llamaindex_demo(target: Target) -> None:
    from llama_index.core import Document, Settings, VectorStoreIndex
    from llama_index.core.embeddings import MockEmbedding
    from llama_index.llms.oneminai import OneMinAI

    banner("6. LlamaIndex: a query over local documents")
    Settings.embed_model = MockEmbedding(embed_dim=16)
    llm = OneMinAI(model="gpt-4o-mini", api_key=target.api_key, base_url=target.base_url)
    docs = [Document(text="1min.AI bundles many AI models behind one account and one API key.")]
    target.script_replies(["Many AI models, behind one account and one API key."])
    engine = VectorStoreIndex.from_documents(docs).as_query_engine(llm=llm)
    print("query →", engine.query("What does 1min.AI bundle?"))


def sync_demo(target: Target) -> None:
    banner("7. the sync client")
    with SyncOneMinAIClient(target.api_key, base_url=target.base_url) as client:
        print(client.generate_content("Say hello from the sync client."))


def gateway_demo(target: Target) -> None:
    import tempfile

    from oneminai_gateway import GatewayConfig, GatewayServer
    from openai import OpenAI

    banner("8. the OpenAI SDK through oneminai-gateway")
    with tempfile.TemporaryDirectory() as tmp:
        config = GatewayConfig.model_validate(
            {
                "server": {"port": 0, "ledger": f"{tmp}/usage.sqlite3"},
                "upstream": {"api_key": target.api_key, "base_url": target.base_url},
                "keys": [{"name": "demo", "key": "sk-gw-demo-key"}],
            }
        )
        # In production: `oneminai-gateway --config gateway.toml` (see docs/gateway.md).
        with (
            GatewayServer(config) as gateway,
            OpenAI(base_url=gateway.base_url + "/v1", api_key="sk-gw-demo-key") as openai,
        ):
            reply = openai.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": "Hello from the OpenAI SDK!"}],
            )
    extension = (reply.model_extra or {}).get("oneminai", {})
    tokens = reply.usage.total_tokens if reply.usage else 0
    print(f"[{reply.model}] {reply.choices[0].message.content}")
    print(f"  credits: {extension.get('credits')}, usage: {tokens} tokens (estimated)")


def main() -> int:
    # The real service when ONEMINAI_API_KEY is set, else an emulator in a background thread.
    with live_or_emulator(emulator_key="demo-key") as target:
        if target.is_live:
            print(f"ONEMINAI_API_KEY is set: using {target.description}.")
        else:
            print(f"No ONEMINAI_API_KEY: using {target.description}.")
        asyncio.run(core_demo(target))
        langchain_demo(target)
        llamaindex_demo(target)
        sync_demo(target)
        gateway_demo(target)
    print("\nDemo finished.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
