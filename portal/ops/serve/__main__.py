"""`make serve`: the production stack on 127.0.0.1 until Ctrl+C (see README, "Running in production")."""

import argparse
import os
import signal
import subprocess
import sys
import time

from portal.ops.serve.stack import Options, Stack, production_env, set_up


def parse_options(argv=None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m portal.ops.serve", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 4)))
    parser.add_argument("--concurrency", type=int, default=int(os.environ.get("CELERY_CONCURRENCY", 2)))
    parser.add_argument("--smtp-port", type=int, default=int(os.environ.get("SMTP_SINK_PORT", 8025)))
    args = parser.parse_args(argv)
    return Options(
        port=args.port,
        web_workers=args.workers,
        worker_concurrency=args.concurrency,
        smtp_port=args.smtp_port,
    )


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    env, options = production_env(parse_options(argv))
    try:
        set_up(env)
    except subprocess.CalledProcessError as error:
        print(f"Fehler bei der Einrichtung: {' '.join(error.cmd[1:])}", file=sys.stderr)
        return 1
    stack = Stack(env=env, options=options)
    # Ctrl+C, and SIGTERM from a process manager, stop the stack (also where SIGINT was ignored, as
    # for a background job of a script).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        stack.start()
        stack.wait_until_healthy()
        print(f"Portal (Produktion): http://{options.host}:{options.port}/", flush=True)
        print(f"  gunicorn mit {options.web_workers} Workern, ein Celery-Worker, ein Beat", flush=True)
        if options.mail_dir:
            print(f"  E-Mails: SMTP 127.0.0.1:{options.smtp_port} → {options.mail_dir}", flush=True)
        print("  Strg+C beendet alle Prozesse.", flush=True)
        while True:
            stack.raise_if_one_died()
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nBeende Webserver, Worker, Beat …", flush=True)
        return 0
    except RuntimeError as error:
        print(f"Fehler: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
