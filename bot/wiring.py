"""The one place that builds everything from Settings: knowledge, engine, stores, officer directory,
desk, the channels' adapters and the delivery worker. Channels and commands ask for what they need
here; tests pass their fakes (an embedder, an engine, stores) through the same functions."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING

from bot.address import ConversationAddress, OfficerIdentity
from bot.dedupe import SeenKeys
from bot.desk import DeliveryWorker, Desk, OfficerDirectory, Retention
from bot.escalations import Backoff, EscalationStore
from bot.feedback import FeedbackStore
from bot.limits import KEEP, QuestionLimits, QuestionLog
from bot.reply import Engine
from bot.settings import OfficersSettings, Settings
from knowledge.embedder import Embedder, MiniLMEmbedder
from knowledge.store import KnowledgeStore, Rebuild, chroma_client, open_store

if TYPE_CHECKING:
    from slack_sdk import WebClient

log = logging.getLogger("rightsbot")


@dataclass
class Knowledge:
    store: KnowledgeStore
    embedder: Embedder


@cache
def default_embedder() -> MiniLMEmbedder:
    """One model per process: loading it takes seconds, so every command and channel shares it."""
    return MiniLMEmbedder()


def open_knowledge(settings: Settings, embedder: Embedder | None = None) -> Knowledge:
    embedder = embedder or default_embedder()
    client = chroma_client(settings.data_dir, settings.chroma_url)
    return Knowledge(open_store(client, settings.keyword_db, embedder.name), embedder)


def start_rebuild(settings: Settings, embedder: Embedder) -> Rebuild:
    client = chroma_client(settings.data_dir, settings.chroma_url)
    return Rebuild(client, settings.keyword_db, embedder.name)


def build_engine(settings: Settings, knowledge: Knowledge):  # noqa: ANN201 - bot.engine.AnswerEngine
    from bot.engine import AnswerEngine

    return AnswerEngine.from_settings(settings, knowledge.store, knowledge.embedder)


# --- stores, desk and channels ---


@dataclass
class Stores:
    """The SQL stores, all on settings.sqlalchemy_url (migrated to the newest schema when opened)."""

    escalations: EscalationStore
    feedback: FeedbackStore
    seen: SeenKeys
    questions: QuestionLog


def open_stores(settings: Settings, backoff: Backoff | None = None) -> Stores:
    url = settings.sqlalchemy_url
    return Stores(EscalationStore(url, backoff), FeedbackStore(url), SeenKeys(url), QuestionLog(url))


@dataclass
class Services:
    """Everything a running channel shares: one engine, one set of stores, one desk."""

    settings: Settings
    engine: Engine
    stores: Stores
    officers: OfficerDirectory
    desk: Desk
    limits: QuestionLimits
    slack_client: WebClient | None = None  # None unless SLACK_BOT_TOKEN is set

    def start_up(self) -> int:
        """Retention first, then every card that never reached its board, due or not."""
        purged = self.desk.purge_expired()
        self.stores.seen.purge_older_than(timedelta(days=self.settings.slack.answer_retention_days))
        self.stores.questions.purge_older_than(KEEP)
        delivered = self.desk.deliver_pending(include_not_yet_due=True)
        log.info("start-up: purged %d old records, delivered %d pending escalation cards", purged, delivered)
        return delivered

    def delivery_worker(self) -> DeliveryWorker:
        return DeliveryWorker(self.desk, self.settings.slack.retry_interval_seconds)


def build_services(settings: Settings, engine: Engine, stores: Stores | None = None) -> Services:
    stores = stores or open_stores(settings)
    slack_client = slack_web_client(settings)
    officers = officer_directory(settings.officers, slack_client)
    retention = Retention(settings.escalation_retention_days, settings.slack.answer_retention_days)
    desk = Desk(stores.escalations, stores.feedback, officers, retention=retention)
    if slack_client is not None:
        connect_slack(desk, settings, slack_client)
    limits = question_limits(settings, stores.questions, desk)
    return Services(settings, engine, stores, officers, desk, limits, slack_client)


def question_limits(settings: Settings, questions: QuestionLog, desk: Desk) -> QuestionLimits:
    """The per-member limits every channel checks; officers are never limited."""

    def is_officer(address: ConversationAddress) -> bool:
        return desk.is_officer(desk.identify(address.platform, address.user_id))

    return QuestionLimits(questions, settings.limits, is_officer)


def officer_identities(officers: OfficersSettings) -> list[OfficerIdentity]:
    """Listed officers, then legacy Slack ids (RIGHTSBOT_OFFICER_IDS) not already listed."""
    people = [
        OfficerIdentity(officer_id=p.officer_id, name=p.name, accounts=tuple(p.accounts))
        for p in officers.people
    ]
    listed = {key for person in people for key in person.accounts}
    legacy = [OfficerIdentity.of_account("slack", user_id) for user_id in officers.slack_ids]
    return people + [person for person in legacy if person.officer_id not in listed]


def officer_directory(officers: OfficersSettings, slack_client: WebClient | None) -> OfficerDirectory:
    groups = {}
    if slack_client is not None and officers.slack_group:
        from bot.slack.officers_directory import SlackUserGroup

        groups["slack"] = SlackUserGroup(slack_client, officers.slack_group)
    return OfficerDirectory(officer_identities(officers), groups)


def slack_web_client(settings: Settings) -> WebClient | None:
    if settings.slack.bot_token is None:
        return None
    from bot.slack.client import web_client

    return web_client(settings.slack)


def connect_slack(desk: Desk, settings: Settings, client: WebClient) -> None:
    """Slack members are reachable whenever there is a token; the board only with an officers' channel."""
    from bot.slack.member_channel import SlackMemberChannel
    from bot.slack.officer_board import SlackOfficerBoard

    desk.add_member_channel(SlackMemberChannel(client))
    if settings.slack.officers_channel:
        desk.add_board(SlackOfficerBoard(client, settings.slack.officers_channel))
