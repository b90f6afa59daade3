"""End to end: sources -> site/<org>/ in a temporary directory, with atomic publishing."""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import pickle
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from jinja2.bccache import bc_magic

from generator import codecache
from generator.load import Roots
from generator.pipeline import build_variants
from generator.problems import ContentError


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def kinds_in(database: Path) -> set[str]:
    with sqlite3.connect(database) as db:
        return {kind for (kind,) in db.execute("SELECT DISTINCT kind FROM entries")}


def text(path: Path) -> str:
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))


@pytest.fixture
def built(minimal, tmp_path):
    site = tmp_path / "site"
    results = build_variants(Roots(minimal), None, site, jobs=1, export=False)
    assert [(r.slug, r.status) for r in results] == [("voorbeeld", "gebouwd")], results
    return minimal, site


def test_hub_has_a_tile_per_role_in_organisation_order(built):
    _, site = built
    hub = text(site / "voorbeeld/index.html")
    tiles = re.findall(r'<a class="rw-tile" href="([^"]+)"', hub)
    assert tiles == ["rollen/leerkracht.html", "rollen/aandachtsfunctionaris.html"]
    assert "Klik op jouw rol" in hub


def test_protocol_page_shows_steps_in_order_with_who_and_decisions(built):
    _, site = built
    page = text(site / "voorbeeld/protocollen/meldcode.html")
    positions = [page.index(t) for t in ("Stap 1. Breng signalen in kaart", "Stap 2. Overleg met een collega", "Stap 3. Weeg de zorg")]
    assert positions == sorted(positions)
    assert 'id="vermoeden"' in page and 'id="veiligheid"' in page
    assert "Noteer feiten in ParnasSys." in page  # organisation term filled in
    assert '<a href="../contact.html#veilig-thuis">Veilig Thuis</a>: <a class="rw-tel" href="tel:08002000">0800 2000</a>' in page


def test_references_in_text_become_working_links(built):
    _, site = built
    page = (site / "voorbeeld/meldcode/signaleren.html").read_text(encoding="utf-8")
    assert 'href="../protocollen/meldcode.html#overleg"' in page
    assert 'href="../contact.html#veilig-thuis"' in page


def test_letter_fills_known_placeholders_and_marks_the_rest(built):
    _, site = built
    letter = text(site / "voorbeeld/brieven/ouderbrief.html")
    assert "Namens Voorbeeldschool schrijven we" in letter
    assert '<span class="rw-fill">[groep]</span>' in letter


def test_site_index_lists_the_variants(built):
    _, site = built
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="voorbeeld/index.html">Voorbeeldschool</a>' in index


def test_generated_config_is_complete_without_inherit(built):
    project, _ = built
    config = (project / "build/voorbeeld/mkdocs.yml").read_text(encoding="utf-8")
    assert "INHERIT" not in config
    assert "site_name: Voorbeeldschool" in config and "language: nl" in config


def test_unchanged_rebuild_skips_the_variant(built):
    project, site = built
    before = tree_digest(site / "voorbeeld")
    results = build_variants(Roots(project), None, site, jobs=1, export=False)
    assert [(r.slug, r.status) for r in results] == [("voorbeeld", "ongewijzigd")]
    assert tree_digest(site / "voorbeeld") == before


def test_changed_source_rebuilds_the_variant(built):
    project, site = built
    (project / "orgs/voorbeeld/contacts/veilig-thuis.yml").write_text('phone: "0800 1234"\n', encoding="utf-8")
    results = build_variants(Roots(project), None, site, jobs=1, export=False)
    assert [(r.slug, r.status) for r in results] == [("voorbeeld", "gebouwd")]
    assert "0800 1234" in (site / "voorbeeld/contact.html").read_text(encoding="utf-8")


