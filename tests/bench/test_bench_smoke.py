"""The benchmark's own logic: reading wrk's output, judging targets, keeping RESULTS.md prose.

The timed runs themselves are `make bench` (CI runs `--smoke`); nothing here measures time.
"""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run = load("run")

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:40000/places/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    81.70ms   20.11ms 132.60ms   70.00%
    Req/Sec    98.10     20.00   140.00     70.00%
  Latency Distribution
     50%   81.70ms
     75%   95.00ms
     90%  110.00ms
     99%    1.32s
  975 requests in 5.00s, 29.91MB read
  Socket errors: connect 0, read 0, write 0, timeout 4
  Non-2xx or 3xx responses: 3
Requests/sec:    195.00
Transfer/sec:      5.98MB
"""


def test_wrk_output_is_read_with_units_errors_and_failures():
    result = run.parse_wrk(WRK_OUTPUT)

    assert result["requests_per_second"] == 195.0
    assert result["p50"] == pytest.approx(0.0817)
    assert result["p99"] == pytest.approx(1.32)
    assert result["requests"] == 975
    assert result["non_2xx_3xx"] == 3
    assert result["socket_errors"] == {"timeout": 4}


def test_unexpected_wrk_output_stops_the_run():
    with pytest.raises(run.BenchError, match="Unexpected wrk output"):
        run.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")


def test_latencies_in_every_wrk_unit():
    assert run.seconds("850.00us") == pytest.approx(0.00085)
    assert run.seconds("2.50s") == pytest.approx(2.5)
    assert run.seconds("1.00m") == pytest.approx(60.0)


def measured(rate, alone=0.01):
    return run.Measurement(status=200, requests_per_second=rate, alone_p50=alone)


def test_targets_are_judged_against_the_floor_of_the_same_pass():
    place_list = run.Endpoint("place list", "/places/", "list")
    cached = {"ratio": 0.4, "result": measured(40)}
    uncached = {"ratio": 0.25, "result": measured(25)}

    marks = run.evaluate(place_list, 11, cached, uncached)

    assert marks == {"Q": False, "C": False, "U": True}


def test_geojson_target_uses_the_uncached_service_time():
    geojson = run.Endpoint("places.geojson (all)", "/places.geojson", "data")
    cached = {"ratio": 0.9, "result": measured(90)}

    slow = run.evaluate(geojson, 5, cached, {"ratio": 0.1, "result": measured(10, alone=0.3)})
    fast = run.evaluate(geojson, 5, cached, {"ratio": 0.1, "result": measured(10, alone=0.2)})

    assert slow["G"] is False
    assert fast["G"] is True
    assert "U" not in fast


def test_results_file_keeps_its_prose_and_replaces_only_the_generated_table(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text(
        f"# Results\n\nWhy it is fast.\n\n{run.START_MARKER}\nold table\n{run.END_MARKER}\n\n"
        "## EXPLAIN notes\n\nIndexes used.\n",
        encoding="utf-8",
    )

    run.write_results(results, "new table\n")

    text = results.read_text(encoding="utf-8")
    assert "old table" not in text
    assert f"{run.START_MARKER}\nnew table\n{run.END_MARKER}" in text
    assert text.startswith("# Results\n\nWhy it is fast.")
    assert text.endswith("## EXPLAIN notes\n\nIndexes used.\n")


def test_results_file_without_markers_gets_a_section_appended(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Results\n\nNotes.\n", encoding="utf-8")

    run.write_results(results, "table\n")

    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Results\n\nNotes.\n")
    assert text.endswith(f"{run.START_MARKER}\ntable\n{run.END_MARKER}\n")


@pytest.mark.django_db
def test_probe_counts_queries_and_status_of_real_pages():
    probe = load("probe")

    results = probe.queries(["/robots.txt", "/places/no-such-place/"])

    assert results["/robots.txt"]["status"] == 200
    assert results["/robots.txt"]["queries"] == 0
    assert results["/places/no-such-place/"]["status"] == 404
