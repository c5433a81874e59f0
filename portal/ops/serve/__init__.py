"""The production stack on one machine, for `make serve` and the load test.

`python -m portal.ops.serve` starts, on 127.0.0.1, with DJANGO_ENV=production: gunicorn with several
workers (WhiteNoise serves the collected static files), one Celery worker and exactly one Celery
beat against Redis, PostgreSQL as the database and, unless EMAIL_URL is given, a local SMTP sink
that keeps every mail as a file. Ctrl+C stops all of them.
"""
