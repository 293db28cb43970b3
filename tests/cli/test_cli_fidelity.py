"""``oneminai`` against the emulator speaking as the live service does in 2026 (issue 12)."""

from __future__ import annotations

from pathlib import Path

from oneminai_webapi.testing import Emulator, Fault

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


# ── #4 errors ────────────────────────────────────────────────────────────────────────


def test_a_moderated_answer_is_an_error_not_an_answer(emu: Emulator) -> None:
    for extra in ((), ("--no-stream",)):
        r = run_cli("chat", *extra, "say", "[moderate-me]", emu=emu)
        assert r.code == 1 and r.out == "", (r.out, r.err)
        assert "moderation" in r.error_line.lower()


def test_a_provider_refusal_shows_the_provider_reason(emu: Emulator) -> None:
    emu.inject(Fault.provider_error("the prompt is too long"), path="/api/chat-with-ai")
    r = run_cli("chat", "hi", emu=emu)
    assert r.code == 1 and "the prompt is too long" in r.error_line


def test_an_unknown_result_id_is_not_found(emu: Emulator) -> None:
    r = run_cli("result", "00000000-0000-4000-8000-000000000000", emu=emu)
    assert r.code == 1 and "no record" in r.error_line


# ── #5 credits ───────────────────────────────────────────────────────────────────────


def test_verbose_prints_the_credits_of_a_chat_on_stderr(emu: Emulator) -> None:
    for extra in ((), ("--no-stream",), ("--json",)):
        r = run_cli("chat", "--verbose", *extra, "hello", emu=emu)
        assert r.code == 0, r.err
        assert "Echo from gpt-4o-mini: hello" in r.out and "credits" not in r.out
        line = next(x for x in r.err.splitlines() if x.startswith("credits used:"))
        used, rest = line.removeprefix("credits used: ").split(" ", 1)
        assert int(used) == 100 and "input" in rest and "output" in rest


def test_without_verbose_no_credits_are_printed(emu: Emulator) -> None:
    r = run_cli("chat", "hello", emu=emu)
    assert r.code == 0 and "credits" not in r.err


def test_verbose_says_when_a_record_reports_no_credits(emu: Emulator, tmp_path: Path) -> None:
    r = run_cli("-v", "image", "a red apple", "--out", str(tmp_path), emu=emu)
    assert r.code == 0, r.err
    assert "credits used: not reported by the service" in r.err


def test_verbose_in_the_interactive_mode(emu: Emulator) -> None:
    r = run_cli("chat", "-i", "-v", emu=emu, stdin="hello\n/exit\n")
    assert r.code == 0, r.err
    assert r.err.count("credits used: 100") == 1
