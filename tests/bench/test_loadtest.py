"""`make load` writes its section of bench/results.md beside the timings, and `make bench` keeps it."""

from bench.loadtest import LOAD_SECTION, failed, replace_section
from bench.report import KEPT_SECTION, kept_section

RESULTS = """# Bench results

## Timings

| Page | p95 ms |
|---|---:|
| Client list | 64.4 |

## Over budget: where the time goes

Nothing over budget.

## Indexes and rollups

- hand-written
"""


def test_the_load_section_goes_after_the_timings_and_replaces_itself_on_the_next_run(tmp_path):
    path = tmp_path / "results.md"
    path.write_text(RESULTS)

    replace_section(path, LOAD_SECTION, "first run\n")
    replace_section(path, LOAD_SECTION, "| quick log | 870 |\n")

    text = path.read_text()
    assert text.count(LOAD_SECTION) == 1
    assert text.index("## Timings") < text.index(LOAD_SECTION) < text.index("## Over budget")
    assert "first run" not in text
    assert text.replace(f"{LOAD_SECTION}\n\n| quick log | 870 |\n\n", "") == RESULTS


def test_the_bench_report_carries_the_load_section_over_as_it_carries_the_hand_written_one(tmp_path):
    path = tmp_path / "results.md"
    path.write_text(RESULTS)
    replace_section(path, LOAD_SECTION, "| quick log | 870 |\n")

    assert kept_section(path, LOAD_SECTION, placeholder="") == "| quick log | 870 |\n"
    assert kept_section(path) == "- hand-written\n"
    assert KEPT_SECTION in path.read_text()
    assert kept_section(tmp_path / "missing.md", LOAD_SECTION, placeholder="") == ""


def test_failed_requests_count_every_kind_since_the_total_row_starts_after_the_sign_ins():
    rows = [
        {"Name": "sign in", "Failure Count": "2"},
        {"Name": "client list", "Failure Count": "1"},
        {"Name": "Aggregated", "Failure Count": "1"},
    ]

    assert failed(rows) == 3
