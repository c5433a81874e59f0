"""`make loadtest`: start the production stack of `portal.ops.serve`, prepare the load accounts and
courses, run locust (200 users, 5 minutes by default), wait until every mail is out, check and
print the result, stop the stack. Exit status 1 when a check fails.

Everything of a run lands in var/loadtest/: the processes' logs, the mails of the SMTP sink, the
locust result (result.json) and the report (report.md), which the README quotes.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from portal.ops.serve.stack import BASE_DIR, PYTHON, Options, Stack, production_env, set_up

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m portal.ops.loadtest", description=__doc__)
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOADTEST_USERS", 200)))
    parser.add_argument("--time", default=os.environ.get("LOADTEST_TIME", "5m"), help="e.g. 5m, 90s")
    parser.add_argument("--spawn-rate", type=float, default=float(os.environ.get("LOADTEST_SPAWN_RATE", 3)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOADTEST_PORT", 8000)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 4)))
    parser.add_argument("--smtp-port", type=int, default=int(os.environ.get("SMTP_SINK_PORT", 8025)))
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    folder = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var")) / "loadtest"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    options = Options(
        port=args.port,
        web_workers=args.workers,
        smtp_port=args.smtp_port,
        mail_dir=folder / "mail",
        log_dir=folder / "logs",
    )
    # The load test counts the mails, so they always go to its own SMTP sink.
    base = {key: value for key, value in os.environ.items() if key != "EMAIL_URL"}
    env, options = production_env(options, base=base)
    print("Richte die Datenbank ein (migrate, collectstatic, seed_demo) …", flush=True)
    set_up(env)

    # This process reads and checks the same database as the stack.
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    django.setup()
    from portal.ops.loadtest.prepare import prepare

    plan = prepare()
    plan_file = folder / "plan.json"
    plan_file.write_text(json.dumps(plan, indent=2))

    stack = Stack(env=env, options=options)
    try:
        stack.start()
        stack.wait_until_healthy()
        print(f"Stack läuft auf http://127.0.0.1:{args.port}/; warte, bis die Mails des Starts raus sind …")
        wait_for_mail(env, options.mail_dir, stack)
        started = datetime.now(UTC)
        before = set(options.mail_dir.glob("*.eml"))
        print(f"Lasttest: {args.users} Personen, {args.time} …", flush=True)
        cpu_before, children_before = stack.cpu_seconds(), _children_cpu()
        locust = run_locust(args, env, plan_file, folder)
        cpu = {name: used - cpu_before.get(name, 0) for name, used in stack.cpu_seconds().items()}
        cpu["locust"] = _children_cpu() - children_before
        load = os.getloadavg()
        print("Warte, bis alle Mails versandt sind …", flush=True)
        wait_for_mail(env, options.mail_dir, stack)
        stack.raise_if_one_died()
        mail_files = sorted(set(options.mail_dir.glob("*.eml")) - before)
        report, ok = check(folder, plan, started, mail_files, locust, args, cpu=cpu, load=load)
    finally:
        stack.stop()
    (folder / "report.md").write_text(report)
    print(report)
    return 0 if ok else 1


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_locust(args, env, plan_file: Path, folder: Path) -> int:
    command = [
        PYTHON, "-m", "locust", "-f", str(LOCUSTFILE),
        "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
        "--run-time", args.time, "--host", f"http://127.0.0.1:{args.port}",
        "--stop-timeout", "15", "--only-summary", "--csv", str(folder / "locust"),
    ]  # fmt: skip
    locust_env = {**env, "LOADTEST_PLAN": str(plan_file), "LOADTEST_RESULT": str(folder / "result.json")}
    with open(folder / "logs" / "locust.log", "wb") as log:
        finished = subprocess.run(command, cwd=BASE_DIR, env=locust_env, stdout=log, stderr=log)  # noqa: S603
    return finished.returncode


def wait_for_mail(env, mail_dir: Path, stack: Stack, timeout: float = 300) -> None:
    """Until the broker's queue is empty, no mail of the outbox waits and the sink got nothing new
    for 5 seconds."""
    import redis

    from portal.notifications.models import Notification, NotificationStatus

    broker = redis.Redis.from_url(env["CELERY_BROKER_URL"])
    deadline = time.monotonic() + timeout
    last, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        stack.raise_if_one_died()
        count = len(list(mail_dir.glob("*.eml")))
        busy = (
            broker.llen("celery")
            or broker.hlen("unacked")
            or Notification.objects.filter(status=NotificationStatus.CLAIMED).exclude(payload={}).exists()
        )
        if count != last or busy:
            last, quiet_since = count, time.monotonic()
        elif time.monotonic() - quiet_since >= 5:
            return
        time.sleep(1)
    print("Warnung: nach 5 Minuten waren noch Mails unterwegs.", file=sys.stderr)


def _ms(value) -> str:
    return "–" if value is None else f"{value:.0f}"


def check(folder: Path, plan: dict, started, mail_files, locust_status: int, args, *, cpu, load):
    from portal.ops.loadtest.checks import compare_mails, overbooked_courses, waiting_list_gaps
    from training.models import Course, Enrollment, EnrollmentStatus

    result_file = folder / "result.json"
    if not result_file.exists():
        log = folder / "logs" / "locust.log"
        return f"locust lieferte kein Ergebnis (Status {locust_status}), siehe {log}\n", False
    result = json.loads(result_file.read_text())
    counted = [(int(status), n) for counter in result["statuses"].values() for status, n in counter.items()]
    server_errors = sum(n for status, n in counted if status >= 500)
    no_answer = sum(n for status, n in counted if status == 0)
    load_courses = Course.objects.filter(pk__in=plan["courses"])
    overbooked = overbooked_courses()
    gaps = waiting_list_gaps()
    mails = compare_mails(courses=load_courses, since=started, mail_files=mail_files)
    enrollments = Enrollment.objects.filter(course__in=load_courses)
    ok = not server_errors and not no_answer and not overbooked and not gaps and mails.ok

    lines = [
        f"Lasttest {started:%Y-%m-%d %H:%M} UTC: {args.users} Personen, {args.time}, "
        f"gunicorn mit {args.workers} Workern, ein Celery-Worker, ein Beat, PostgreSQL, Redis "
        f"({os.cpu_count()} Kerne, geteilt)",
        "",
        "| Seite | Anfragen | Fehler | Median ms | p95 ms | p95 ms, alle aktiv | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, page in sorted(result["pages"].items(), key=lambda item: -item[1]["requests"]):
        lines.append(
            f"| `{name}` | {page['requests']} | {page['failures']} | {_ms(page['median_ms'])} | "
            f"{_ms(page['p95_ms'])} | {_ms(page['p95_running_ms'])} | {_ms(page['max_ms'])} |"
        )
    total = result["total"]
    ramp = total.get("ramp_up_s")
    lines += [
        f"| **alle** | {total['requests']} | {total['failures']} | | {_ms(total['p95_ms'])} | "
        f"{_ms(total['p95_running_ms'])} | |",
        "",
        f"- „alle aktiv“: Anfragen, nachdem alle {args.users} Personen gestartet waren "
        f"(nach {_ms(ramp)} s; davor melden sich die Personen an)",
        f"- Anfragen je Sekunde: {total['rps']:.1f}; Serverfehler (5xx): {server_errors}; "
        f"ohne Antwort: {no_answer}; andere Fehler: {total['failures'] - server_errors - no_answer}",
        "- CPU-Sekunden im Lauf: "
        + ", ".join(f"{name} {seconds:.0f}" for name, seconds in cpu.items())
        + f" (PostgreSQL und Redis nicht gezählt); load average am Ende {load[0]:.1f} (1 min), "
        f"{load[1]:.1f} (5 min)",
        f"- Anmeldungen in den {len(plan['courses'])} Lastschulungen: {enrollments.count()} "
        f"(davon storniert {enrollments.filter(status=EnrollmentStatus.CANCELLED).count()}, "
        f"Warteliste {enrollments.filter(status=EnrollmentStatus.WAITLISTED).count()})",
        f"- Überbuchte Schulungen (alle {Course.objects.count()}): {len(overbooked) or 'keine'}",
        f"- Wartelisten mit Lücken: {len(gaps) or 'keine'}",
        f"- E-Mails erwartet {mails.expected}, empfangen {mails.received}, verloren "
        f"{sum(mails.lost.values())}, doppelt {sum(mails.duplicated.values())}, nicht versandt "
        f"{len(mails.unsent)}",
        f"- Ergebnis: {'bestanden' if ok else 'NICHT bestanden'}",
    ]
    for title, problems in (
        ("Überbucht", overbooked),
        ("Lücken", gaps),
        ("Verloren", [f"{n}× {mail}" for mail, n in mails.lost.items()]),
        ("Doppelt", [f"{n}× {mail}" for mail, n in mails.duplicated.items()]),
        ("Nicht versandt", mails.unsent),
        ("Fehler", [f"{e['count']}× {e['name']}: {e['error']}" for e in result["errors"]]),
    ):
        lines += [f"  - {title}: {problem}" for problem in problems[:20]]
    return "\n".join(lines) + "\n", ok


if __name__ == "__main__":
    sys.exit(main())
