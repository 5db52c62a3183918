"""The load run in `make bench`: many members asking at once, against the real app over HTTP.

The app runs as it does in production, `rightsbot slack --http` in its own process, on the bundled
knowledge (ingested into a temp data dir first) with the real engine; Slack is the fake Web API of
bot/slack/fake_slack.py on 127.0.0.1, and members' messages reach the app as signed Events API posts.
Only HTTP crosses between the two, so the run does not care which server the app uses.

Each simulated member asks in a new DM thread, waits for the answer, then asks the next question (a
person waits for the reply before asking again). Measured: ack latency (POST to the app's HTTP 200),
answer latency (POST to the fake receiving chat.postMessage in that thread), answers per thread
(exactly one each), errors (a non-200 ack, no answer, an apology, a traceback in the app's output)
and the app process's peak resident memory (VmHWM).
"""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.slack.fake_slack import TEAM, FakeSlackApi, SignedSender
from evals.metrics import percentile

SECRET = "bench-signing-secret"
OFFICERS = "COFFICERS"
APOLOGY = "something went wrong"
GOLDEN = Path(__file__).resolve().parent / "golden.yaml"
START_TIMEOUT = 180.0  # the model loads at start-up: seconds on two busy cores
ANSWER_TIMEOUT = 60.0  # a member still waiting after this long counts as an error


@dataclass
class Posted:
    member: str
    thread_ts: str
    ack_seconds: float
    status: int
    sent_at: float  # time.monotonic() when the POST started (the fake stamps calls on the same clock)


@dataclass
class LoadReport:
    questions: int
    members: int
    answered_once: int = 0
    ack_seconds: list[float] = field(default_factory=list)
    answer_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # kinds and counts, never members' words
    peak_rss_mb: float = 0.0
    seconds: float = 0.0

    def ack(self, p: float) -> float:
        """The p-th percentile ack latency, in ms (0 when nothing was acked)."""
        return (percentile(self.ack_seconds, p) or 0.0) * 1000

    def answer(self, p: float) -> float:
        """The p-th percentile answer latency, in ms (0 when nothing was answered)."""
        return (percentile(self.answer_seconds, p) or 0.0) * 1000


def member_questions(count: int) -> list[str]:
    """Questions members really ask (the golden set's answerable ones, standalone), cycled to `count`."""
    cases = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))
    texts = [c["question"] for c in cases if c["category"] == "answerable" and not c.get("thread")]
    return list(itertools.islice(itertools.cycle(texts), count))


def run_load(workdir: Path, questions: int = 200, members: int = 20) -> LoadReport:
    """Ingest the bundled knowledge into workdir, start the app, ask `questions` from `members` at once."""
    report = LoadReport(questions, members)
    data_dir = workdir / "data"
    workdir.mkdir(parents=True, exist_ok=True)
    ingest_knowledge(workdir, data_dir)
    api = FakeSlackApi().start()
    try:
        with running_app(api, data_dir, workdir) as app:
            warm_up(app, api)
            started = time.monotonic()
            asked = ask_all(app.sender, api, member_questions(questions), members)
            await_answers(api, asked)
            report.seconds = time.monotonic() - started
            time.sleep(1.0)  # a second answer to any thread would land about now
            report.peak_rss_mb = peak_rss_mb(app.process.pid)
        measure(report, api, asked)
        report.errors += app_errors(workdir)
    finally:
        api.stop()
    return report


# -- the app under load -------------------------------------------------------------------------------


def ingest_knowledge(workdir: Path, data_dir: Path) -> None:
    """`rightsbot ingest knowledge` into a fresh data dir; its output goes to workdir/ingest.out."""
    with (workdir / "ingest.out").open("wb") as out:
        done = subprocess.run(
            [rightsbot(), "ingest", "knowledge"], env=app_env(data_dir), cwd=repo(), stdout=out, stderr=out
        )
    if done.returncode != 0:
        raise RuntimeError(f"rightsbot ingest knowledge exited {done.returncode}: see {workdir / 'ingest.out'}")


@dataclass
class RunningApp:
    process: subprocess.Popen[bytes]
    sender: SignedSender


@contextmanager
def running_app(api: FakeSlackApi, data_dir: Path, workdir: Path) -> Iterator[RunningApp]:
    """`rightsbot slack --http` on a free port, healthy, until the block ends (SIGTERM, then SIGKILL);
    what it writes goes to workdir/app.out."""
    port = free_port()
    with (workdir / "app.out").open("wb") as out:
        process = subprocess.Popen(
            [rightsbot(), "slack", "--http", "--port", str(port)],
            env=app_env(data_dir) | slack_env(api),
            cwd=repo(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            root = f"http://127.0.0.1:{port}"
            wait_healthy(root, process)
            yield RunningApp(process, SignedSender(f"{root}/slack/events", SECRET))
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def app_env(data_dir: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("RIGHTSBOT_", "SLACK_"))}
    return keep | {
        "RIGHTSBOT_DATA_DIR": str(data_dir),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        # 10 questions each from the same few members in a couple of minutes: not what the per-member
        # limit is for, so it is lifted here (the limit has its own tests).
        "RIGHTSBOT_LIMITS__QUESTIONS_PER_MINUTE": "1000",
        "RIGHTSBOT_LIMITS__QUESTIONS_PER_DAY": "100000",
    }


def slack_env(api: FakeSlackApi) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api.url,
        "RIGHTSBOT_SLACK__API_URL": api.url,
        "RIGHTSBOT_OFFICERS_CHANNEL": OFFICERS,
        "RIGHTSBOT_SLACK__HTTP_HOST": "127.0.0.1",
    }


