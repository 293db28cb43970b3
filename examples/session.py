"""A multi-turn chat session: memory on the server, history, listing and deleting.

Run it with:

    uv run python examples/session.py

Without ``ONEMINAI_API_KEY`` the script starts a local emulator of 1min.AI; set
``ONEMINAI_API_KEY`` (and optionally ``ONEMINAI_BASE_URL``) to use the real service.

Reading the history (``chat.get_history()``) and listing conversations
(``client.list_conversations()``) exist only on the 1min.AI web-app API: they need a web-app
token (JWT) in ``ONEMINAI_API_KEY``. With a plain API key the service refuses them, and the
script prints a note instead and goes on; the chat turns and the deletion work with either.

``client.start_chat(model)`` returns a ``ChatSession``. The server-side conversation is
created with the first message; every later turn sends its id, so the service replays the
earlier messages to the model. The emulator answers by echoing the prompt and notes how many
earlier messages it received, which makes the memory visible.
"""

from __future__ import annotations

import asyncio

from oneminai_webapi import OneMinAIClient
from oneminai_webapi.exceptions import APIError
from oneminai_webapi.testing import Target, live_or_emulator


def note_skipped(step: str, exc: APIError) -> None:
    """Say in one line that the service refused a web-app-only step to an API key."""
    print(f"{step}: skipped, {exc.webapp_only}() needs a web-app token (JWT), not an API key")


async def run_session(target: Target) -> None:
    async with OneMinAIClient(target.api_key, base_url=target.base_url) as client:
        chat = client.start_chat("gpt-4o-mini", title="oneminai session example")
        can_list = True  # False once the service refuses list_conversations() to an API key
        print(f"before the first message: conversation_id={chat.conversation_id}")
        try:
            first = await chat.send_message("My name is Ada. Please remember it.")
            print(f"turn 1 → {first}")
            second = await chat.send_message("What is my name?")
            print(f"turn 2 → {second}")

            # Streamed and non-streamed turns share the same conversation.
            print("turn 3 → ", end="")
            async with chat.send_message_stream("Spell my name backwards.") as stream:
                async for chunk in stream:
                    print(chunk.text_delta, end="", flush=True)
            print()
            print(f"conversation {chat.conversation_id}: {chat.turn_count} turns")

            # The messages as the server stored them. `role` is "USER" for your prompts and
            # the model id (here "gpt-4o-mini") for the answers, as in the 1min.AI web app.
            # Web-app API only: with a plain API key the real service refuses it.
            try:
                history = await chat.get_history()
            except APIError as exc:
                if not exc.webapp_only:
                    raise
                note_skipped("history", exc)
            else:
                print(f"history: {len(history)} messages")
                for message in history:
                    print(f"  {message.role:>12}: {message.content[:60]}")

            # Every conversation of the account (on the real service there may be many).
            # Web-app API only, like the history.
            try:
                conversations = await client.list_conversations()
            except APIError as exc:
                if not exc.webapp_only:
                    raise
                note_skipped("list_conversations", exc)
                can_list = False
            else:
                ids = {record.conversation_id for record in conversations}
                print(
                    f"list_conversations: {len(conversations)} in total, "
                    f"ours listed: {chat.conversation_id in ids}"
                )
        finally:
            # Conversations persist on the server until deleted; clean up ours. This works
            # with an API key too.
            conversation_id = chat.conversation_id
            await chat.delete()
            print(f"deleted conversation {conversation_id}")

        if can_list:
            remaining = {record.conversation_id for record in await client.list_conversations()}
            print(f"still listed after delete: {conversation_id in remaining}")


def main() -> None:
    with live_or_emulator() as target:
        print(f"target: {target.description}")
        asyncio.run(run_session(target))


if __name__ == "__main__":
    main()
