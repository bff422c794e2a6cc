"""The suite's own order (tests/conftest.py): the longest modules first, so that a
pytest-xdist run ends on short modules with every worker busy."""

from pathlib import Path

from tests.conftest import LONGEST_FIRST, run_order

ROOT = Path(__file__).resolve().parent.parent


def test_the_longest_modules_named_exist_once():
    # A module renamed or removed must not silently drop out and be sent last again.
    assert len(set(LONGEST_FIRST)) == len(LONGEST_FIRST)
    missing = [module for module in LONGEST_FIRST if not (ROOT / module).is_file()]
    assert not missing, f"LONGEST_FIRST names modules that are gone: {missing}"


def test_the_longest_first_then_the_most_tests_first():
    journeys, pages = "tests/e2e/test_role_journeys.py", "tests/e2e/test_pages.py"
    assert LONGEST_FIRST.index(journeys) < LONGEST_FIRST.index(pages)
    tests_in = {"tests/a/test_few.py": 3, pages: 7, "tests/b/test_many.py": 90, journeys: 8,
                "tests/c/test_some.py": 40}
    assert run_order(tests_in) == [journeys, pages, "tests/b/test_many.py",
                                   "tests/c/test_some.py", "tests/a/test_few.py"]
