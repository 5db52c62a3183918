"""One settings object, loaded once at start-up from RIGHTSBOT_* (and the Slack variables)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, BeforeValidator, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from knowledge.bundled import HANDOVER_FILE


class RetrievalSettings(BaseModel):
    mode: Literal["hybrid", "dense", "keyword"] = "hybrid"  # dense and keyword are the eval's baselines
    top_k: int = 6
    dense_candidates: int = 30
    keyword_candidates: int = 30


# A timeout or pause: a finite number of seconds above zero (0, -1 or nan would never wait, or fail late).
Seconds = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class StoreSettings(BaseModel):
    """How long each call to a store may take. A member waits for at most about one of these before
    hearing "I can't look that up right now" (and an officer gets the question), never for ever."""

    chroma_timeout_seconds: Seconds = 3.0  # each request to a Chroma server: connect, send, answer
    chroma_ingest_timeout_seconds: Seconds = 120.0  # `rightsbot ingest` writes batches of 1,000 passages
    # After a Chroma or keyword-index failure, answer "can't look that up" at once for this long
    # rather than make every member wait out the timeout; then try the store again.
    retry_after_seconds: Seconds = 5.0
    database_connect_timeout_seconds: Annotated[int, Field(ge=2)] = 5  # PostgreSQL connect_timeout (whole seconds, 2 or more)
    database_statement_timeout_seconds: Seconds = 10.0  # PostgreSQL statement_timeout for every query
    database_pool_timeout_seconds: Seconds = 10.0  # waiting for a free pooled connection
    sqlite_busy_timeout_seconds: Seconds = 30.0  # SQLite waits this long for another writer's lock


class AnswerSettings(BaseModel):
    max_source_age_years: float = 3.0  # older cited sources get a "the rule may have changed" caveat
    max_question_chars: int = 2000
    # A cited rule whose dates end or start within this many days gets one dated line naming the change.
    change_notice_days: int = 90
    contact: str = "email MemberAdvice@miphealth.org.uk or ask here for an officer"
    # Optional LLM composer (langchain init_chat_model); off unless a model is named.
    llm_model: str | None = None  # e.g. "llama3.1"
    llm_provider: str | None = None  # e.g. "ollama", "openai", "anthropic"
    # Seconds the model may take before the member gets the extractive answer instead.
    llm_timeout_seconds: Seconds = Field(20.0, gt=0)


def comma_separated(value: object) -> object:
    """`T1, T2` from an environment variable -> ["T1", "T2"]; lists pass through."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


CommaList = Annotated[list[str], NoDecode, BeforeValidator(comma_separated)]


def upper_case(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


LogLevel = Annotated[
    Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], BeforeValidator(upper_case)
]


class SlackSettings(BaseModel):
    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None
    api_url: str | None = None  # overrides https://slack.com/api/ (tests point it at a fake)
    officers_channel: str | None = None  # where escalation cards go; no Slack officers' board if unset
    answer_retention_days: int = 30  # answers kept so their buttons work, then purged
    http_host: str = "0.0.0.0"  # where `rightsbot slack --http` listens
    http_threads: int = Field(default=16, ge=1)  # request threads acking Slack (answers run in Bolt's pool)
    retry_interval_seconds: float = 5.0  # how often undelivered escalation cards are retried
    # The union's own workspaces: only their people are escalated. The workspace the app is
    # installed in (auth.test) always counts; RIGHTSBOT_SLACK__MEMBER_TEAM_IDS=T1,T2 adds more.
    member_team_ids: CommaList = Field(default_factory=list)
    # People from other organisations (Slack Connect): "answer" with general information only,
    # never a hand-over, or "ignore" them.
    external_users: Literal["answer", "ignore"] = "answer"


class DeliverySettings(BaseModel):
    """Members' answers that a platform will not take yet (429, 5xx, timeouts) are retried with
    backoff, never sooner than its Retry-After. They are given up (the member gets an apology if
    anything still reaches them, and officers a "bot failed" card) after this many tries or once
    this old, whichever comes first: with the default backoff (5 s doubling to 15 min), 10 tries
    span about 36 minutes. A refusal for good (channel_not_found, not_in_channel, is_archived)
    gives up at once. Officers' cards are never given up.
    RIGHTSBOT_DELIVERY__ANSWER_MAX_ATTEMPTS, RIGHTSBOT_DELIVERY__ANSWER_MAX_AGE_MINUTES."""

    answer_max_attempts: int = Field(10, ge=1)
    answer_max_age_minutes: float = Field(60.0, gt=0)


class TeamsSettings(BaseModel):
    # A Teams channel for officers' cards (RIGHTSBOT_TEAMS__OFFICERS_CHANNEL); the Teams channel fills it in.
    officers_channel: str | None = None
    allow_anonymous: bool = False  # local testing only (RIGHTSBOT_TEAMS_ALLOW_ANONYMOUS=true)
    # Where the officers' board posts new cards (RIGHTSBOT_TEAMS__SERVICE_URL): Teams' global endpoint,
    # or the serviceUrl your tenant's activities carry (https://smba.trafficmanager.net/uk/...).
    service_url: str = "https://smba.trafficmanager.net/teams/"
    http_host: str = "0.0.0.0"  # where `rightsbot teams` listens


