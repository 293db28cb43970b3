"""The release workflow: tag → build and check every package → publish the tagged one to PyPI
with trusted publishing (no token)."""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

import pytest
import yaml

from .test_dist import ROOT, dist

WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def _workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in job["steps"])


def _uses(job: dict[str, Any]) -> list[str]:
    return [str(step["uses"]) for step in job["steps"] if "uses" in step]


def test_a_pushed_tag_of_each_package_triggers_it() -> None:
    data = _workflow()
    trigger = data.get("on", data.get(True))  # YAML 1.1 reads the key `on` as True
    patterns = trigger["push"]["tags"]
    for pkg in dist.packages():
        tag = f"{pkg.name}-v{pkg.version}"
        assert any(fnmatch.fnmatchcase(tag, p) for p in patterns), tag
        assert dist.release_target(tag) == pkg
    assert not any(fnmatch.fnmatchcase("main", p) for p in patterns)


def test_build_tests_and_checks_before_publishing() -> None:
    jobs = _workflow()["jobs"]
    runs = _runs(jobs["build"])
    assert "make test" in runs
    assert "scripts/dist.py" in runs and '--release-tag "${GITHUB_REF_NAME}"' in runs
    assert (ROOT / "scripts" / "dist.py").is_file()
    assert jobs["publish"]["needs"] == "build"


def test_publishing_uses_trusted_publishing_only() -> None:
    data = _workflow()
    assert data["permissions"] == {"contents": "read"}
    publish = data["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    (step,) = [s for s in publish["steps"] if "pypi-publish" in str(s.get("uses", ""))]
    assert str(step["uses"]).startswith("pypa/gh-action-pypi-publish@")
    assert not {"password", "user"} & set(step.get("with", {}))  # no API token
    assert "id-token" not in str(data["jobs"]["build"].get("permissions", {}))
    assert all("@" in uses for job in data["jobs"].values() for uses in _uses(job))


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("oneminai-webapi-v0.0.1", "says version"),
        ("no-such-package-v1.0.0", "names no package"),
        ("v2.0.0", "names no package"),
    ],
)
def test_a_tag_that_does_not_match_a_package_is_refused(tag: str, message: str) -> None:
    with pytest.raises(SystemExit, match=message):
        dist.release_target(tag)


def test_the_docs_explain_releasing() -> None:
    text = (ROOT / "docs" / "releasing.md").read_text(encoding="utf-8")
    for needle in ("trusted publisher", "release.yml", "make dist", "pip install ./libs/core"):
        assert needle in text
    assert isinstance(Path(WORKFLOW), Path)
