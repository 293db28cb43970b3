"""§5 adapter overhead: LangChain ``ChatOneMinAI`` and LlamaIndex ``OneMinAI`` against the
core client on the same emulator, with the same prompt text on the wire.

The emulator echoes the prompt it received ("Echo from <model>: <prompt>"), so the harness
first asks each adapter once and then gives the core client exactly the prompt the adapter
sent: both sides then send the same request and get the same answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from ._util import KEY, MODEL, PROMPT, emulator, median

ECHO = f"Echo from {MODEL}: "


def _sent_prompt(text: str) -> str:
    if not text.startswith(ECHO):
        raise AssertionError(f"unexpected reply {text[:80]!r}")
    return text[len(ECHO) :]


def _pairs(
    base: str,
) -> tuple[list[tuple[str, Callable[[], str], Callable[[], Any]]], dict[str, str], list[Any]]:
    """(name, adapter call -> reply text, direct call factory) for every importable adapter."""
    from oneminai_webapi import SyncOneMinAIClient

    core = SyncOneMinAIClient(KEY, base_url=base)
    closers: list[Any] = [core.close]
    pairs = []
    errors = {}
    try:
        from langchain_core.messages import HumanMessage
        from langchain_oneminai import ChatOneMinAI

        lc = ChatOneMinAI(model=MODEL, api_key=KEY, base_url=base)
        msgs = [HumanMessage(PROMPT)]
        pairs.append(("LangChain ChatOneMinAI.invoke", lambda: str(lc.invoke(msgs).content), core))
    except Exception as exc:  # in progress elsewhere: report, do not fail
        errors["LangChain ChatOneMinAI.invoke"] = f"{type(exc).__name__}: {exc}"[:200]
    try:
        from llama_index.core.llms import ChatMessage
        from llama_index.llms.oneminai import OneMinAI

        li = OneMinAI(model=MODEL, api_key=KEY, base_url=base)
        li_msgs = [ChatMessage(role="user", content=PROMPT)]
        pairs.append(
            ("LlamaIndex OneMinAI.chat", lambda: str(li.chat(li_msgs).message.content), core)
        )
    except Exception as exc:
        errors["LlamaIndex OneMinAI.chat"] = f"{type(exc).__name__}: {exc}"[:200]
    return pairs, errors, closers


def measure(rounds: int = 7, n: int = 60) -> tuple[list[dict[str, Any]], dict[str, str]]:
    results = []
    with emulator() as emu:
        pairs, errors, closers = _pairs(emu.base_url)
        try:
            for name, adapter, core in pairs:
                try:
                    prompt = _sent_prompt(adapter())
                except Exception as exc:
                    errors[name] = f"{type(exc).__name__}: {exc}"[:200]
                    continue

                def direct(prompt: str = prompt, core: Any = core) -> str:
                    return core.generate_content(prompt, MODEL).text

                assert direct() == ECHO + prompt
                calls = {"adapter": adapter, "core": direct}
                for fn in calls.values():  # warm-up
                    for _ in range(5):
                        fn()
                walls: dict[str, list[float]] = {"adapter": [], "core": []}
                cpus: dict[str, list[float]] = {"adapter": [], "core": []}
                for r in range(rounds):
                    for who in ("adapter", "core") if r % 2 == 0 else ("core", "adapter"):
                        fn = calls[who]
                        w0, c0 = time.perf_counter(), time.process_time()
                        for _ in range(n):
                            fn()
                        walls[who].append((time.perf_counter() - w0) / n)
                        cpus[who].append((time.process_time() - c0) / n)
                results.append(
                    {
                        "name": name,
                        "prompt_words": len(prompt.split()),
                        "adapter_ms": median(walls["adapter"]) * 1e3,
                        "core_ms": median(walls["core"]) * 1e3,
                        "wall_ratio": median(
                            [a / c for a, c in zip(walls["adapter"], walls["core"], strict=True)]
                        ),
                        "adapter_cpu_ms": median(cpus["adapter"]) * 1e3,
                        "core_cpu_ms": median(cpus["core"]) * 1e3,
                        "cpu_ratio": median(
                            [a / c for a, c in zip(cpus["adapter"], cpus["core"], strict=True)]
                        ),
                    }
                )
        finally:
            for close in closers:
                close()
    return results, errors


if __name__ == "__main__":
    res, err = measure(3, 30)
    for r in res:
        print(r)
    print(err)
    asyncio.run(asyncio.sleep(0))
