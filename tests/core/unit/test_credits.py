"""Issue 12 #5: credits as records report them (``metadata.credit`` = input + output)."""

from __future__ import annotations

from typing import Any

import pytest
from oneminai_webapi._credits import record_credits
from oneminai_webapi._protocol._chat import output_from_record
from oneminai_webapi.types import AudioOutput, ChatOutput, ImageOutput, TranscriptionOutput

# A live chat record (docs/protocol.md, source SF).
LIVE = {"credit": 56, "inputCredit": 45, "outputCredit": 11}


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        (LIVE, (56, 45, 11)),
        ({"credit": 56.0, "inputCredit": "45", "outputCredit": 11}, (56, 45, 11)),
        ({"inputCredit": 3, "outputCredit": 4}, (7, 3, 4)),
        ({"credit": 9}, (9, None, None)),
        ({}, (None, None, None)),
        (None, (None, None, None)),
        ({"credit": True, "inputCredit": "x", "outputCredit": float("nan")}, (None, None, None)),
    ],
)
def test_record_credits(metadata: Any, expected: tuple[Any, ...]) -> None:
    assert record_credits({"metadata": metadata, "teamUser": {"usedCredit": 999}}) == expected


def test_used_credit_of_the_team_is_never_read() -> None:
    assert record_credits({"teamUser": {"usedCredit": 5000}, "credit": 7}) == (None, None, None)


def test_a_chat_answer_carries_its_credits() -> None:
    record = {"status": "SUCCESS", "metadata": LIVE, "aiRecordDetail": {"resultObject": ["Hi"]}}
    out = output_from_record(record)
    assert (out.credits_used, out.input_credits, out.output_credits) == (56, 45, 11)
    assert out.model_dump()["credits_used"] == 56
    assert ChatOutput(text="x").credits_used is None


@pytest.mark.parametrize("cls", [ImageOutput, AudioOutput, TranscriptionOutput])
def test_feature_outputs_read_credits_from_their_record(cls: type[Any]) -> None:
    out = cls(metadata={"uuid": "r", "metadata": LIVE})
    assert (out.credits_used, out.input_credits, out.output_credits) == (56, 45, 11)
    silent = cls(metadata={"uuid": "r", "metadata": {}})  # image records seen live: none
    assert silent.credits_used is None and silent.input_credits is None
    given = cls(metadata={"metadata": LIVE}, credits_used=1)
    assert given.credits_used == 1
