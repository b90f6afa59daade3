"""The command line: exit codes, messages on stderr, never a traceback for a content error."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "--project", str(project), *args],
                          capture_output=True, text=True, timeout=120)


def test_check_good_project_exits_zero(minimal):
    result = run(minimal, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("in orde: 1 organisatie(s) gecontroleerd (voorbeeld)")


def test_check_strict_fails_on_warnings_but_not_on_what_is_still_to_do(minimal):
    result = run(minimal, "check", "--strict")
    assert result.returncode == 0, result.stderr
    assert "te doen: orgs/voorbeeld/org.yml:1: voorbeeld: geen site_url ingevuld" in result.stderr
    (minimal / "orgs/voorbeeld/content").mkdir(parents=True, exist_ok=True)
    (minimal / "orgs/voorbeeld/content/los.md").write_text("---\ntitle: Los\nsource: \"003_9a54ac296a9565ce.txt:1\"\n---\nTekst.\n",
                                                              encoding="utf-8")
    result = run(minimal, "check", "--strict")
    assert result.returncode == 2
    assert "waarschuwing: orgs/voorbeeld/content/los.md:2: voorbeeld: niets verwijst naar pagina 'los'" in result.stderr


def test_content_error_exits_2_with_file_line_and_no_traceback(make_project, tmp_path):
    project = make_project({"roles/leerkracht.yml": "title: Leerkracht\ncolour: blauw\nsource: x\n"}, base="minimal")
    result = run(project, "build", "--site", str(tmp_path / "site"))
    assert result.returncode == 2
    assert "roles/leerkracht.yml:2: kleur 'blauw' is geen geldige hex-kleur (verwacht #RRGGBB)" in result.stderr
    assert "1 fout in 1 bestand; er is niets gebouwd." in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "site").exists()


def test_build_writes_site_and_reports_on_stdout(minimal, tmp_path):
    result = run(minimal, "build", "--site", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert "voorbeeld: gebouwd" in result.stdout
    assert re.search(r"^tijd: sites \d+\.\d s, exporteren en publiceren \d+\.\d s$", result.stdout, re.M), result.stdout
    assert (tmp_path / "site/voorbeeld/index.html").is_file()


def test_unknown_organisation_is_named_with_a_suggestion(minimal):
    result = run(minimal, "build", "--org", "voorbeld")
    assert result.returncode == 2
    assert "organisatie 'voorbeld' bestaat niet (bedoelde je 'voorbeeld'?)" in result.stderr


def test_list_shows_organisations(minimal):
    result = run(minimal, "list")
    assert result.stdout.splitlines() == ["voorbeeld\tVoorbeeldschool\tonderwijs"]


def test_help_lists_exit_codes():
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--help"], capture_output=True, text=True)
    assert "2   fouten in de inhoud (er is niets gebouwd)" in result.stdout


def test_export_command_remakes_the_downloads_of_a_built_site(minimal, tmp_path):
    site = tmp_path / "site"
    assert run(minimal, "build", "--no-export", "--site", str(site)).returncode == 0
    assert not (site / "voorbeeld/downloads").exists()
    result = run(minimal, "export", "--org", "voorbeeld", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "voorbeeld/downloads/voorbeeld.pdf").is_file()
    assert (site / "voorbeeld/index.html").is_file()
    assert "voorbeeld: let op: rolkaarten en posters zonder QR-code: geen site_url in org.yml en geen --site-url" in result.stderr


def test_export_without_a_built_site_says_what_to_do(minimal, tmp_path):
    result = run(minimal, "export", "--site", str(tmp_path / "leeg"))
    assert result.returncode == 1
    assert "geen gebouwde site in" in result.stderr and "draai eerst 'rolwijzer build'" in result.stderr


def test_site_url_that_is_not_the_address_of_one_folder_is_refused(minimal, tmp_path):
    for bad in ("https://beleid.example.nl/scholen/../andere", "https://beleid.example.nl/?org=1", "ftp://beleid.example.nl"):
        result = run(minimal, "build", "--site-url", bad, "--site", str(tmp_path / "site"), "--no-export")
        assert result.returncode == 2, bad
        assert f"adres '{bad}' is geen" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
