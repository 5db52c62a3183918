"""`rightsbot` command line: ingest, sources, search, ask, chat, review, slack, teams, serve,
feedback export, and members' data rights (purge, member-data).

Bad input gets a one-line message and a non-zero exit, never a stack trace."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.settings import Settings


class UsageError(Exception):
    """Something the person running the command can fix; printed as one line, exit 2."""


def main(argv: Sequence[str] | None = None) -> int:
    # Databases, exports and logs written here hold members' data: readable by this account only.
    os.umask(0o077)
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:  # e.g. RIGHTSBOT_TODAY=tomorrow: one line, not pydantic's report
        print(f"rightsbot: bad setting {_setting_problem(error)}", file=sys.stderr)
        return 2
    try:
        return int(args.run(args, settings) or 0)
    except UsageError as error:
        print(f"rightsbot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the last line of defence: a clear message, not a traceback
        from sqlalchemy.exc import OperationalError

        from knowledge.store import StoreError

        if isinstance(error, OperationalError):  # SQLAlchemy's text spans lines and links its docs
            print(
                f"rightsbot: cannot use the database ({type(error.orig).__name__}): check "
                "RIGHTSBOT_DATABASE_URL and that the server is up",
                file=sys.stderr,
            )
            return 2

        known = isinstance(error, StoreError | OSError | ValueError)
        print(f"rightsbot: {'error' if known else 'unexpected error'}: {error}", file=sys.stderr)
        return 2 if known else 1


def _port(value: str) -> int:
    """A TCP port, 0 to 65535 (0: any free one, for tests); the kernel would quietly take 99999 as 34463."""
    port = int(value) if value.isascii() and value.isdigit() and len(value) <= 5 else -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 to 65535 (not {value!r})")
    return port


def _setting_problem(error: ValidationError) -> str:
    """The first problem as the variable a person set: "RIGHTSBOT_TODAY: Input should be a valid date..." """
    first = error.errors()[0]
    name = "__".join(str(part) for part in first["loc"]).upper()
    return f"RIGHTSBOT_{name}: {first['msg']} (got {first.get('input')!r})"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rightsbot", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="add or update documents in the knowledge store")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument("--rebuild", action="store_true", help="start from an empty index")
    ingest.add_argument("--strict", action="store_true", help="fail if any file is skipped")
    ingest.add_argument("--json", action="store_true", help="print one JSON summary object")
    ingest.set_defaults(run=_run_ingest)

    sources = commands.add_parser("sources", help="list indexed documents")
    sources.add_argument("--json", action="store_true")
    sources.set_defaults(run=_run_sources)

    search = commands.add_parser("search", help="show the passages retrieval finds for a query")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=5, help="how many passages (default 5)")
    search.add_argument("--json", action="store_true")
    search.set_defaults(run=_run_search)

    ask = commands.add_parser("ask", help="answer a question (or one per stdin line)")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(run=_run_ask)

    chat = commands.add_parser("chat", help="a conversation in the terminal")
    chat.set_defaults(run=_run_chat)

    review = commands.add_parser(
        "review",
        help="the officers' maintenance list: rules changing soon, overdue, undated (exit 1 if overdue)",
    )
    # Read as text: a bad value gets rightsbot's one-line message, not argparse's usage block.
    review.add_argument(
        "--within",
        metavar="DAYS",
        help="rules that end or start within DAYS (default: the change-notice window, 90)",
    )
    review.add_argument("--json", action="store_true")
    review.set_defaults(run=_run_review)

    slack = commands.add_parser("slack", help="run the Slack app")
    mode = slack.add_mutually_exclusive_group(required=True)
    mode.add_argument("--socket", action="store_true", help="Socket Mode (needs SLACK_APP_TOKEN)")
    mode.add_argument("--http", action="store_true", help="Events API over HTTP")
    slack.add_argument("--port", type=_port, default=3000)
    slack.set_defaults(run=_run_slack)

    teams = commands.add_parser("teams", help="run the Microsoft Teams app (see docs/teams.md)")
    teams.add_argument("--port", type=_port, default=3978)
    teams.set_defaults(run=_run_teams)

    serve = commands.add_parser("serve", help="run every configured channel in one process")
    slack_mode = serve.add_mutually_exclusive_group()
    slack_mode.add_argument("--slack-port", type=_port, help="Slack's Events API over HTTP on this port")
    slack_mode.add_argument("--socket", action="store_true", help="Slack in Socket Mode")
    serve.add_argument("--teams-port", type=_port, help="Teams' /api/messages on this port")
    serve.set_defaults(run=_run_serve)

    feedback = commands.add_parser("feedback", help="member feedback")
    feedback_commands = feedback.add_subparsers(required=True, metavar="ACTION")
    export = feedback_commands.add_parser("export", help="write 'Not helpful' answers as eval cases")
    export.add_argument("--out", type=Path, help="file to write (default: stdout)")
    export.set_defaults(run=_run_feedback_export)

    purge = commands.add_parser(
        "purge", help="delete escalations, feedback, answers and conversation state older than a period"
    )
    # Read as text: a bad value gets rightsbot's one-line message, not argparse's usage block.
    purge.add_argument("--older-than", required=True, metavar="PERIOD", help="days, as 180d (or 180)")
    purge.add_argument("--json", action="store_true", help="print one JSON object")
    purge.set_defaults(run=_run_purge)

    member = commands.add_parser(
        "member-data", help="everything stored about one member, as JSON (a subject access request)"
    )
    member.add_argument(
        "user_ids",
        nargs="+",
        metavar="USER-ID",
        help="slack:U123, teams:29:1abc..., or a bare id (every platform); several for one person",
    )
    member.add_argument("--out", type=Path, help="file to write (default: stdout)")
    member.set_defaults(run=_run_member_data)
    return parser


def _run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.logs import configure_logging
    from bot.wiring import default_embedder, open_knowledge, start_rebuild
    from ingest.pipeline import ingest

    configure_logging(settings)

    embedder = default_embedder()
    rebuild = start_rebuild(settings, embedder) if args.rebuild else None
    store = rebuild.store if rebuild else open_knowledge(settings, embedder, ingesting=True).store
    with _progress_bar(enabled=not args.json and sys.stderr.isatty()) as progress:
        report = ingest(args.paths, store, embedder, progress)
    if rebuild and report.passages:
        rebuild.commit()
    _print_ingest_report(report, as_json=args.json)
    if args.strict and report.skipped:
        return 1
    return 0 if report.passages or not report.skipped else 1


def _print_ingest_report(report, as_json: bool) -> None:  # noqa: ANN001 - ingest.pipeline.IngestReport
    if as_json:
        print(json.dumps(asdict(report)))
        return
    for skip in report.skipped:
        print(f"skipped {skip.path}: {skip.reason}", file=sys.stderr)
    print(
        f"{report.documents} documents, {report.passages} passages: {report.added} added, "
        f"{report.updated} updated, {report.removed} removed, {report.unchanged} unchanged, "
        f"{len(report.skipped)} skipped in {report.seconds:.1f}s"
    )


class _progress_bar:  # noqa: N801 - used as a context manager like open()
    def __init__(self, enabled: bool) -> None:
        self._enabled = enabled
        self._bar: Any = None  # tqdm, created on the first update

    def __enter__(self):  # noqa: ANN204
        return self._update if self._enabled else None

    def _update(self, done: int, total: int) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="passage", desc="embedding", file=sys.stderr)
        self._bar.update(done - self._bar.n)

    def __exit__(self, *_: object) -> None:
        if self._bar is not None:
            self._bar.close()


def _run_sources(args: argparse.Namespace, settings: Settings) -> int:
    from bot.wiring import open_knowledge

    sources = open_knowledge(settings).store.sources()
    if args.json:
        print(json.dumps([asdict(s) for s in sources], indent=2))
        return 0
    for s in sources:
        when = "undated" if s.undated else s.date or "-"
        print(
            f"{s.source_id}\n    {s.kind} | {s.title} | {s.publication or '-'} | publisher {s.publisher or 'unknown'}"
            f" | {when} | {s.passages} passages"
        )
    print(f"{len(sources)} documents")
    return 0


def _run_search(args: argparse.Namespace, settings: Settings) -> int:
    from bot.retrieval import Retriever
    from bot.wiring import open_knowledge

    knowledge = open_knowledge(settings)
    hits = Retriever(knowledge.store, knowledge.embedder, settings.retrieval).search(args.query, k=args.k)
    rows = [
        {
            "score": round(h.score, 4),
            "id": h.passage.id,
            "source_id": h.passage.source_id,
            "citation": h.passage.citation(),
            "text": h.passage.text,
        }
        for h in hits
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for i, row in enumerate(rows, 1):
        print(f"[{i}] {row['score']:.3f}  {row['citation']}\n    {row['text']}\n")
    return 0


def _run_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import ask_lines, ask_once, stdin_lines

    if args.question is not None:
        return ask_once(settings, args.question, as_json=args.json)
    # Bytes, not text: one undecodable line must get its own reply, not end the run (stdin_lines).
    stdin = getattr(sys.stdin, "buffer", None)
    return ask_lines(settings, stdin_lines(stdin) if stdin else sys.stdin, as_json=args.json)


def _run_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import chat

    return chat(settings, sys.stdin, sys.stdout)


def _run_review(args: argparse.Namespace, settings: Settings) -> int:
    from bot.review import build_review, render_review

    within = settings.answer.change_notice_days if args.within is None else _days(args.within, "--within")
    report = build_review(_served_store(settings), settings.current_date(), within)
    print(json.dumps(report.as_json(), indent=2, ensure_ascii=False) if args.json else render_review(report))
    return 1 if report.overdue else 0  # a scheduled job raises its alert on 1


def _days(value: str, flag: str) -> int:
    try:
        days = int(value)
    except ValueError:
        days = -1
    if days < 0:
        raise UsageError(f"{flag} takes a whole number of days, 0 or more (not {value!r})")
    return days


def _served_store(settings: Settings):  # noqa: ANN202 - knowledge.store.KnowledgeStore
    """The store members are answered from, or a UsageError saying to ingest: never an empty list
    that reads as "nothing to do", and never exit 1, which means "overdue" to `review`'s callers."""
    from bot.wiring import open_knowledge

    if not settings.chroma_url and not settings.chroma_dir.is_dir():
        raise UsageError(f"no knowledge store in {settings.data_dir}: run `rightsbot ingest PATH` first")
    try:
        store = open_knowledge(settings).store
        empty = store.count() == 0
    except Exception as error:  # Chroma and SQLite fail in many ways on a damaged store
        raise UsageError(
            f"cannot read the knowledge store in {settings.data_dir} ({error}): "
            "run `rightsbot ingest --rebuild PATH` first"
        ) from error
    if empty:
        raise UsageError(
            f"the knowledge store in {settings.data_dir} is empty: run `rightsbot ingest PATH` first"
        )
    return store


