"""The ceiling of `make bench`: a plain Flask "hello" app, served by gunicorn in exactly the
configuration of `outreach run` (outreach.cli.serve: the same bind, worker count, sync
workers, access log and forwarded-for setting), so that the ratio page/hello measures the
app's own work and nothing else.

    python bench/hello.py --port 5001 --workers 2
"""

import argparse

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5001)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    # outreach.cli.serve builds the gunicorn configuration and loads `_create_app()` in each
    # worker; serving this app through it keeps the two configurations the same by
    # construction rather than by copy.
    from outreach import cli

    cli._create_app = lambda: app
    cli.serve(args.host, args.port, args.workers)


if __name__ == "__main__":
    main()
