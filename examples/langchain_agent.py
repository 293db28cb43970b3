"""A LangChain agent that uses the 1min.AI media tools and one plain Python tool.

Run it with:

    uv run python examples/langchain_agent.py

Without ``ONEMINAI_API_KEY`` the script starts a local emulator of 1min.AI; set
``ONEMINAI_API_KEY`` (and optionally ``ONEMINAI_BASE_URL``) to use the real service.

``ChatOneMinAI`` is a LangChain chat model. 1min.AI has no native tool calling, so the
adapter describes the tools in the prompt and parses the model's reply back into tool
calls; ``langchain.agents.create_agent`` then runs the usual loop (model → tools → model).
``OneMinAIToolkit`` provides the media tools (image, speech, video, …); they return a short
text for the model and keep the URLs in the tool message's ``artifact``.
"""

from __future__ import annotations

import json

from langchain.agents import create_agent
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.tools import tool
from langchain_oneminai import ChatOneMinAI, OneMinAIToolkit
from oneminai_webapi.testing import Target, live_or_emulator


@tool
def bake_sale_details() -> str:
    """Look up when and where the school bake sale takes place."""
    return "Saturday 14 June, 10:00-13:00, in the Town Hall. Cupcakes cost 2 euros."


def tool_call_reply(*calls: tuple[str, dict[str, object]]) -> str:
    """A reply in the format the adapter asks models to use for tool calls."""
    payload = {"tool_calls": [{"name": name, "arguments": args} for name, args in calls]}
    return f"```tool_calls\n{json.dumps(payload)}\n```"


def script_the_model(target: Target) -> None:
    """Tell the emulator what a model would answer at each step of the agent loop.

    The emulator is not a language model: it echoes prompts. So, for the emulator only, we
    queue the replies a real model would give: one per agent step. Against the real service
    `script_replies` does nothing and the model decides for itself.
    """
    slogan = "Sweet treats for a sweet cause!"
    target.script_replies(
        [
            # Step 1: the model first looks the details up with the plain tool.
            tool_call_reply(("bake_sale_details", {})),
            # Step 2: it calls two media tools at once: a poster image and a spoken slogan.
            tool_call_reply(
                (
                    "oneminai_image_generation",
                    {"prompt": "a cheerful poster of cupcakes at a bake sale", "num_images": 1},
                ),
                ("oneminai_text_to_speech", {"text": slogan, "voice": "nova"}),
            ),
            # Step 3: no more tool calls, so this text is the agent's final answer.
            f"The bake sale is on Saturday 14 June in the Town Hall. {slogan} "
            "The poster and the spoken slogan are ready.",
        ]
    )


def print_trace(messages: list[BaseMessage]) -> None:
    for message in messages:
        kind = type(message).__name__
        if isinstance(message, AIMessage) and message.tool_calls:
            for call in message.tool_calls:
                print(f"  {kind} → tool call {call['name']}({json.dumps(call['args'])})")
        elif isinstance(message, ToolMessage):
            print(f"  {kind} [{message.name}]: {message.content}")
            if message.artifact:  # the media tools put URLs and asset keys here
                print(f"    artifact keys: {sorted(message.artifact)}")
        else:
            print(f"  {kind}: {message.content}")


def main() -> None:
    with live_or_emulator() as target:
        print(f"target: {target.description}")
        llm = ChatOneMinAI(model="gpt-4o-mini", api_key=target.api_key, base_url=target.base_url)

        # The toolkit's tools share one connection pool. `include` picks a subset.
        toolkit = OneMinAIToolkit(
            api_key=target.api_key,
            base_url=target.base_url,
            include=["image_generation", "text_to_speech"],
        )
        tools = [bake_sale_details, *toolkit.get_tools()]
        print("tools:", ", ".join(t.name for t in tools))

        agent = create_agent(
            llm,
            tools=tools,
            system_prompt="You help a school promote events. Use the tools; be brief.",
        )
        script_the_model(target)
        question = (
            "Promote our bake sale: look up its details, make a poster image and "
            "record a short spoken slogan."
        )
        try:
            result = agent.invoke({"messages": [("human", question)]})
        finally:
            toolkit.api_wrapper.close()
            llm.close()

        print("message trace:")
        print_trace(result["messages"])


if __name__ == "__main__":
    main()
