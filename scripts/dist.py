"""Build every workspace package (``libs/*``) into wheels and sdists, and check them.

``make dist`` runs ``python scripts/dist.py --out dist``; ``tests/release/test_dist.py`` runs the
same steps into a temporary folder. Nothing here names a package: a new ``libs/<name>`` with a
``pyproject.toml`` is built and checked like the others.

``--release-tag <name>-v<version>`` (the release workflow) then keeps only that package's
files and prints ``name=``, ``version=`` and ``folder=`` for the workflow's outputs.

Steps:

1. ``uv build --all-packages --no-build-isolation --offline`` (the build backend comes from
   the locked dev environment, so the build needs no network; each wheel is built from its
   sdist, which proves the sdist is complete).
2. Check each package's metadata and files (:func:`check_package`): an MIT LICENSE, authors,
   classifiers, project URLs (the same for every package), a README with an install line and
   a Python sample, dependency floors, a ``py.typed`` in every package, no tests or caches;
   a ``llama-index-<type>-<name>`` package also needs LlamaHub's ``[tool.llamahub]`` table
   (:func:`check_llamahub`).
3. Install the wheels, without their dependencies, into a fresh virtual environment that
   sees the dev environment's third-party packages but not the workspace sources, then
   import every package from the wheels, check every declared requirement is met, run the
   console scripts and one call against the emulator (:data:`SMOKE`).
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import email.parser
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
#: Paths that must never ship (tests, caches, bytecode).
FORBIDDEN = re.compile(
    r"(^|/)(tests?|__pycache__|\.pytest_cache|\.mypy_cache|\.ruff_cache|\.hypothesis)(/|$)"
    r"|\.py[co]$|(^|/)conftest\.py$"
)


@dataclass(frozen=True)
class Package:
    """A workspace member as its ``pyproject.toml`` declares it."""

    path: Path
    project: dict  # type: ignore[type-arg]
    tool: dict = dataclasses.field(default_factory=dict)  # type: ignore[type-arg]

    @property
    def name(self) -> str:
        """The distribution name."""
        return str(self.project["name"])

    @property
    def version(self) -> str:
        """The version."""
        return str(self.project["version"])

    @property
    def stem(self) -> str:
        """The file-name form of the name (PEP 427 / PEP 625)."""
        return re.sub(r"[-_.]+", "_", self.name).lower()


def packages() -> list[Package]:
    """Every ``libs/*`` member (the workspace's ``members`` glob)."""
    found = []
    for pyproject in sorted(ROOT.glob("libs/*/pyproject.toml")):
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        found.append(Package(pyproject.parent, data["project"], data.get("tool", {})))
    return found


def uv() -> list[str]:
    """The uv command (``uv run`` exports ``UV``)."""
    exe = os.environ.get("UV") or shutil.which("uv")
    return [exe] if exe else [sys.executable, "-m", "uv"]


