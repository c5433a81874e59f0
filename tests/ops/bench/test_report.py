"""The bench's table and the parsing of wrk's output."""

from portal.ops.bench.report import Row, document, format_met, format_ms, format_ratio, ratio, table
from portal.ops.bench.served import parse_wrk

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/bench/rows/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.10ms    3.20ms  60.00ms   90.00%
    Req/Sec   330.00     20.00   400.00     70.00%
  Latency Distribution
     50%   11.50ms
     75%   13.00ms
     90%   15.00ms
     99%    1.20s
  6600 requests in 10.01s, 20.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:    659.34
Transfer/sec:      2.00MB
"""


def test_ratios_and_times_are_formatted_for_the_table():
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(1.0, 0) is None
    assert format_ratio(1.5) == "1.50x"
    assert format_ratio(None) == "–"
    assert format_ms(0.0042) == "4.20 ms"
    assert format_ms(0.1234) == "123 ms"
    assert format_met(False) == "**nein**"
    assert format_met(None) == ""


def test_table_has_a_row_per_measurement_and_escapes_pipes():
    text = table(
        [
            Row("2", "Behördenliste", "10x", "9 ms", 1.25, "12 (1x: 12)", "≤ 2x", True),
            Row("4", "a|b", "1x", "noch nicht verfügbar"),
        ]
    )
    lines = text.splitlines()
    assert len(lines) == 4
    assert lines[2] == "| 2 | Behördenliste | 10x | 9 ms | 1.25x | 12 (1x: 12) | ≤ 2x | ja |"
    assert "a\\|b" in lines[3]
    assert "| – |" in lines[3]


def test_document_has_the_machine_the_table_and_the_notes():
    text = document([Row("1", "Boden")], ["Rechner: 2 Kerne"], ["Dauer: 300 s"])
    assert text.startswith("# make bench\n\n- Rechner: 2 Kerne\n")
    assert "| 1 | Boden |" in text
    assert text.endswith("- Dauer: 300 s\n")


def test_wrk_output_gives_throughput_latencies_and_errors():
    result = parse_wrk(WRK_OUTPUT)
    assert result.requests_per_second == 659.34
    assert result.p50 == 0.0115
    assert result.p99 == 1.2
    assert result.errors == 3
    assert result.socket_errors == 3


def test_the_wrk_script_sends_one_of_the_sessions_per_request():
    from portal.ops.bench.served import cookie_script

    script = cookie_script(["sessionid=a", "sessionid=b"])
    assert 'local cookies = {"sessionid=a", "sessionid=b"}' in script
    assert "cookies[math.random(#cookies)]" in script
