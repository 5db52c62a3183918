"""The one place that builds everything from Settings: knowledge, engine, stores, officer directory,
desk, the channels' adapters and the delivery worker. Channels and commands ask for what they need
here; tests pass their fakes (an embedder, an engine, stores) through the same functions."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from bot.address import ConversationAddress, OfficerIdentity
from bot.data_rights import Cutoffs, HoldsPersonalData, purge
from bot.dedupe import SeenKeys
from bot.desk import DeliveryWorker, Desk, OfficerDirectory, Retention
from bot.escalations import Backoff, EscalationStore
from bot.feedback import FeedbackStore
from bot.limits import QuestionLimits, QuestionLog
from bot.outbox import DeliveryLimits, OutboxStore
from bot.reply import Engine
from bot.settings import OfficersSettings, Settings
from bot.storage import utcnow
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


def open_knowledge(
    settings: Settings, embedder: Embedder | None = None, ingesting: bool = False
) -> Knowledge:
    """`ingesting`: an ingest's large writes get the long Chroma timeout, members' searches the short one."""
    embedder = embedder or default_embedder()
    stores = settings.stores
    timeout = stores.chroma_ingest_timeout_seconds if ingesting else stores.chroma_timeout_seconds
    client = chroma_client(settings.data_dir, settings.chroma_url, timeout)
    store = open_store(
        client,
        settings.keyword_db,
        embedder.name,
        retry_after_seconds=stores.retry_after_seconds,
        keyword_timeout_seconds=stores.sqlite_busy_timeout_seconds,
    )
    return Knowledge(store, embedder)


def start_rebuild(settings: Settings, embedder: Embedder) -> Rebuild:
    client = chroma_client(
        settings.data_dir, settings.chroma_url, settings.stores.chroma_ingest_timeout_seconds
    )
    return Rebuild(client, settings.keyword_db, embedder.name)


def warm_up(knowledge: Knowledge) -> Knowledge:
    """Load the model before a channel listens: /healthz then means ready, and members' first
    questions do not wait seconds for it (the load bench saw its first answers take 15 s longer)."""
    knowledge.embedder.embed(["ready"])
    return knowledge


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
    outbox: OutboxStore  # members' messages waiting to be posted
    questions: QuestionLog  # when members asked, for the per-member limits

    def holding_personal_data(self) -> list[HoldsPersonalData]:
        """Every store with tables about people: what `purge` and `member-data` ask (a new table's
        store joins here)."""
        return [self.escalations, self.feedback, self.seen, self.outbox, self.questions]


def open_stores(settings: Settings, backoff: Backoff | None = None) -> Stores:
    url, timeouts = settings.sqlalchemy_url, settings.stores
    return Stores(
        EscalationStore(url, backoff, timeouts),
        FeedbackStore(url, timeouts),
        SeenKeys(url, timeouts),
        OutboxStore(url, backoff, timeouts),
        QuestionLog(url, timeouts),
    )


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
        self.purge_expired()
        delivered = self.desk.deliver_pending(include_not_yet_due=True)
        log.info("start-up: delivered %d pending messages and cards", delivered)
        return delivered

    def purge_expired(self) -> dict[str, int]:
        """Delete what is past the configured retention (at start-up and daily); rows per table."""
        retention = self.desk.retention
        cutoffs = Cutoffs.retention(retention.escalation_days, retention.answer_days, utcnow())
        deleted = purge(self.stores.holding_personal_data(), cutoffs)
        log.info("retention purge: %d rows deleted", sum(deleted.values()), extra={"deleted": deleted})
        return deleted

    def delivery_worker(self) -> DeliveryWorker:
        """Retries undelivered cards, and runs the retention purge once a day."""
        return DeliveryWorker(self.desk, self.settings.slack.retry_interval_seconds, daily=self.purge_expired)


def build_services(settings: Settings, engine: Engine, stores: Stores | None = None) -> Services:
    stores = stores or open_stores(settings)
    slack_client = slack_web_client(settings)
    officers = officer_directory(settings.officers, slack_client)
    retention = Retention(settings.escalation_retention_days, settings.slack.answer_retention_days)
    delivery = DeliveryLimits(settings.delivery.answer_max_attempts, settings.delivery.answer_max_age_minutes)
    desk = Desk(
        stores.escalations,
        stores.feedback,
        officers,
        retention=retention,
        outbox=stores.outbox,
        limits=delivery,
    )
    if slack_client is not None:
        connect_slack(desk, settings, slack_client)
    return Services(
        settings,
        engine,
        stores,
        officers,
        desk,
        question_limits(settings, stores.questions, desk),
        slack_client,
    )


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
