#!/usr/bin/python3
"""A local SMTP sink for the notify tests (Debian's python3-aiosmtpd).

    smtp_sink.py DIR [--refuse N] [--reject]

Listens on 127.0.0.1 on a free port, prints "PORT <port> PID <pid>" once it
accepts connections, and writes each accepted message to DIR/<n>.eml with
its envelope in DIR/<n>.json (mail_from, rcpt_tos). --refuse N answers the
first N messages' DATA with 451 (try again later); --reject answers every
message with 550. It ends on SIGTERM, or by itself after two minutes so that
a test that died leaves nothing running."""
import argparse
import asyncio
import json
import os
import pathlib
import signal
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, directory: pathlib.Path, refuse: int, reject: bool):
        self.directory = directory
        self.refuse = refuse
        self.reject = reject
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.reject:
            return "550 5.7.1 not accepted here"
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 try again later"
        self.count += 1
        stem = self.directory / str(self.count)
        stem.with_suffix(".eml").write_bytes(envelope.original_content)
        stem.with_suffix(".json").write_text(json.dumps(
            {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}))
        return "250 2.0.0 accepted"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", type=pathlib.Path)
    parser.add_argument("--refuse", type=int, default=0)
    parser.add_argument("--reject", action="store_true")
    args = parser.parse_args()
    sink = Sink(args.directory, args.refuse, args.reject)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(sink, decode_data=False), "127.0.0.1", 0)
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
    # Only now, with SIGTERM handled, may the test know the sink is there.
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port} PID {os.getpid()}", flush=True)
    try:
        await asyncio.wait_for(stop, timeout=120)
    except asyncio.TimeoutError:
        pass
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
