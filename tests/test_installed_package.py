"""The installed package carries the data its code reads: a wheel built from this checkout ships the
knowledge data, and the hand-over subjects load from where the wheel puts them, not from the working
directory. A missing hand-over file stops start-up with a one-line message instead of handing nothing over."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bot.triage import HandoverFileError, read_handover_subjects

REPO = Path(__file__).resolve().parents[1]
SOURCES = ["pyproject.toml", "README.md", "bot", "ingest", "knowledge", "evals"]
LOAD_FROM_INSTALLED = """
from bot.settings import Settings
from bot.triage import read_handover_subjects
import bot
settings = Settings()
print(bot.__file__)
print(settings.handover_file)
print(len(read_handover_subjects(settings.handover_file)))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the checkout (so the build leaves nothing in the repository)."""
    work = tmp_path_factory.mktemp("wheel")
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, work / "src" / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            (work / "src").mkdir(exist_ok=True)
            shutil.copy(source, work / "src" / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(work / "src"), "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", str(work / "dist")],
        check=True, capture_output=True, cwd=work,
    )  # fmt: skip
    [built] = (work / "dist").glob("rightsbot-*.whl")
    return built


def test_the_wheel_ships_the_knowledge_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    needed = [p.relative_to(REPO).as_posix() for p in (REPO / "knowledge").glob("*.yaml")]
    needed += [p.relative_to(REPO).as_posix() for p in (REPO / "knowledge" / "factsheets").glob("*.md")]

    assert "knowledge/handover.yaml" in needed
    assert len(needed) > 10
    assert sorted(set(needed) - names) == []


def test_the_handover_subjects_load_from_the_installed_package(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)  # what pip does with a pure-Python wheel
    elsewhere = tmp_path / "elsewhere"  # a working directory with no knowledge/ folder in it
    elsewhere.mkdir()

    done = subprocess.run(
        [sys.executable, "-c", LOAD_FROM_INSTALLED],
        check=True, capture_output=True, text=True, cwd=elsewhere, env={"PYTHONPATH": str(site), "PATH": ""},
    )  # fmt: skip
    module, handover, subjects = done.stdout.split()

    assert Path(module).is_relative_to(site) and Path(handover).is_relative_to(site)
    assert int(subjects) == len(read_handover_subjects(REPO / "knowledge" / "handover.yaml")) > 0


@pytest.mark.parametrize(
    ("content", "says"),
    [(None, "is missing"), ("subjects: [unclosed", "not valid YAML"), ("", "must be a list"),
     ("- subject: pensions\n", "needs a subject and a list of patterns"),
     ("- subject: pensions\n  patterns: ['(unclosed']\n", "not a valid regular expression")],
)  # fmt: skip
def test_a_missing_or_broken_handover_file_stops_start_up_with_one_line(
    tmp_path: Path, content: str | None, says: str
) -> None:
    path = tmp_path / "handover.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")

    with pytest.raises(HandoverFileError) as error:
        read_handover_subjects(path)

    assert says in str(error.value) and str(path) in str(error.value) and "\n" not in str(error.value)


def test_an_explicitly_empty_handover_list_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "handover.yaml"
    path.write_text("[]\n", encoding="utf-8")

    assert read_handover_subjects(path) == []
