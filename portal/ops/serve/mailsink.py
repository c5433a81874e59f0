"""A local SMTP server that keeps every mail it accepts as one .eml file (for `make serve` and the
load test, never for real mail): `python -m portal.ops.serve.mailsink --dir var/serve/mail --port 8025`."""

import argparse
import itertools
import os
import signal
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class FileSink:
    """aiosmtpd handler: one file per accepted message, written whole before it is renamed into place,
    so that a reader never sees half a mail."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            number = next(self._numbers)
        name = f"{time.time_ns()}-{os.getpid()}-{number:07d}"
        partial = self.folder / f".{name}.tmp"
        partial.write_bytes(envelope.original_content or envelope.content)
        partial.rename(self.folder / f"{name}.eml")
        return "250 Message accepted for delivery"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    args = parser.parse_args(argv)
    controller = Controller(FileSink(args.dir), hostname=args.host, port=args.port)
    controller.start()
    print(f"SMTP-Sammelstelle: {args.host}:{args.port} → {args.dir}", flush=True)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main()
