"""Issue 12 #6: web-search sources from ``aiRecordDetail.promptObject`` as typed ``Source``."""

from __future__ import annotations

from typing import Any

from oneminai_webapi import Source as RootSource
from oneminai_webapi._protocol._chat import output_from_record
from oneminai_webapi._protocol._records import record_sources
from oneminai_webapi.types import Source


def record(prompt_object: dict[str, Any] | None = None, **detail: Any) -> dict[str, Any]:
    body = {"resultObject": ["answer"], **detail}
    if prompt_object is not None:
        body["promptObject"] = {"prompt": "q", **prompt_object}
    return {"status": "SUCCESS", "aiRecordDetail": body}


def test_search_and_link_lists_become_sources() -> None:
    rec = record(
        {
            "searchContentList": [
                {"title": "A", "link": "https://a.example/", "snippet": "about a", "position": 1},
                {"name": "B", "url": "https://b.example/", "description": "about b"},
            ],
            "linkContentList": [{"url": "https://c.example/", "content": "page text"}],
        }
    )
    sources = output_from_record(rec).sources
    assert [(s.title, s.url, s.snippet) for s in sources] == [
        ("A", "https://a.example/", "about a"),
        ("B", "https://b.example/", "about b"),
        ("", "https://c.example/", "page text"),
    ]
    assert all(isinstance(s, Source) for s in sources) and Source is RootSource
    first = sources[0]
    assert first.model_extra == {"link": "https://a.example/", "position": 1}  # kept
    assert first["url"] == first.get("url") == "https://a.example/" and "url" in first
    assert first.get("position") == 1 and first.get("missing", 0) == 0
    assert list(first.keys())[:3] == ["title", "url", "snippet"] and "a.example" in repr(first)
    assert first.model_dump()["position"] == 1


def test_the_same_url_is_listed_once_and_empty_items_are_skipped() -> None:
    rec = record(
        {
            "searchContentList": [{"url": "https://x/"}, {}, None, 3, {"title": 5}],
            "linkContentList": ["https://x/", "https://y/", "a note", ""],
        }
    )
    sources = record_sources(rec)
    assert [(s.url, s.snippet) for s in sources] == [
        ("https://x/", ""),
        ("https://y/", ""),
        ("", "a note"),
    ]


def test_a_long_page_content_gives_a_short_snippet_and_stays_whole() -> None:
    text = "word " * 1000
    [source] = record_sources(record({"linkContentList": [{"url": "https://p/", "content": text}]}))
    assert len(source.snippet) <= 500 and source.get("content") == text


def test_the_earlier_sources_field_is_the_fallback() -> None:
    rec = record({"searchContentList": [], "linkContentList": []}, sources=[{"url": "https://o/"}])
    assert [s.url for s in output_from_record(rec).sources] == ["https://o/"]
    assert [s.url for s in record_sources({"sources": ["https://r/"]})] == ["https://r/"]
    assert record_sources(record()) == []
