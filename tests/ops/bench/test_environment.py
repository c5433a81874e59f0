"""The bench never uses the developer's database."""

from portal.ops.bench.environment import BENCH_DIR, Environment, bench_database_url, broker_and_cache


def test_postgres_gets_its_own_database_on_the_same_server():
    url, postgres = bench_database_url("postgres://postgres:secret@127.0.0.1:5432/portal")
    assert postgres
    assert url == "postgres://postgres:secret@127.0.0.1:5432/abh_bench"


def test_without_postgres_a_sqlite_file_under_var_bench():
    url, postgres = bench_database_url("")
    assert not postgres
    assert url == f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"
    url, postgres = bench_database_url("sqlite:////work/main/var/portal.sqlite3")
    assert url.endswith("var/bench/bench.sqlite3")


def test_with_redis_the_cache_is_redis_as_in_production():
    """Production sets CACHE_URL (sessions read from Redis, one cache for all processes): so does the
    bench when it has Redis, in a database other than the broker's (emptying one leaves the other)."""
    broker, cache = broker_and_cache(redis=True)
    assert broker == "redis://127.0.0.1:6379/9"
    assert cache.startswith("redis://127.0.0.1:6379/")
    assert cache != broker
    assert broker_and_cache(redis=False) == ("filesystem://", "")


def test_the_tables_header_names_the_cache():
    with_redis = Environment("postgres://…/abh_bench", True, *broker_and_cache(redis=True))
    without = Environment("sqlite:///…", False, *broker_and_cache(redis=False))
    assert with_redis.cache_label == "Redis 127.0.0.1:6379/10 (Sitzungen cached_db)"
    assert "Datenbank" in without.cache_label
