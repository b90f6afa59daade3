"""Fuzzing the loader and validator: whatever bytes a file holds, `check` ends in a list of
problems with file and line (or success), never an internal error or a hang. A fixed budget of
examples keeps this well under a minute."""

from __future__ import annotations

import shutil
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load import Roots
from generator.pipeline import check
from generator.problems import ContentError
from tests.conftest import FIXTURES

TARGETS = [
    "orgs/voorbeeld/org.yml",
    "orgs/voorbeeld/roles/leerkracht.yml",
    "orgs/voorbeeld/contacts/veilig-thuis.yml",
    "protocols/meldcode.yml",
    "content/meldcode/signaleren.md",
]

# YAML and Markdown pieces that mutations combine: structure, quoting, anchors, variables, links.
PIECES = st.sampled_from([
    "\n", "  ", "- ", ": ", "title: ", "source: x\n", "hub: [leerkracht]\n", "[", "]", "{", "}", '"', "'",
    "&a ", "*a ", "<<: *a\n", "---\n", "{{ org.name }}", "{{ ", " }}", "{% if %}", "{{ ''.__class__ }}",
    "[x](page:meldcode/signaleren)", "[y](bestaat-niet.md)", "(protocol:meldcode#x)", "<script>", "\t", "#", "!!python/object ",
    "?", "|", ">", "%", "@", "`", "\x00", "\ufeff", "é", "0800", "true", "null", "~", "2026-13-45", "1e999", "*" * 30,
])


def _mutations():
    original = st.sampled_from(TARGETS)
    edit = st.tuples(st.integers(min_value=0, max_value=4000), st.integers(min_value=0, max_value=40),
                     st.lists(PIECES, max_size=6).map("".join))
    return st.tuples(original, st.lists(edit, min_size=1, max_size=4), st.binary(max_size=8))


@settings(max_examples=250, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(_mutations())
def test_check_never_crashes_on_mutated_sources(tmp_path_factory, mutation):
    target, edits, raw_tail = mutation
    project = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    path = project / target
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    for position, cut, insert in edits:
        position = min(position, len(text))
        text = text[:position] + insert + text[position + cut:]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8", "surrogatepass") + raw_tail)
    started = time.perf_counter()
    try:
        check(Roots(project))
    except ContentError as error:
        assert error.problems, "a content error lists its problems"
        for problem in error.problems:
            assert problem.path and problem.line >= 1, problem
            assert "Traceback" not in problem.message
    assert time.perf_counter() - started < 5, "check must not hang on any input"
    shutil.rmtree(project.parent, ignore_errors=True)
