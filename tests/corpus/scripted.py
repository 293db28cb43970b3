"""A scripted model for the corpus: core clients whose ``chat()`` answers in-process.

They are the real sync and async clients, so ``complete()`` (which the adapters call) runs
for real; only their ``chat(prompt, stream=...)`` is scripted: it answers with replies chosen
by a responder, as real ``ChatOutput`` objects, streaming in uneven small pieces so that every
chunk boundary of the streaming logic is exercised. No sockets, no sleeps: the whole corpus
runs in seconds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from oneminai_webapi import ChatOutput, OneMinAIClient, SyncOneMinAIClient

from corpus import FINAL_ANSWER, REACT_FINAL, Entry

Responder = Callable[[str], str]
_PIECES = (1, 4, 2, 7, 3, 9, 5)


def responder(entry: Entry, *, react: bool = False) -> Responder:
    """Answer like the model of ``entry``: its reply, its retry, then a final answer.

    A prompt that already holds a tool result gets the final answer. A ReAct agent's prompts
    are told apart by order instead: its first request gets the reply, later ones the final
    ReAct answer.
    """
    state = {"turns": 0}

    def respond(prompt: str) -> str:
        if "## Correction" in prompt:
            return entry.retry_reply
        if react:
            state["turns"] += 1
            return entry.reply if state["turns"] == 1 else REACT_FINAL
        if "[Tool result" in prompt or "[Tool error" in prompt:
            return FINAL_ANSWER
        return entry.reply

    return respond


def pieces(text: str, *, most: int = 700) -> list[str]:
    """``text`` cut into uneven small pieces: about ``most`` at most (larger for long text)."""
    scale = max(1, len(text) * 2 // (most * 9))
    out: list[str] = []
    index = 0
    for size in _cycle():
        if index >= len(text):
            break
        out.append(text[index : index + size * scale])
        index += size * scale
    return out


def _outputs(text: str, model: str) -> list[ChatOutput]:
    pieces_ = pieces(text, most=150)  # the frameworks' per-chunk cost dominates large replies
    outputs: list[ChatOutput] = []
    so_far = ""
    for number, piece in enumerate(pieces_ or [""]):
        so_far += piece
        final = number == len(pieces_ or [""]) - 1
        outputs.append(
            ChatOutput(
                text=so_far,
                text_delta=piece,
                model=model,
                is_final=final,
                record_id="rec-1" if final else None,
                metadata={"status": "SUCCESS"} if final else {},
            )
        )
    return outputs


def _cycle() -> Iterator[int]:
    while True:
        yield from _PIECES


class _Stream:
    def __init__(self, outputs: list[ChatOutput]) -> None:
        self._outputs = outputs
        self.closed = False

    def __iter__(self) -> Iterator[ChatOutput]:
        return iter(self._outputs)

    def __enter__(self) -> _Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.closed = True

    async def __aiter__(self) -> AsyncIterator[ChatOutput]:  # type: ignore[misc]
        for output in self._outputs:
            yield output

    async def __aenter__(self) -> _Stream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


class _Script:
    """The scripted half shared by both clients: what was asked, and the answers."""

    def __init__(self, respond: Responder, model: str = "gpt-4o-mini") -> None:
        self.respond = respond
        self.model = model
        self.requests: list[dict[str, Any]] = []

    @property
    def prompts(self) -> list[str]:
        return [request["prompt"] for request in self.requests]

    def _answer(self, prompt: str, stream: bool, kwargs: dict[str, Any]) -> Any:
        self.requests.append({"prompt": prompt, "stream": stream, **kwargs})
        text = self.respond(prompt)
        model = str(kwargs.get("model") or self.model)
        if stream:
            return _Stream(_outputs(text, model))
        return ChatOutput(text=text, model=model, record_id="rec-1", metadata={"status": "SUCCESS"})


class ScriptedClient(_Script, SyncOneMinAIClient):
    """A ``SyncOneMinAIClient`` whose ``chat()`` is scripted."""

    def __init__(self, respond: Responder, model: str = "gpt-4o-mini") -> None:
        _Script.__init__(self, respond, model)
        SyncOneMinAIClient.__init__(self, "scripted-key")

    def chat(self, prompt: str, *, stream: bool = False, **kwargs: Any) -> Any:  # type: ignore[override]
        return self._answer(prompt, stream, kwargs)


class AsyncScriptedClient(_Script, OneMinAIClient):
    """A ``OneMinAIClient`` whose ``chat()`` is scripted."""

    def __init__(self, respond: Responder, model: str = "gpt-4o-mini") -> None:
        _Script.__init__(self, respond, model)
        OneMinAIClient.__init__(self, "scripted-key")

    def chat(self, prompt: str, *, stream: bool = False, **kwargs: Any) -> Any:  # type: ignore[override]
        # As OneMinAIClient.chat: the stream itself with stream=True, else an awaitable.
        answer = self._answer(prompt, stream, kwargs)
        return answer if stream else _ready(answer)


async def _ready(value: Any) -> Any:
    return value


def clients(entry: Entry, *, react: bool = False) -> tuple[ScriptedClient, AsyncScriptedClient]:
    """A sync and an async client sharing one responder for ``entry``."""
    respond = responder(entry, react=react)
    return ScriptedClient(respond), AsyncScriptedClient(respond)
