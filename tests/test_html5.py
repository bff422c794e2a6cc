"""The run's HTML5 check (tests/html5.py, run over every rendered page at the end of the
run) finds what is wrong and passes what is right."""

from tests.html5 import problems_in

VALID = ("<!doctype html><html lang=fi><head><meta charset=utf-8><title>Kirjaudu</title>"
         "</head><body><main><h1>Kirjaudu</h1></main></body></html>")


def test_the_html5_check_finds_an_error_and_says_on_which_page(client, tmp_path):
    login = client.get("/login").get_data(as_text=True)
    broken = VALID.replace("<main>", "<main><div id=x><p id=x>").replace("</main>", "</main>")
    found = problems_in([("/login", login), ("broken page", broken), ("ok", VALID)], tmp_path)
    assert len(found) >= 1
    assert all(problem.startswith("broken page: line 1:") for problem in found), found
    assert any("Duplicate ID" in problem for problem in found), found