def test_a_removed_source_leaves_no_page_behind(built):
    project, site = built
    assert (site / "voorbeeld/brieven/ouderbrief.html").is_file()
    (project / "letters/ouderbrief.md").unlink()
    org = project / "orgs/voorbeeld/org.yml"
    org.write_text(re.sub(r"  - label: Ouderbrief\n    ref: letter:ouderbrief\n", "", org.read_text(encoding="utf-8")), encoding="utf-8")
    results = build_variants(Roots(project), None, site, jobs=1, export=False)
    assert [(r.slug, r.status) for r in results] == [("voorbeeld", "gebouwd")]
    assert not (site / "voorbeeld/brieven").exists()
    assert not (project / "build/voorbeeld/docs/brieven").exists()  # its staged Markdown and folder are gone too
    assert (site / "voorbeeld/protocollen/meldcode.html").is_file()


def test_content_error_leaves_previous_site_byte_for_byte(built):
    project, site = built
    before = tree_digest(site / "voorbeeld")
    (project / "roles/leerkracht.yml").write_text("title: [kapot\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build_variants(Roots(project), None, site, jobs=1, export=False)
    assert tree_digest(site / "voorbeeld") == before


def test_failed_mkdocs_build_leaves_previous_site_and_no_temp_dirs(built):
    project, site = built
    before = tree_digest(site / "voorbeeld")
    page = project / "content/meldcode/signaleren.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![schema](schema-bestaat-niet.png)\n", encoding="utf-8")
    results = build_variants(Roots(project), None, site, jobs=1, export=False)
    assert results[0].status == "mislukt"
    assert any("schema-bestaat-niet.png" in m for m in results[0].messages)
    assert tree_digest(site / "voorbeeld") == before
    assert sorted(p.name for p in site.iterdir()) == ["index.html", "voorbeeld"]


def two_schools(make_project) -> Path:
    """The minimal project with a second school beside voorbeeld."""
    return make_project({"orgs/tweede/org.yml": """
        name: Tweede school
        sectors: [onderwijs]
        source: "003_9a54ac296a9565ce.txt:1"
        hub: [aandachtsfunctionaris]
        terms: {dossiersysteem: Esis}
        """}, base="minimal")


def test_variants_build_in_parallel_processes(make_project, tmp_path):
    project = two_schools(make_project)
    site = tmp_path / "site"
    results = build_variants(Roots(project), None, site, jobs=2, export=False)
    assert [(r.slug, r.status) for r in results] == [("tweede", "gebouwd"), ("voorbeeld", "gebouwd")]
    assert "Esis" in (site / "tweede/protocollen/meldcode.html").read_text(encoding="utf-8")
    assert "ParnasSys" in (site / "voorbeeld/protocollen/meldcode.html").read_text(encoding="utf-8")


def test_page_cache_redoes_only_what_changed_and_equals_a_build_without_it(built, tmp_path):
    """A rebuild takes unchanged pages from build/.cache/pages; an edited page shows its new text,
    and the whole site equals a build with an empty cache, byte for byte."""
    project, site = built
    cache = project / "build/.cache/pages"
    assert {"html", "search", "themed"} <= kinds_in(cache / "pages.sqlite3")
    before = tree_digest(site / "voorbeeld")
    page = project / "content/meldcode/signaleren.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nDeze zin is nieuw na de eerste build.\n", encoding="utf-8")
    build_variants(Roots(project), None, site, jobs=1, export=False)
    after = tree_digest(site / "voorbeeld")
    assert "Deze zin is nieuw na de eerste build." in (site / "voorbeeld/meldcode/signaleren.html").read_text(encoding="utf-8")
    changed = {path for path in after if before.get(path) != after[path]}
    # the page, the search index (also as the offline plugin's script) and the manifest with the input stamp
    assert changed == {"meldcode/signaleren.html", "search/search_index.json", "search/search_index.js", "rolwijzer.json"}, changed
    shutil.rmtree(cache)
    build_variants(Roots(project), None, tmp_path / "cold", force=True, jobs=1, export=False)
    assert tree_digest(tmp_path / "cold/voorbeeld") == after


def test_a_broken_link_fails_every_build_also_with_a_warm_cache(built):
    project, site = built
    page = project / "content/meldcode/signaleren.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![plan](plan-bestaat-niet.png)\n", encoding="utf-8")
    for _ in range(2):
        results = build_variants(Roots(project), None, site, force=True, jobs=1, export=False)
        assert results[0].status == "mislukt"
        assert any("plan-bestaat-niet.png" in m for m in results[0].messages), results[0].messages