class LimitsSettings(BaseModel):
    """Questions one member may ask (RIGHTSBOT_LIMITS__*), counted across replicas in the database.
    A person reads each answer before asking again, which takes well over six seconds, so ten in a
    minute only stops a runaway client or a flood; a long conversation of follow-ups is twenty or
    thirty questions, so a hundred a day leaves room for a hard day. Officers are never limited."""

    questions_per_minute: int = Field(10, ge=1)
    questions_per_day: int = Field(100, ge=1)


class OfficerSettings(BaseModel):
    """One national officer: `accounts` are `platform:user_id` (`slack:U123`, `teams:29:1abc`)."""

    officer_id: str
    name: str | None = None
    accounts: list[str] = Field(default_factory=list)


class OfficersSettings(BaseModel):
    # RIGHTSBOT_OFFICERS__PEOPLE='[{"officer_id": "jane", "name": "Jane Smith",
    #                             "accounts": ["slack:U123", "teams:29:1abc"]}]'
    people: list[OfficerSettings] = Field(default_factory=list)
    slack_ids: CommaList = Field(default_factory=list)  # Slack user ids (RIGHTSBOT_OFFICER_IDS)
    slack_group: str | None = None  # a Slack user group whose members are officers (RIGHTSBOT_OFFICER_GROUP)


# Flat names operators already use -> (nested section, field). Nested names win when both are set.
LEGACY_NAMES = {
    "slack_bot_token": ("slack", "bot_token"),
    "slack_signing_secret": ("slack", "signing_secret"),
    "slack_app_token": ("slack", "app_token"),
    "slack_api_url": ("slack", "api_url"),
    "officers_channel": ("slack", "officers_channel"),
    "slack_answer_retention_days": ("slack", "answer_retention_days"),
    "slack_http_host": ("slack", "http_host"),
    "slack_retry_interval_seconds": ("slack", "retry_interval_seconds"),
    "teams_allow_anonymous": ("teams", "allow_anonymous"),
    "officer_ids": ("officers", "slack_ids"),
    "officer_group": ("officers", "slack_group"),
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RIGHTSBOT_",
        env_nested_delimiter="__",
        extra="ignore",
        populate_by_name=True,
        env_ignore_empty=True,  # `KEY=` lines in an env file mean "not set", as env.example writes them
    )

    data_dir: Path = Path("data")
    # The one clock: what the bot treats as today (RIGHTSBOT_TODAY=YYYY-MM-DD; unset = the real date).
    # Tests and evals set it, so answers about the law in force can be checked on any day.
    today: date | None = None
    chroma_url: str | None = None  # a Chroma server; embedded PersistentClient under data_dir if unset
    database_url: str | None = None  # escalations and feedback; SQLite in data_dir if unset
    escalation_retention_days: int = 365
    # RIGHTSBOT_LOG_LEVEL: our own loggers' level; libraries stay at WARNING or above (bot/logs.py).
    log_level: LogLevel = "INFO"
    # Key for hashing people's ids in logs (RIGHTSBOT_LOG_ID_KEY); unset: derived from the Slack
    # signing secret (or Teams' client secret), so every replica hashes alike.
    log_id_key: SecretStr | None = None
    # Subjects officers say the knowledge base does not cover: always handed over.
    handover_file: Path = HANDOVER_FILE  # shipped in the package; a missing file stops start-up
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    stores: StoreSettings = Field(default_factory=StoreSettings)  # RIGHTSBOT_STORES__CHROMA_TIMEOUT_SECONDS=3
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    teams: TeamsSettings = Field(default_factory=TeamsSettings)
    delivery: DeliverySettings = Field(default_factory=DeliverySettings)
    officers: OfficersSettings = Field(default_factory=OfficersSettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)

    # The flat names that keep working (see LEGACY_NAMES); Slack's own as Slack's docs use them.
    slack_bot_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_APP_TOKEN"))
    slack_api_url: str | None = Field(None, validation_alias=AliasChoices("SLACK_API_URL"))
    officers_channel: str | None = None
    officer_ids: CommaList = Field(default_factory=list)  # comma-separated Slack user ids
    officer_group: str | None = None
    slack_answer_retention_days: int | None = None
    slack_http_host: str | None = None
    slack_retry_interval_seconds: float | None = None
    teams_allow_anonymous: bool | None = None

    @model_validator(mode="after")
    def _apply_legacy_names(self) -> Settings:
        """A flat name fills its nested setting unless the nested one was given itself."""
        for flat, (section, name) in LEGACY_NAMES.items():
            value = getattr(self, flat)
            nested = getattr(self, section)
            if flat in self.model_fields_set and value is not None and name not in nested.model_fields_set:
                setattr(self, section, nested.model_copy(update={name: value}))
        return self

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
