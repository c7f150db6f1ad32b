"""Serve a local web page: upload or record speech, see its emotion and faces.

The page shows the FER-2013 emotion heard, a probability chart and a grid of
faces, with controls for the number of faces and the seed. It listens on
localhost only unless told otherwise, and fetches nothing from the internet.
Stop it with Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
import time

from speechface.cli._models import add_model_options, speech_to_face


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    parser.add_argument("--max-upload-mb", type=float, default=10.0, help="largest upload in MiB (default 10)")
    parser.add_argument("--max-seconds", type=float, default=30.0, help="longest clip in seconds (default 30)")
    add_model_options(parser)


def run(args: argparse.Namespace) -> int:
    from speechface.app import App, AppServer

    for name in ("max_upload_mb", "max_seconds"):
        if not getattr(args, name) > 0:
            raise ValueError(f"--{name.replace('_', '-')} must be > 0, got {getattr(args, name)}")
    start = time.perf_counter()
    app = App(
        speech_to_face(args.ser, args.generator, soft=args.soft),
        max_upload_bytes=int(args.max_upload_mb * 2**20),
        max_seconds=args.max_seconds,
    )
    app.warm_up()
    with AppServer((args.host, args.port), app, verbose=not args.quiet) as server:
        print(
            f"speechface serve: {server.url} (ready in {time.perf_counter() - start:.1f} s; Ctrl-C stops)", flush=True
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("speechface serve: stopped", file=sys.stderr)
    return 0