def test_an_extension_that_reads_other_files_turns_the_page_cache_off(built, tmp_path):
    """pymdownx.snippets puts another file's text into a page: a cached page would keep the old
    text when only that file changes. mkdocs.yml may not name it (baseconfig); a build that adds it
    anyway, through the Python API, is made without the cache."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from generator.pagecache import cached_pages

    project, _ = built
    staged = project / "build/voorbeeld/mkdocs.yml"
    config = load_config(str(staged), site_dir=str(tmp_path / "out"))
    config["markdown_extensions"].append("pymdownx.snippets")
    cache = project / "build/.cache/pages"
    shutil.rmtree(cache)
    with cached_pages(config, staged, cache):
        mkdocs_build(config)
    assert (tmp_path / "out/index.html").is_file()
    assert not cache.exists()


@pytest.mark.parametrize("planted", ["not a database", "trigger"])
def test_a_page_cache_that_is_not_ours_is_made_again(built, tmp_path, planted):
    """build/.cache can come from elsewhere (a CI cache). A file that is not a database, or one
    that brings its own trigger, is thrown away: the build is the same as one without a cache, and
    the trigger never runs."""
    project, site = built
    database = project / "build/.cache/pages/pages.sqlite3"
    expected = tree_digest(site / "voorbeeld")
    if planted == "not a database":
        database.write_bytes(b"dit is geen database\n" * 100)
    else:
        with sqlite3.connect(database) as db:
            db.execute("CREATE TABLE seen (what TEXT)")
            db.execute("CREATE TRIGGER spy AFTER INSERT ON entries BEGIN INSERT INTO seen VALUES (NEW.key); END")
            db.execute("DELETE FROM entries WHERE kind = 'themed'")
    results = build_variants(Roots(project), None, tmp_path / "again", force=True, jobs=1, export=False)
    assert results[0].status == "gebouwd", results[0].messages
    assert tree_digest(tmp_path / "again/voorbeeld") == {**expected, "rolwijzer.json": expected["rolwijzer.json"]}
    with sqlite3.connect(database) as db:
        assert [name for (name,) in db.execute("SELECT name FROM sqlite_master")] == ["entries"]
    assert {"html", "search", "themed"} <= kinds_in(database)  # (this process keeps its compiled templates in memory)


def _build_in_a_new_process(project: Path, site: Path, cache_home: Path) -> subprocess.CompletedProcess:
    """`rolwijzer build` in its own process (compiled templates are kept in memory per process),
    with its signing key in `cache_home`."""
    from tests.conftest import REPO

    command = [sys.executable, "-m", "generator", "--project", str(project), "build", "--force", "--no-export",
               "--jobs", "1", "--site", str(site)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, env={**os.environ, "XDG_CACHE_HOME": str(cache_home)})


def test_compiled_templates_are_read_back_only_when_signed_with_the_users_key(built, tmp_path):
    """A build from the kept compiled templates equals the build that compiled them. build/ can
    come from a fork: every compiled template and text in the cache is replaced by code that
    writes a file. Signed with another key, none of it runs and the site is the same;
    signed with the user's own key (the control: the planted entries are the ones a build reads),
    it runs."""
    project, _ = built
    database = project / "build/.cache/pages/pages.sqlite3"
    database.unlink()
    home = tmp_path / "home-cache"
    first = _build_in_a_new_process(project, tmp_path / "first", home)
    assert first.returncode == 0, first.stderr
    expected = tree_digest(tmp_path / "first/voorbeeld")
    with sqlite3.connect(database) as db:
        db.execute("DELETE FROM entries WHERE kind != 'code'")  # every page made again, from the kept templates
    second = _build_in_a_new_process(project, tmp_path / "second", home)
    assert second.returncode == 0, second.stderr
    assert tree_digest(tmp_path / "second/voorbeeld") == expected
    key = (home / "rolwijzer/code-signing-key").read_bytes()
    assert len(key) == 32 and (home / "rolwijzer/code-signing-key").stat().st_mode & 0o077 == 0
    marker = tmp_path / "planted-code-ran"

    def plant(signing_key: bytes) -> int:
        """Every code entry planted; the pages forgotten, so that the build loads every template."""
        code = marshal.dumps(compile(f"open({str(marker)!r}, 'a').write('ran')", "<planted>", "exec"))
        with sqlite3.connect(database) as db:
            db.execute("DELETE FROM entries WHERE kind != 'code'")
            keys = [entry_key for (entry_key,) in db.execute("SELECT key FROM entries WHERE kind = 'code'")]
            for entry_key in keys:
                payload = bc_magic + pickle.dumps(entry_key.rsplit(":", 1)[1], 2) + code
                signature = hmac.new(signing_key, entry_key.encode() + b"\0" + payload, "sha256").digest()
                db.execute("UPDATE entries SET value = ? WHERE kind = 'code' AND key = ?", (signature + payload, entry_key))
        return len(keys)

    assert plant(b"another key, not the user's one") > 30  # the theme's templates, the page templates, the texts
    again = _build_in_a_new_process(project, tmp_path / "again", home)
    assert again.returncode == 0, again.stderr
    assert not marker.exists()
    assert tree_digest(tmp_path / "again/voorbeeld") == expected
    plant(key)
    _build_in_a_new_process(project, tmp_path / "control", home)
    assert marker.exists()


def test_a_compiled_text_is_reused_by_its_source_and_an_edited_one_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    monkeypatch.setattr(codecache, "_STORES", {})
    codecache.signing_key.cache_clear()
    try:
        first = jinja2.Environment()
        codecache.keep_compiled(tmp_path / "cache", {"text": first})
        assert codecache.template_from_string(first, "Welkom bij {{ naam }}.").render(naam="De Linde") == "Welkom bij De Linde."
        codecache.flush()
        later = jinja2.Environment()  # a new process's environment: nothing compiled in memory
        codecache.keep_compiled(tmp_path / "cache", {"text": later})
        compiled = []
        monkeypatch.setattr(later, "compile", lambda source, *args: compiled.append(source) or jinja2.Environment.compile(later, source, *args))
        assert codecache.template_from_string(later, "Welkom bij {{ naam }}.").render(naam="De Es") == "Welkom bij De Es."
        assert compiled == []
        assert codecache.template_from_string(later, "Hallo {{ naam }}!").render(naam="De Es") == "Hallo De Es!"
        assert compiled == ["Hallo {{ naam }}!"]
    finally:
        codecache.signing_key.cache_clear()


def test_without_a_key_nothing_compiled_is_kept(tmp_path, monkeypatch):
    """A cache folder that cannot be written (here: a file where the folder should be): texts are
    compiled as always, and no entry is kept."""
    (tmp_path / "not-a-folder").write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    codecache.signing_key.cache_clear()
    try:
        environment = jinja2.Environment()
        codecache.keep_compiled(tmp_path / "cache", {"text": environment})
        assert environment.bytecode_cache is None
        assert codecache.template_from_string(environment, "{{ a }} en {{ b }}").render(a="jij", b="ik") == "jij en ik"
    finally:
        codecache.signing_key.cache_clear()


def test_the_page_cache_is_pruned_oldest_first(built):
    from generator.pagecache import prune

    project, _ = built
    database = project / "build/.cache/pages/pages.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("UPDATE entries SET used = 1 WHERE kind = 'themed'")  # the oldest
        count = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        themed = db.execute("SELECT COUNT(*) FROM entries WHERE kind = 'themed'").fetchone()[0]
        themed_bytes = db.execute("SELECT SUM(length(value)) FROM entries WHERE kind = 'themed'").fetchone()[0]
        size = db.execute("PRAGMA page_count").fetchone()[0] * db.execute("PRAGMA page_size").fetchone()[0]
    assert prune(database.parent, limit=size) == 0  # below the limit: nothing goes
    assert prune(database.parent, limit=size - themed_bytes // 2) >= 1
    with sqlite3.connect(database) as db:
        left = dict(db.execute("SELECT kind, COUNT(*) FROM entries GROUP BY kind").fetchall())
    assert left.get("themed", 0) < themed and left["html"] + left["search"] == count - themed


def test_theme_files_are_links_to_one_checked_copy(built, tmp_path):
    """Material's and our theme's static files are hard links to build/.cache/files (one copy on
    disk for every site). A copy changed in place is not linked again: the next site gets the
    theme's real file, and the sites that had the changed one keep it."""
    from generator import filestore

    project, site = built
    store = project / "build/.cache/files"
    script = next((site / "voorbeeld/assets/javascripts").glob("bundle.*.min.js"))
    entry = store / hashlib.sha256(script.read_bytes()).hexdigest()
    assert os.path.samefile(script, entry)
    assert (site / "voorbeeld/assets/org.css").stat().st_nlink == 1  # the site's own files are copies
    original = entry.read_bytes()
    with entry.open("r+b") as handle:  # changed in place: every link shows it
        handle.write(b"/* veranderd */")
    filestore._CHECKED.clear()  # a new process, as every build's workers are
    build_variants(Roots(project), None, tmp_path / "next", force=True, jobs=1, export=False)
    rebuilt = tmp_path / "next/voorbeeld/assets/javascripts" / script.name
    assert rebuilt.read_bytes() == original and not os.path.samefile(rebuilt, script)
    # an entry that no site links any more is removed after a build; the others stay
    shutil.rmtree(site)
    assert filestore.prune(store) == 0
    shutil.rmtree(tmp_path / "next")
    entries = len(list(store.iterdir()))
    assert entries > 10 and filestore.prune(store) == entries