def _run_slack(args: argparse.Namespace, settings: Settings) -> int:
    from bot.slack.run import SlackConfigError, check_config, run_slack
    from bot.wiring import build_engine, open_knowledge, warm_up

    try:
        check_config(settings, socket=args.socket)  # before the model loads: a missing token fails fast
        engine = build_engine(settings, warm_up(open_knowledge(settings)))
        run_slack(settings, engine, socket=args.socket, port=args.port)
    except SlackConfigError as error:
        raise UsageError(str(error)) from error
    return 0


def _run_teams(args: argparse.Namespace, settings: Settings) -> int:
    return _run_serve(argparse.Namespace(slack_port=None, socket=False, teams_port=args.port), settings)


def _run_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Credentials are checked before the model loads, so a missing one fails fast, on one line."""
    import os

    from bot.teams.run import run_channels
    from bot.teams.server import TeamsConfigError, check_credentials, sdk_config_from_env
    from bot.wiring import build_engine, open_knowledge, warm_up

    slack = args.socket or args.slack_port is not None
    if not slack and args.teams_port is None:
        raise UsageError("serve needs --slack-port N (or --socket) and/or --teams-port M")
    sdk_config = sdk_config_from_env(os.environ) if args.teams_port is not None else None
    try:
        if sdk_config is not None:
            check_credentials(sdk_config, settings.teams.allow_anonymous)
        serve_slack = _slack_serving(settings, args.socket, args.slack_port) if slack else None
        engine = build_engine(settings, warm_up(open_knowledge(settings)))
        run_channels(settings, engine, sdk_config, teams_port=args.teams_port, slack=serve_slack)
    except TeamsConfigError as error:
        raise UsageError(str(error)) from error
    return 0


def _slack_serving(settings: Settings, socket: bool, port: int | None):  # noqa: ANN202
    """Slack's app over the shared services, and the call that serves it until SIGTERM. Its settings
    are checked now, before the model loads."""
    import threading

    from bot.slack.app import secret
    from bot.slack.run import SlackConfigError, build_app_or_explain, check_config, serve_http, serve_socket

    try:
        check_config(settings, socket=socket)
    except SlackConfigError as error:
        raise UsageError(str(error)) from error

    def build(services):  # noqa: ANN001, ANN202 - bot.wiring.Services -> serve call
        app = build_app_or_explain(services)
        if socket:
            return lambda: serve_socket(app, str(secret(settings.slack.app_token)), threading.Event())
        return lambda: serve_http(app, settings.slack, port or 3000)

    return build


def _run_feedback_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.feedback import FeedbackStore, export_not_helpful

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = FeedbackStore(settings.sqlalchemy_url)
    if args.out:
        with args.out.open("w", encoding="utf-8") as out:
            count = export_not_helpful(store, out)
    else:
        count = export_not_helpful(store, sys.stdout)
    print(f"exported {count} 'Not helpful' answers", file=sys.stderr)
    return 0


def _run_purge(args: argparse.Namespace, settings: Settings) -> int:
    from bot.data_rights import Cutoffs, iso, purge
    from bot.logs import configure_logging
    from bot.storage import utcnow
    from bot.wiring import open_stores

    days = _period(args.older_than)
    configure_logging(settings)
    _existing_database(settings)
    cutoffs = Cutoffs.older_than(days, utcnow())
    deleted = purge(open_stores(settings).holding_personal_data(), cutoffs)
    report = {"older_than_days": days, "before": iso(cutoffs.default), "deleted": deleted}
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"deleted {sum(deleted.values())} rows last active before {report['before']} ({days} days):")
    for table, count in deleted.items():
        print(f"  {table}: {count}")
    return 0


MAX_DAYS = 36_500  # a hundred years: anything longer is a typing slip, and dates would overflow


def _period(value: str) -> int:
    """`180d` or `180` -> 180 days (ASCII digits, 1 to 36,500); anything else (`6m`, `0d`, `-1`) is a
    UsageError."""
    digits = value.strip().lower().removesuffix("d")
    days = int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 6 else 0
    if not 1 <= days <= MAX_DAYS:
        raise UsageError(f"--older-than takes a number of days, 1 to {MAX_DAYS:,}, like 180d (not {value!r})")
    return days


def _existing_database(settings: Settings) -> None:
    """A subject access request or a purge against a mistyped data dir must not answer "nothing held"
    from a new, empty database: the SQLite file must already be there (PostgreSQL is named by URL)."""
    from sqlalchemy.engine import make_url

    url = make_url(settings.sqlalchemy_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).is_file():
        raise UsageError(
            f"no rightsbot database at {url.database}: check RIGHTSBOT_DATA_DIR or RIGHTSBOT_DATABASE_URL"
        )


def _run_member_data(args: argparse.Namespace, settings: Settings) -> int:
    from bot.data_rights import Member, member_data
    from bot.storage import utcnow
    from bot.wiring import open_stores

    try:
        member = Member.parse_all(args.user_ids)
    except ValueError as error:
        raise UsageError(str(error)) from error
    _existing_database(settings)
    found = member_data(open_stores(settings).holding_personal_data(), member, utcnow())
    text = json.dumps(found, indent=2, ensure_ascii=False)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    print(f"{sum(found['found'].values())} records about {member.asked_for}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
