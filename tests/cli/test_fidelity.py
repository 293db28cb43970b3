"""``oneminai`` against the emulator speaking as the live service does in 2026 (issue 12)."""

from __future__ import annotations

from oneminai_webapi.testing import Emulator

from .conftest import run_cli

# ── #1 the repeated final content event ──────────────────────────────────────────────


def test_a_gpt5_answer_is_printed_once(emu: Emulator) -> None:
    r = run_cli("chat", "-m", "gpt-5", "hello", "there", emu=emu)
    assert r.code == 0, r.err
    assert r.out == "Echo from gpt-5: hello there\n"


def test_a_gpt5_answer_is_printed_once_in_the_interactive_mode(emu: Emulator) -> None:
    r = run_cli("chat", "-i", "-m", "gpt-5", emu=emu, stdin="hello\n/exit\n")
    assert r.code == 0, r.err
    assert r.out.count("Echo from gpt-5: hello") == 1, r.out
