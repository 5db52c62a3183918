"""The setting names operators already use keep working beside the nested ones (slack, teams, officers),
and officers listed once across platforms are one identity."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from bot.wiring import officer_identities

LEGACY = {
    "SLACK_BOT_TOKEN": "xoxb-legacy",
    "SLACK_SIGNING_SECRET": "legacy-secret",
    "SLACK_APP_TOKEN": "xapp-legacy",
    "SLACK_API_URL": "http://127.0.0.1:9/api/",
    "RIGHTSBOT_OFFICERS_CHANNEL": "COFFICERS",
    "RIGHTSBOT_OFFICER_IDS": "UJANE, URAJ",
    "RIGHTSBOT_OFFICER_GROUP": "SOFFICERS",
    "RIGHTSBOT_TEAMS_ALLOW_ANONYMOUS": "true",
}


@pytest.fixture
def legacy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in LEGACY.items():
        monkeypatch.setenv(name, value)


def test_the_flat_names_fill_the_nested_settings(legacy_environment: None) -> None:
    settings = Settings()

    slack = settings.slack
    assert slack.bot_token and slack.bot_token.get_secret_value() == "xoxb-legacy"
    assert slack.signing_secret and slack.signing_secret.get_secret_value() == "legacy-secret"
    assert slack.app_token and slack.app_token.get_secret_value() == "xapp-legacy"
    assert (slack.api_url, slack.officers_channel) == ("http://127.0.0.1:9/api/", "COFFICERS")
    assert settings.officers.slack_ids == ["UJANE", "URAJ"] and settings.officers.slack_group == "SOFFICERS"
    assert settings.teams.allow_anonymous is True


def test_a_nested_name_wins_over_the_flat_one(
    legacy_environment: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIGHTSBOT_SLACK__OFFICERS_CHANNEL", "CNEWOFFICERS")
    monkeypatch.setenv("RIGHTSBOT_TEAMS__OFFICERS_CHANNEL", "19:officers@thread.tacv2")

    settings = Settings()

    assert settings.slack.officers_channel == "CNEWOFFICERS"
    assert settings.teams.officers_channel == "19:officers@thread.tacv2"


def test_an_officer_listed_with_accounts_is_one_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIGHTSBOT_OFFICER_IDS", "UJANE,URAJ")
    monkeypatch.setenv(
        "RIGHTSBOT_OFFICERS__PEOPLE",
        '[{"officer_id": "jane", "name": "Jane Okafor", "accounts": ["slack:UJANE", "teams:29:1jane"]}]',
    )

    officers = officer_identities(Settings().officers)

    assert [o.officer_id for o in officers] == ["jane", "slack:URAJ"]
    assert officers[0].user_id_on("teams") == "29:1jane" and officers[0].user_id_on("slack") == "UJANE"


def test_answer_delivery_limits_have_defaults_and_can_be_set(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (Settings().delivery.answer_max_attempts, Settings().delivery.answer_max_age_minutes) == (10, 60.0)

    monkeypatch.setenv("RIGHTSBOT_DELIVERY__ANSWER_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("RIGHTSBOT_DELIVERY__ANSWER_MAX_AGE_MINUTES", "15")

    assert (Settings().delivery.answer_max_attempts, Settings().delivery.answer_max_age_minutes) == (3, 15.0)


def test_an_answer_delivery_limit_of_zero_is_refused_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIGHTSBOT_DELIVERY__ANSWER_MAX_ATTEMPTS", "0")

    with pytest.raises(ValueError, match="answer_max_attempts"):
        Settings()