def build(out: Path) -> None:
    """Wheels and sdists of every package into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [*uv(), "build", "--all-packages", "--no-build-isolation", "--offline",
         "--python", sys.executable, "--out-dir", str(out), "--quiet"],
        cwd=ROOT, check=True,
    )  # fmt: skip


# ── checks ──────────────────────────────────────────────────────────────────────────────


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[\s\[<>=!~;(]", requirement, maxsplit=1)[0]).lower()


def check_sources(pkg: Package, all_pkgs: list[Package]) -> list[str]:
    """What the package declares and carries in the repository."""
    problems = []
    project = pkg.project
    where = pkg.path.relative_to(ROOT) if pkg.path.is_relative_to(ROOT) else pkg.path
    license_file = pkg.path / "LICENSE"
    if project.get("license") != "MIT":
        problems.append(f'{where}: license must be the SPDX expression "MIT"')
    if not license_file.is_file() or not license_file.read_text().startswith("MIT License"):
        problems.append(f"{where}: LICENSE must be the MIT licence text")
    for key in ("authors", "classifiers", "urls", "description", "requires-python"):
        if not project.get(key):
            problems.append(f"{where}: [project] has no {key}")
    if "Typing :: Typed" not in project.get("classifiers", []):
        problems.append(f"{where}: classifiers must include 'Typing :: Typed'")
    urls = {p.name: p.project.get("urls") for p in all_pkgs}
    if len({repr(sorted((u or {}).items())) for u in urls.values()}) > 1:
        problems.append(f"{where}: [project.urls] differ between packages: {urls}")
    readme = pkg.path / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    if "```python" not in text or f"pip install {pkg.name}" not in text:
        problems.append(f"{where}: README.md needs 'pip install {pkg.name}' and a Python sample")
    siblings = {p.name for p in all_pkgs}
    for requirement in project.get("dependencies", []):
        if not re.search(r">=|==|~=", requirement):
            problems.append(f"{where}: dependency without a version floor: {requirement!r}")
        elif _name(requirement) in siblings and ">=" not in requirement:
            problems.append(f"{where}: workspace dependency needs a floor: {requirement!r}")
    return problems


def _exported(init: Path) -> set[str]:
    """The names an ``__init__.py`` lists in ``__all__`` (read, not imported)."""
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return {str(v) for v in ast.literal_eval(node.value)}
    return set()


def check_llamahub(pkg: Package) -> list[str]:
    """LlamaHub's metadata of a ``llama-index-<type>-<name>`` package (others: none needed).

    LlamaHub lists an integration by ``[tool.llamahub] import_path``, which must be the module
    the distribution name implies (``llama_index.<type>.<name>``), and credits each class in
    ``[tool.llamahub.class_authors]`` (class name → GitHub handle); every class named there
    must be exported by that module.
    """
    match = re.fullmatch(r"llama-index-([a-z]+)-([a-z0-9-]+)", pkg.name)
    if not match:
        return []
    where = pkg.path.relative_to(ROOT) if pkg.path.is_relative_to(ROOT) else pkg.path
    module = f"llama_index.{match[1]}.{match[2].replace('-', '_')}"
    hub = pkg.tool.get("llamahub", {})
    problems = []
    if hub.get("import_path") != module:
        problems.append(f"{where}: [tool.llamahub] import_path must be {module!r}")
    init = pkg.path.joinpath("src", *module.split("."), "__init__.py")
    if not init.is_file():
        return [*problems, f"{where}: no {init.relative_to(pkg.path)} for {module}"]
    authors = hub.get("class_authors") or {}
    if not authors:
        problems.append(f"{where}: [tool.llamahub.class_authors] names no class")
    exported = _exported(init)
    for name, handle in authors.items():
        if name not in exported:
            problems.append(f"{where}: class_authors names {name}, which {module} does not export")
        if not isinstance(handle, str) or not re.fullmatch(r"[A-Za-z0-9-]+", handle):
            problems.append(f"{where}: class_authors[{name!r}] is not a GitHub handle: {handle!r}")
    return problems


def _metadata(text: str) -> email.message.Message:
    return email.parser.Parser().parsestr(text)


def _top_packages(files: list[str]) -> set[str]:
    """The outermost regular packages (``a/b/__init__.py`` without ``a/__init__.py``)."""
    inits = {f.rsplit("/", 1)[0] for f in files if f.endswith("/__init__.py")}
    return {d for d in inits if d.rsplit("/", 1)[0] not in inits or "/" not in d}


def check_wheel(pkg: Package, wheel: Path) -> list[str]:
    """The built wheel: metadata, licence, README, typing marker, nothing extra."""
    problems = []
    with zipfile.ZipFile(wheel) as archive:
        files = archive.namelist()
        info = f"{pkg.stem}-{pkg.version}.dist-info"
        meta = _metadata(archive.read(f"{info}/METADATA").decode())
        entry_points = (
            archive.read(f"{info}/entry_points.txt").decode()
            if f"{info}/entry_points.txt" in files
            else ""
        )
    expected = {"Name": pkg.name, "Version": pkg.version, "License-Expression": "MIT"}
    for field, value in expected.items():
        if meta.get(field) != value:
            problems.append(f"{wheel.name}: {field} is {meta.get(field)!r}, expected {value!r}")
    for field in ("Summary", "Requires-Python", "Author", "Classifier", "Project-URL"):
        if not meta.get_all(field) and not (field == "Author" and meta.get("Author-email")):
            problems.append(f"{wheel.name}: METADATA has no {field}")
    if not str(meta.get("Description-Content-Type", "")).startswith("text/markdown"):
        problems.append(f"{wheel.name}: the description is not the Markdown README")
    readme = (pkg.path / "README.md").read_text(encoding="utf-8")
    if str(meta.get_payload()).strip() != readme.strip():
        problems.append(f"{wheel.name}: the long description is not README.md")
    declared = sorted(_name(r) for r in pkg.project.get("dependencies", []))
    shipped = sorted(_name(r) for r in meta.get_all("Requires-Dist") or [] if "extra ==" not in r)
    if declared != shipped:
        problems.append(f"{wheel.name}: Requires-Dist {shipped} != dependencies {declared}")
    if f"{info}/licenses/LICENSE" not in files:
        problems.append(f"{wheel.name}: no {info}/licenses/LICENSE")
    for top in sorted(_top_packages(files)):
        if f"{top}/py.typed" not in files:
            problems.append(f"{wheel.name}: {top}/ has no py.typed")
    if not _top_packages(files):
        problems.append(f"{wheel.name}: no Python package inside")
    problems += [f"{wheel.name}: ships {f}" for f in files if FORBIDDEN.search(f)]
    if "pytest11" in entry_points:
        problems.append(f"{wheel.name}: a pytest11 entry point (plugins must be opt-in)")
    return problems


def check_sdist(pkg: Package, sdist: Path, wheel: Path) -> list[str]:
    """The sdist: PKG-INFO, pyproject, README, LICENSE, every module the wheel has."""
    problems = []
    prefix = f"{pkg.stem}-{pkg.version}/"
    with tarfile.open(sdist) as archive:
        names = [m.name for m in archive.getmembers() if m.isfile()]
    relative = {n.removeprefix(prefix) for n in names}
    for required in ("PKG-INFO", "pyproject.toml", "README.md", "LICENSE"):
        if required not in relative:
            problems.append(f"{sdist.name}: no {required}")
    with zipfile.ZipFile(wheel) as archive:
        modules = [f for f in archive.namelist() if ".dist-info/" not in f]
    missing = [m for m in modules if not any(r.endswith("/" + m) for r in relative)]
    problems += [f"{sdist.name}: lacks {m} (the wheel has it)" for m in missing]
    problems += [f"{sdist.name}: ships {n}" for n in sorted(relative) if FORBIDDEN.search(n)]
    return problems


def check(out: Path) -> list[str]:
    """Every problem found in ``out`` for every workspace package (empty: all good)."""
    problems = []
    all_pkgs = packages()
    for pkg in all_pkgs:
        problems += check_sources(pkg, all_pkgs) + check_llamahub(pkg)
        wheel = out / f"{pkg.stem}-{pkg.version}-py3-none-any.whl"
        sdist = out / f"{pkg.stem}-{pkg.version}.tar.gz"
        if not wheel.is_file() or not sdist.is_file():
            problems.append(f"{pkg.name}: {wheel.name} or {sdist.name} was not built")
            continue
        problems += check_wheel(pkg, wheel) + check_sdist(pkg, sdist, wheel)
    return problems


# ── installing the wheels ───────────────────────────────────────────────────────────────

#: Run by the fresh environment's Python with the wheel packages' top-level names as argv.
SMOKE = r"""
import importlib, importlib.metadata as md, sys
from packaging.requirements import Requirement
venv, dists, tops = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
for top in tops:
    module = importlib.import_module(top.replace("/", "."))
    assert module.__file__.startswith(venv), f"{top} imported from {module.__file__}"
