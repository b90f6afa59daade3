"""Reproducible output: two builds of the same sources into two site folders are identical, every
file, byte for byte; every date they carry is the one build date; and no output file holds a path
of the build machine (project, build/ staging, the temporary folders) or a file: address.

wij-de-venen covers the interactive PDF, role cards (with QR codes: the copy gets a site_url, so
the sitemap lists pages too), the schoolgids HTML, PDF and DOCX; reset covers SOURCE_DATE_EPOCH."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import StreamObject

from generator.build import build_date
from generator.load import Roots
from generator.pipeline import build_variants, check

from .conftest import REPO
from .test_publish import project_copy

ORG = "wij-de-venen"
SITE_URL = "https://intranet.example.nl/beleid"
FILE_URI = re.compile(rb"file:/+\w", re.IGNORECASE)


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("reproducible")
    project = project_copy(root / "project", (ORG,))
    org_file = project / "orgs" / ORG / "org.yml"
    text = org_file.read_text(encoding="utf-8")
    org_file.write_text(re.sub(r'(?m)^site_url: ""$', f"site_url: {SITE_URL}", text), encoding="utf-8")
    sites = []
    for name in ("een", "twee"):
        site = root / name / "site"
        results = build_variants(Roots(project), [ORG], site, force=True)
        assert [(r.slug, r.status) for r in results] == [(ORG, "gebouwd")], [r.messages for r in results]
        sites.append(site)
    return project, sites[0], sites[1]


def first_difference(a: bytes, b: bytes) -> str:
    """Where two files part: sizes, offset and the bytes around it (for a failing test's message)."""
    at = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
    return f"{len(a)} / {len(b)} bytes, first difference at {at}: {a[max(0, at - 60):at + 60]!r} / {b[max(0, at - 60):at + 60]!r}"


def test_two_builds_are_identical_byte_for_byte(two_builds):
    """The second build copies its prints from build/.cache/prints (nothing they hold changed):
    this also shows a kept print gives the same files as a fresh one."""
    project, one, two = two_builds
    kept = list((project / "build/.cache/prints").glob("*.pdf"))
    roles = len(list((one / ORG / "downloads/rollen").glob("*.pdf")))
    assert len(kept) == 1 + roles, (len(kept), roles)  # the full PDF and each short PDF, printed once for both builds
    first, second = digests(one), digests(two)
    assert first.keys() == second.keys()
    differing = {path: first_difference((one / path).read_bytes(), (two / path).read_bytes())
                 for path in first if first[path] != second[path]}
    assert not differing, "\n".join(f"{path}: {where}" for path, where in differing.items())
    assert {f"{ORG}/downloads/{ORG}.pdf", f"{ORG}/downloads/schoolgids.docx", f"{ORG}/downloads/schoolgids.pdf",
            f"{ORG}/downloads/rolkaarten.pdf", f"{ORG}/sitemap.xml.gz"} <= first.keys()


def test_every_date_is_the_build_date(two_builds):
    project, site, _ = two_builds
    when = build_date(check(Roots(project), [ORG]).variants[ORG].org.model.document.date)
    downloads = site / ORG / "downloads"
    for pdf in sorted(downloads.rglob("*.pdf")):
        info = PdfReader(str(pdf)).metadata or {}
        for key in ("/CreationDate", "/ModDate"):
            if key in info:
                assert info[key] == when.strftime("D:%Y%m%d%H%M%S+00'00'"), (pdf.name, key, info[key])
    assert "/CreationDate" in PdfReader(str(downloads / f"{ORG}.pdf")).metadata
    with zipfile.ZipFile(downloads / "schoolgids.docx") as docx:
        assert {info.date_time for info in docx.infolist()} == {when.timetuple()[:6]}
        core = docx.read("docProps/core.xml").decode()
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f">{stamp}</dcterms:created>" in core and f">{stamp}</dcterms:modified>" in core
    sitemap = (site / ORG / "sitemap.xml").read_text(encoding="utf-8")
    assert SITE_URL in sitemap
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {when.strftime("%Y-%m-%d")}
    gz = (site / ORG / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(gz[4:8], "little") == int(when.timestamp())
    assert gzip.decompress(gz).decode("utf-8") == sitemap


def _pdf_streams(pdf: Path) -> list[bytes]:
    reader = PdfReader(str(pdf))
    found = []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: BLE001 - a free entry
            continue
        if isinstance(obj, StreamObject):
            found.append(obj.get_data())
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]).encode())
    return found


def _contents(path: Path) -> list[bytes]:
    """The file's bytes, plus what it holds compressed: PDF streams, ZIP entries, gzip data."""
    data = path.read_bytes()
    parts = [data]
    if path.suffix == ".pdf":
        parts += _pdf_streams(path)
    elif path.suffix in (".docx", ".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts += [archive.read(name) for name in archive.namelist()]
    elif path.suffix == ".gz":
        parts.append(gzip.decompress(data))
    return parts


def test_no_output_holds_a_path_of_the_build_machine(two_builds):
    project, site, other = two_builds
    forbidden = {str(project), str(project / "build"), str(site), str(other), str(REPO), tempfile.gettempdir() + "/"}
    forbidden = [p.encode() for p in forbidden]
    leaks = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        for part in _contents(path):
            leaks += [(path.relative_to(site).as_posix(), p.decode()) for p in forbidden if p in part]
            match = FILE_URI.search(part)
            if match:
                leaks.append((path.relative_to(site).as_posix(), part[max(0, match.start() - 40):match.end() + 40].decode("latin-1")))
    assert leaks == []


def test_source_date_epoch_wins_over_the_document_date(tmp_path, monkeypatch):
    project = project_copy(tmp_path / "project", ("reset",))
    epoch = int(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    results = build_variants(Roots(project), None, tmp_path / "site", force=True)
    assert results[0].status == "gebouwd", results[0].messages
    info = PdfReader(str(tmp_path / "site/reset/downloads/reset.pdf")).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20260101000000+00'00'"
    assert int.from_bytes((tmp_path / "site/reset/sitemap.xml.gz").read_bytes()[4:8], "little") == epoch
