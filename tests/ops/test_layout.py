"""The operations tooling lives in portal/ops/ and still works in the checkout: the stack runs manage.py
there, the bench and the load test write under its var/, and locust gets the load test's locustfile."""

from portal.ops.bench import environment
from portal.ops.loadtest.__main__ import LOCUSTFILE
from portal.ops.serve import stack


def test_the_stack_runs_manage_py_of_the_checkout(settings):
    assert stack.BASE_DIR == settings.BASE_DIR
    assert (stack.BASE_DIR / "manage.py").is_file()


def test_the_bench_and_the_stack_write_under_the_checkouts_var(settings, monkeypatch):
    monkeypatch.delenv("PORTAL_VAR_DIR", raising=False)

    assert environment.BENCH_DIR == settings.BASE_DIR / "var" / "bench"
    assert stack.serve_dir() == settings.BASE_DIR / "var" / "serve"


def test_make_loadtest_hands_locust_the_locustfile():
    assert LOCUSTFILE.is_file()
    assert "class " in LOCUSTFILE.read_text()