for dist in dists:
    for text in md.requires(dist) or []:
        req = Requirement(text)
        if req.marker is None or req.marker.evaluate({"extra": ""}):
            have = md.version(req.name)
            assert req.specifier.contains(have, prereleases=True), f"{dist}: {req} but {have}"
if "oneminai_webapi" in tops:
    from oneminai_webapi import SyncOneMinAIClient
    from oneminai_webapi.testing import Emulator
    with Emulator(api_key="k") as emu, SyncOneMinAIClient("k", base_url=emu.base_url) as c:
        assert c.generate_content("wheel").text.endswith("wheel")
print("smoke ok:", ", ".join(dists))
"""


def install_and_smoke(out: Path) -> None:
    """Install the wheels into a fresh venv and use them (see :data:`SMOKE`)."""
    wheels = sorted(out.glob("*.whl"))
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([*uv(), "venv", "--quiet", "--offline", "--python", sys.executable,
                        str(venv)], check=True)  # fmt: skip
        python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        subprocess.run([*uv(), "pip", "install", "--quiet", "--offline", "--no-deps",
                        "--python", str(python), *map(str, wheels)], check=True)  # fmt: skip
        site = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        # Third-party dependencies come from the dev environment (a path entry: its .pth
        # files, which put the workspace sources on sys.path, are not processed).
        (Path(site) / "_dev_dependencies.pth").write_text(sysconfig.get_paths()["purelib"])
        names, tops = [], set()
        for wheel in wheels:
            with zipfile.ZipFile(wheel) as archive:
                files = archive.namelist()
                info = next(f for f in files if f.endswith(".dist-info/METADATA"))
                names.append(str(_metadata(archive.read(info).decode())["Name"]))
                tops |= _top_packages(files)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        subprocess.run(
            [str(python), "-c", SMOKE, str(venv), ",".join(names), ",".join(sorted(tops))],
            check=True, env=env, cwd=tmp, stdout=sys.stderr,
        )  # fmt: skip
        for script in ("oneminai", "oneminai-emulator"):
            exe = python.parent / script
            if exe.exists():
                subprocess.run([str(exe), "--help"], check=True, env=env, capture_output=True)


def release_target(tag: str) -> Package:
    """The package a release tag names: ``<distribution name>-v<version>``.

    Raises:
        SystemExit: no workspace package has that name, or its version is not the tag's.
    """
    name, sep, version = tag.rpartition("-v")
    match = [p for p in packages() if sep and p.name == name]
    if not match:
        known = ", ".join(f"{p.name}-v{p.version}" for p in packages())
        raise SystemExit(f"dist: tag {tag!r} names no package (expected one of: {known})")
    if match[0].version != version:
        raise SystemExit(
            f"dist: tag {tag!r} but {match[0].path.relative_to(ROOT)}/pyproject.toml says "
            f"version {match[0].version}"
        )
    return match[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="dist", help="output folder (default: dist)")
    parser.add_argument("--no-build", action="store_true", help="check what --out holds")
    parser.add_argument("--no-install", action="store_true", help="skip the venv smoke test")
    parser.add_argument(
        "--release-tag",
        metavar="TAG",
        help="after checking, keep in --out only the files of the package TAG names "
        "(<name>-v<version>) and print name=, version= and folder= lines (for CI outputs)",
    )
    args = parser.parse_args(argv)
    target = release_target(args.release_tag) if args.release_tag else None
    out = (ROOT / args.out).resolve()
    if not args.no_build:
        for old in [*out.glob("*.whl"), *out.glob("*.tar.gz")]:
            old.unlink()
        build(out)
    problems = check(out)
    for problem in problems:
        print(f"dist: {problem}", file=sys.stderr)
    if problems:
        return 1
    if not args.no_install:
        install_and_smoke(out)
    built = sorted(p.name for p in out.iterdir() if p.suffix in (".whl", ".gz"))
    print(f"dist: {len(built)} files in {out} checked: {', '.join(built)}", file=sys.stderr)
    if target is not None:
        for path in out.iterdir():
            if not path.name.startswith(f"{target.stem}-{target.version}"):
                path.unlink()
        folder = target.path.relative_to(ROOT)
        print(f"name={target.name}\nversion={target.version}\nfolder={folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
