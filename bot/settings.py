"""One settings object, loaded once at start-up from RIGHTSBOT_* (and the Slack variables)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.bundled import HANDOVER_FILE


class RetrievalSettings(BaseModel):
    mode: Literal["hybrid", "dense", "keyword"] = "hybrid"  # dense and keyword are the eval's baselines
    top_k: int = 6
    dense_candidates: int = 30
    keyword_candidates: int = 30


class AnswerSettings(BaseModel):
    max_source_age_years: float = 3.0  # older cited sources get a "the rule may have changed" caveat
    max_question_chars: int = 2000
    # A cited rule whose dates end or start within this many days gets one dated line naming the change.
    change_notice_days: int = 90
    contact: str = "email MemberAdvice@miphealth.org.uk or ask here for an officer"
    # Optional LLM composer (langchain init_chat_model); off unless a model is named.
    llm_model: str | None = None  # e.g. "llama3.1"
    llm_provider: str | None = None  # e.g. "ollama", "openai", "anthropic"


class SlackSettings(BaseModel):
    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None
    api_url: str | None = None  # overrides https://slack.com/api/ (tests point it at a fake)
    officers_channel: str | None = None
    officer_ids: list[str] = Field(default_factory=list)
    officer_group: str | None = None  # a Slack user group id whose members are officers
    answer_retention_days: int = 30  # answers kept so their buttons work, then purged
    http_host: str = "0.0.0.0"  # where `rightsbot slack --http` listens
    retry_interval_seconds: float = 5.0  # how often undelivered escalation cards are retried


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RIGHTSBOT_", env_nested_delimiter="__", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Path("data")
    # The one clock: what the bot treats as today (RIGHTSBOT_TODAY=YYYY-MM-DD; unset = the real date).
    # Tests and evals set it, so answers about the law in force can be checked on any day.
    today: date | None = None
    chroma_url: str | None = None  # a Chroma server; embedded PersistentClient under data_dir if unset
    database_url: str | None = None  # escalations and feedback; SQLite in data_dir if unset
    escalation_retention_days: int = 365
    # Subjects officers say the knowledge base does not cover: always handed over.
    handover_file: Path = HANDOVER_FILE  # shipped in the package; a missing file stops start-up
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)

    # Slack's own variable names, as Slack's docs and the README use them.
    slack_bot_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_APP_TOKEN"))
    slack_api_url: str | None = Field(None, validation_alias=AliasChoices("SLACK_API_URL"))
    officers_channel: str | None = None
    officer_ids: str = ""  # comma-separated Slack user ids
    officer_group: str | None = None
    slack_answer_retention_days: int = 30
    slack_http_host: str = "0.0.0.0"
    slack_retry_interval_seconds: float = 5.0

    @property
    def slack(self) -> SlackSettings:
        return SlackSettings(
            bot_token=self.slack_bot_token,
            signing_secret=self.slack_signing_secret,
            app_token=self.slack_app_token,
            api_url=self.slack_api_url,
            officers_channel=self.officers_channel,
            officer_ids=[i.strip() for i in self.officer_ids.split(",") if i.strip()],
            officer_group=self.officer_group,
            answer_retention_days=self.slack_answer_retention_days,
            http_host=self.slack_http_host,
            retry_interval_seconds=self.slack_retry_interval_seconds,
        )

    def current_date(self) -> date:
        return self.today or date.today()

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def keyword_db(self) -> Path:
        return self.data_dir / "keyword.sqlite3"

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'rightsbot.sqlite3'}"
