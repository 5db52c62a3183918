"""The Teams app package in teams_app/: a current manifest, the three bot scopes, a command list,
and the icons Teams requires (192x192 colour, 32x32 outline)."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

APP = Path(__file__).resolve().parents[2] / "teams_app"


def test_the_manifest_describes_the_bot() -> None:
    manifest = json.loads((APP / "manifest.json").read_text())
    assert manifest["manifestVersion"] == "1.22" and manifest["$schema"].endswith(
        "v1.22/MicrosoftTeams.schema.json"
    )
    [bot] = manifest["bots"]
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    assert bot["botId"] == manifest["id"] == manifest["webApplicationInfo"]["id"]
    commands = bot["commandLists"][0]["commands"]
    assert 0 < len(commands) <= 10 and all(len(c["title"]) <= 32 for c in commands)
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["description"]["short"]) <= 80
    rsc = manifest["authorization"]["permissions"]["resourceSpecific"]
    assert {"name": "ChannelMessage.Read.Group", "type": "Application"} in rsc


def test_the_icons_have_the_sizes_teams_requires() -> None:
    assert Image.open(APP / "color.png").size == (192, 192)
    assert Image.open(APP / "outline.png").size == (32, 32)
