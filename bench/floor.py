"""The stack's floor for `make bench`: the real app (outreach.create_app, with every hook,
extension and setting) plus one page that does only what every signed-in page pays for:
the session cookie, the signed-in user loaded and checked, the access declaration, a CSRF
token, Babel (the locale chosen, one message translated) and compression of a 2 KB
answer. No page of the app can be faster than this on the same stack; the table shows it
beside hello. The page exists only in this benchmark process, never in the app.

    python bench/floor.py --port 5002 --workers 2     (DATABASE_URL, SECRET_KEY as the app)
"""

import argparse

from flask import render_template

FLOOR_PATH = "/bench/floor"

TEMPLATE = """<!doctype html>
<html lang="{{ current_language }}"><head><meta charset="utf-8">
<title>{{ _("Home") }}</title></head>
<body><main><h1>{{ _("Home") }}</h1>
<form method="post" action="/logout"><input type="hidden" name="csrf_token"
 value="{{ csrf_token() }}"><button>{{ _("Sign out") }}</button></form>
<p>{{ current_user.name }}</p>
{% for n in range(24) %}<p class="filler">{{ filler }} {{ n }}</p>
{% endfor %}</main></body></html>"""
FILLER = "Työpari benchmark floor page: text to compress, as a small page has."


def build():
    """The app with the floor page added (imported late: the app reads its environment)."""
    from outreach import create_app
    from outreach.auth.access import allow_signed_in

    app = create_app()
    # Compiled once, as the app's own templates are (render_template_string would compile
    # it again on every request: half of the floor's time, measured).
    template = app.jinja_env.from_string(TEMPLATE)

    @allow_signed_in
    def floor():
        return render_template(template, filler=FILLER)

    app.add_url_rule(FLOOR_PATH, "bench_floor", floor)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5002)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from outreach import cli

    cli._create_app = build  # the same gunicorn configuration as `outreach run`
    cli.serve(args.host, args.port, args.workers)


if __name__ == "__main__":
    main()
