"""Section 6: the customer survey under load. ANSWERS answers to Stadt Mainz's running wave, sent to
gunicorn on 127.0.0.1 by CONNECTIONS clients at once, each a page view (its one-time token) and a
post; then every tenth token sent again. Reports answers per second and the p95 of page view + post,
and checks that none was lost (every post answered with the redirect to the thank-you page and stored)
and none doubled (every token sent again refused, nothing more stored)."""

import http.client
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from portal.ops.bench.report import Row, format_ms
from portal.ops.bench.served import CONNECTIONS, Gunicorn

ANSWERS = int(os.environ.get("BENCH_SURVEY_ANSWERS", "2000"))
TARGET_P95 = 0.3  # seconds, as the load test's pages
TOKEN = re.compile(rb'name="token" value="([^"]+)"')


def _answer(port: int, path: str, fields: dict[str, int]) -> tuple[float, int, str]:
    """One visitor: the page, then the post. Returns (seconds, status of the post, the token)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        token = TOKEN.search(conn.getresponse().read()).group(1).decode()
        status = _post(conn, path, {**fields, "token": token})
    finally:
        conn.close()
    return time.perf_counter() - started, status, token


def _post(conn: http.client.HTTPConnection, path: str, fields: dict) -> int:
    body = urlencode(fields)
    conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    return response.status


def _again(port: int, path: str, fields: dict[str, int], token: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        return _post(conn, path, {**fields, "token": token})
    finally:
        conn.close()


def measure(data: str) -> list[Row]:
    from authorities.models import SurveyResponse, SurveyWave

    wave = next(w for w in SurveyWave.objects.filter(authority__ags="07315000") if w.is_open())
    path = f"/umfrage/{wave.key}/de/"
    fields = {f"item_{item.code}": 1 for item in wave.questionnaire.items.filter(required=True)}
    before = SurveyResponse.objects.filter(wave=wave).count()
    # One address sends everything here; the limit per address is not what is measured.
    os.environ["SURVEY_RATE_LIMIT"] = str(ANSWERS * 10)
    with Gunicorn() as server:
        started = time.perf_counter()
        with ThreadPoolExecutor(CONNECTIONS) as pool:
            results = list(pool.map(lambda _: _answer(server.port, path, fields), range(ANSWERS)))
        elapsed = time.perf_counter() - started
        with ThreadPoolExecutor(CONNECTIONS) as pool:
            again = list(pool.map(lambda r: _again(server.port, path, fields, r[2]), results[::10]))
    stored = SurveyResponse.objects.filter(wave=wave).count() - before
    accepted = sum(1 for _seconds, status, _token in results if status == 302)
    refused_again = sum(1 for status in again if status == 403)
    durations = sorted(seconds for seconds, _status, _token in results)
    p95 = durations[int(0.95 * (len(durations) - 1))]
    sound = accepted == ANSWERS == stored and refused_again == len(again)
    return [
        Row(
            "6",
            f"Kundenbefragung: {ANSWERS} Antworten, {CONNECTIONS} gleichzeitig (gunicorn)",
            data,
            f"{ANSWERS / elapsed:.0f} Antworten/s, p95 {format_ms(p95)} (Seite + Absenden); "
            f"gespeichert {stored} von {accepted} angenommenen, {refused_again} von {len(again)} "
            "wiederholten Formularen abgewiesen",
            None,
            "",
            f"p95 ≤ {format_ms(TARGET_P95)}, keine verloren, keine doppelt",
            sound and p95 <= TARGET_P95,
        )
    ]