def wait_healthy(root: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"{root}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the app was not healthy within {START_TIMEOUT:.0f}s")


def warm_up(app: RunningApp, api: FakeSlackApi) -> None:
    """One question answered first: the model loads at the first question, and a replica is warmed
    before a load balancer sends it members, so the measured questions do not pay for that."""
    ts = next_ts()
    sent = app.sender.event(dm_event("UWARMUP", "What is a fixed-term contract?", ts))
    if sent.status != 200:
        raise RuntimeError(f"the warm-up question got HTTP {sent.status}")
    deadline = time.monotonic() + START_TIMEOUT
    while not answers_in(api, "UWARMUP", ts):
        if time.monotonic() > deadline:
            raise RuntimeError("the warm-up question was never answered")
        time.sleep(0.1)


# -- members asking -----------------------------------------------------------------------------------

_ts = itertools.count(1)
_ts_lock = threading.Lock()


def next_ts() -> str:
    with _ts_lock:
        return f"{int(time.time())}.{next(_ts):06d}"


def dm_event(member: str, text: str, ts: str) -> dict[str, object]:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": "D" + member,
        "user": member,
        "team": TEAM,
        "text": text,
        "ts": ts,
    }


def ask_all(sender: SignedSender, api: FakeSlackApi, questions: Sequence[str], members: int) -> list[Posted]:
    """`members` people at once, each asking their share in turn and waiting for each answer. One
    sender serves them all: urllib opens a connection per request."""
    shares = [list(questions[i::members]) for i in range(members)]
    with ThreadPoolExecutor(max_workers=members) as pool:
        runs = pool.map(lambda i: one_member(sender, api, f"UMEMBER{i:03d}", shares[i]), range(members))
        return [asked for run in runs for asked in run]


def one_member(sender: SignedSender, api: FakeSlackApi, member: str, questions: Sequence[str]) -> list[Posted]:
    asked = []
    for text in questions:
        ts, started = next_ts(), time.monotonic()
        try:
            sent = sender.event(dm_event(member, text, ts))
            asked.append(Posted(member, ts, sent.seconds, sent.status, started))
        except OSError:
            asked.append(Posted(member, ts, time.monotonic() - started, 0, started))
            continue
        wait_for_answer(api, member, ts)
    return asked


def wait_for_answer(api: FakeSlackApi, member: str, ts: str) -> None:
    deadline = time.monotonic() + ANSWER_TIMEOUT
    while time.monotonic() < deadline and not answers_in(api, member, ts):
        time.sleep(0.02)


def answers_in(api: FakeSlackApi, member: str, ts: str) -> list[float]:
    """When each chat.postMessage into this member's thread arrived (time.monotonic())."""
    channel = "D" + member
    calls = api.calls_to("chat.postMessage", lambda p: p["channel"] == channel and p.get("thread_ts") == ts)
    return [call.at for call in calls]


def await_answers(api: FakeSlackApi, asked: Sequence[Posted]) -> None:
    deadline = time.monotonic() + ANSWER_TIMEOUT
    while time.monotonic() < deadline and any(not answers_in(api, a.member, a.thread_ts) for a in asked):
        time.sleep(0.05)


# -- what happened ------------------------------------------------------------------------------------


def measure(report: LoadReport, api: FakeSlackApi, asked: Sequence[Posted]) -> None:
    counts = {"no answer": 0, "answered more than once": 0, "ack not HTTP 200": 0, "apology": 0}
    for one in asked:
        arrivals = answers_in(api, one.member, one.thread_ts)
        counts["ack not HTTP 200"] += one.status != 200
        counts["no answer"] += not arrivals
        counts["answered more than once"] += len(arrivals) > 1
        report.answered_once += len(arrivals) == 1
        if one.status == 200:
            report.ack_seconds.append(one.ack_seconds)
        if arrivals:
            report.answer_seconds.append(min(arrivals) - one.sent_at)
    counts["apology"] = len(api.calls_to("chat.postMessage", lambda p: APOLOGY in (p.get("text") or "")))
    report.errors += [f"{kind}: {n}" for kind, n in counts.items() if n]


def app_errors(workdir: Path) -> list[str]:
    """Tracebacks and ERROR lines in what the app wrote (its logs never carry members' words)."""
    out = (workdir / "app.out").read_text(encoding="utf-8", errors="replace")
    tracebacks = out.count("Traceback (most recent call last)")
    errors = sum(1 for line in out.splitlines() if " ERROR " in line or '"level": "ERROR"' in line)
    return [f"{kind} in the app's output: {n}" for kind, n in (("tracebacks", tracebacks), ("errors", errors)) if n]


def peak_rss_mb(pid: int) -> float:
    """The process's resident-memory high-water mark (VmHWM), in MB; 0 where /proc is not there."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rightsbot() -> str:
    """The `rightsbot` command of the Python running this (the venv's), else the one on PATH."""
    beside = Path(sys.executable).with_name("rightsbot")
    return str(beside) if beside.exists() else "rightsbot"


def repo() -> Path:
    return Path(__file__).resolve().parents[1]
