"""Issue 12 #5 through both clients: the credits a call cost, from its record."""

from __future__ import annotations

import pytest
from oneminai_webapi.testing import Fault

from .conftest import call, collect


def parts(output):
    return output.credits_used, output.input_credits, output.output_credits


@pytest.mark.onemin_emulator(credits_per_call=56)
async def test_a_chat_answer_reports_its_credits(client, emu):
    answer = await call(client.chat("Hello"))
    used, given, produced = parts(answer)
    assert used == 56 and given is not None and produced is not None
    assert given + produced == 56 and given > 0 and produced > 0
    assert answer.metadata["metadata"]["credit"] == 56


@pytest.mark.onemin_emulator(credits_per_call=56)
async def test_the_final_chunk_of_a_stream_reports_the_credits(client, emu):
    drained = await collect(client.chat("Hello", stream=True))
    assert parts(drained.final)[0] == 56
    assert all(parts(c) == (None, None, None) for c in drained.chunks if not c.is_final)


async def test_used_credit_of_the_team_lags_one_request(client, emu):
    # As seen live: teamUser.usedCredit leaves out the call its record belongs to, so the
    # client never derives per-call cost from it.
    first = await call(client.chat("one"))
    second = await call(client.chat("two"))
    assert first.metadata["teamUser"]["usedCredit"] == 0
    assert second.metadata["teamUser"]["usedCredit"] == first.credits_used == 100


async def test_a_feature_output_reports_credits_when_its_record_has_them(client, emu):
    record = {
        "uuid": "r-tts",
        "type": "TEXT_TO_SPEECH",
        "model": "tts-1",
        "status": "SUCCESS",
        "metadata": {"credit": 30, "inputCredit": 30, "outputCredit": 0},
        "aiRecordDetail": {"resultObject": ["audios/a.mp3"]},
        "temporaryUrl": f"{emu.base_url}/_emulator/files/audios/a.mp3?X-Amz-Signature=x",
    }
    emu.inject(Fault.status(200, {"aiRecord": record}), path="/api/features")
    out = await call(client.text_to_speech("Hello"))
    assert parts(out) == (30, 30, 0)


async def test_an_image_output_without_credit_metadata_reports_none(client, emu):
    out = await call(client.generate_image("a red apple"))
    assert parts(out) == (None, None, None)  # image records seen live carry no credits