def test_an_error_in_one_organisation_stops_the_builds_already_under_way(make_project, tmp_path):
    """With two processes, an organisation is built as soon as it is checked, while the next one
    is checked. An error in the next one stops the run: every problem is reported, no site
    changes, nothing of the run is left, and a first build leaves no site/ folder."""
    from generator.publish import leftovers

    project = two_schools(make_project)
    site = tmp_path / "site"
    build_variants(Roots(project), None, site, jobs=2, export=False)
    before = {slug: tree_digest(site / slug) for slug in ("tweede", "voorbeeld")}
    second = project / "orgs/tweede/org.yml"
    second.write_text(second.read_text(encoding="utf-8").replace("Tweede school", "Tweede basisschool"), encoding="utf-8")
    first = project / "orgs/voorbeeld/org.yml"
    first.write_text(first.read_text(encoding="utf-8").replace("hub: [", "hub: [bestaat-niet, "), encoding="utf-8")
    for target in (site, tmp_path / "nieuw"):
        with pytest.raises(ContentError) as error:
            build_variants(Roots(project), None, target, force=True, jobs=2, export=False)
        assert any("orgs/voorbeeld/org.yml" in p.format() and "bestaat-niet" in p.format() for p in error.value.problems)
    assert {slug: tree_digest(site / slug) for slug in ("tweede", "voorbeeld")} == before
    assert leftovers(site) == [] and sorted(p.name for p in site.iterdir()) == ["index.html", "tweede", "voorbeeld"]
    assert not (tmp_path / "nieuw").exists()


def test_a_rebuild_keeps_unchanged_pages_and_never_writes_into_the_published_site(built, tmp_path):
    """A page that comes out byte for byte as published is the published file itself (a hard link,
    nothing written); a changed page is a new file, and the file it replaces is not touched."""
    project, site = built
    kept, changed = site / "voorbeeld/protocollen/meldcode.html", site / "voorbeeld/meldcode/signaleren.html"
    witness = tmp_path / "oud-signaleren.html"
    os.link(changed, witness)  # the published file itself, under another name
    old_text = witness.read_bytes()
    kept_inode = kept.stat().st_ino
    page = project / "content/meldcode/signaleren.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEen nieuwe zin voor deze build.\n", encoding="utf-8")
    build_variants(Roots(project), None, site, force=True, jobs=1, export=False)
    assert "Een nieuwe zin voor deze build." in changed.read_text(encoding="utf-8")
    assert witness.read_bytes() == old_text and not os.path.samefile(witness, changed)
    assert kept.stat().st_ino == kept_inode
