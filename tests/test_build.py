"""End to end: sources -> site/<org>/ in a temporary directory, with atomic publishing."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from generator.load import Roots
from generator.pipeline import build_variants
from generator.problems import ContentError


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


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


def test_variants_build_in_parallel_processes(make_project, tmp_path):
    project = make_project({"orgs/tweede/org.yml": """
        name: Tweede school
        sectors: [onderwijs]
        source: "003_9a54ac296a9565ce.txt:1"
        hub: [aandachtsfunctionaris]
        terms: {dossiersysteem: Esis}
        """}, base="minimal")
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
    assert {p.name for p in cache.iterdir()} == {"html", "search", "themed"}
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
