"""The soak test's own judgement: which answers are errors around the database restart, and
where its results go. The run itself is `make soak`, never CI."""

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))  # soak.py imports run.py as a sibling, as when it is run
spec = importlib.util.spec_from_file_location("bench_soak", BENCH / "soak.py")
soak = importlib.util.module_from_spec(spec)
spec.loader.exec_module(soak)

Result = soak.Result


def test_a_503_with_retry_after_is_allowed_only_during_the_outage():
    outage = (10.0, 12.0)
    results = [
        Result("home", 10.5, 10.6, 503, "GET / Retry-After=60"),
        Result("home", 13.0, 13.1, 503, "GET / Retry-After=60"),  # after recovery
        Result("home", 11.0, 11.1, 503, "GET /"),  # no Retry-After
        Result("home", 11.0, 11.1, 500, "GET /"),
        Result("home", 11.0, 11.1, 0, "/: ConnectionRefusedError()"),
        Result("home", 11.0, 11.1, 200),
        Result("healthz", 11.0, 11.1, 503, "GET /healthz"),  # reports the database down
    ]
    errors, degraded = soak.classify(results, outage)
    assert degraded == [results[0], results[6]]
    assert errors == results[1:5]


def test_without_a_restart_every_unexpected_answer_is_an_error():
    results = [Result("home", 1.0, 1.1, 503, "GET / Retry-After=60"), Result("map", 1, 2, 200)]
    assert soak.classify(results, None) == ([results[0]], [])


def test_recovery_is_the_first_good_answer_to_a_request_sent_after_the_restart():
    results = [
        Result("home", 4.0, 9.0, 200),  # sent before the restart ended
        Result("static file", 6.0, 6.1, 200),  # needs no database
        Result("home", 6.0, 6.5, 503, "GET / Retry-After=60"),
        Result("home", 7.0, 7.2, 200),
    ]
    assert soak.recovered_at(results, restarted=5.0) == 7.2


def test_percentiles_read_the_sorted_values():
    values = [0.1 * n for n in range(1, 101)]
    assert soak.percentile(values, 0.5) == values[50]
    assert soak.percentile(values, 0.99) == values[99]
    assert soak.percentile([], 0.5) == 0.0


def test_the_soak_section_replaces_only_its_own_part_of_results(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text(
        "# Benchmark results\n\nProse.\n\n<!-- bench:results:start -->\nB\n"
        "<!-- bench:results:end -->\n"
    )
    soak.write_results(results, "first\n")
    soak.write_results(results, "second\n")
    text = results.read_text()
    assert "Prose." in text and "\nB\n" in text
    assert "second" in text and "first" not in text
    assert text.count("## Soak") == 1


def test_memory_is_judged_on_medians_so_that_one_large_page_does_not_count():
    samples = [(0, {1: 100, 2: 100}), (5, {1: 180, 2: 100}), (10, {1: 100, 2: 100})]
    samples += [(300, {1: 105, 2: 100}), (305, {1: 104, 2: 190}), (310, {1: 106, 2: 101})]
    start, end, peak, same = soak.memory_figures(samples)
    assert start == {1: 100, 2: 100}
    assert end == {1: 105, 2: 101}
    assert peak == 294 and same
    replaced = soak.memory_figures([(0, {1: 100}), (300, {3: 100})])
    assert replaced[3] is False
