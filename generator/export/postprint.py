"""What is done to a print after Chromium made it, without printing again: the page of every
bookmark, the contents' page numbers stamped into their slots, links to other PDFs made real,
reproducible dates and names. Changes are appended as incremental updates, so a printed document
of a hundred pages is never rewritten in Python."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

_READERS: OrderedDict[str, Any] = OrderedDict()
_READERS_LOCK = threading.Lock()
READERS_KEPT = 8


def read_pdf(pdf_path: Path) -> tuple[bytes, Any]:
    """The file's bytes and a PdfReader of them. A print is read for several things in a row
    (bookmarks, contents slots, page count, links): while its bytes stay the same, the same reader
    answers, so the file is parsed once. Callers only read from it."""
    from pypdf import PdfReader

    data = pdf_path.read_bytes()
    key = hashlib.sha256(data).hexdigest()
    with _READERS_LOCK:
        reader = _READERS.get(key)
        if reader is not None:
            _READERS.move_to_end(key)
            return data, reader
    reader = PdfReader(io.BytesIO(data))
    with _READERS_LOCK:
        _READERS[key] = reader
        while len(_READERS) > READERS_KEPT:
            _READERS.popitem(last=False)
    return data, reader


def page_count(pdf_path: Path) -> int:
    return len(read_pdf(pdf_path)[1].pages)


def page_numbers(pdf_path: Path, anchors: list[str]) -> dict[str, int]:
    """1-based page of every anchor that is a named destination in the PDF."""
    _, reader = read_pdf(pdf_path)
    destinations = reader.named_destinations
    numbers = {}
    for anchor in anchors:
        destination = destinations.get(f"/{anchor}") or destinations.get(anchor)
        if destination is not None:
            numbers[anchor] = reader.get_destination_page_number(destination) + 1
    return numbers


_DATE_ENTRY = re.compile(rb"/(CreationDate|ModDate)\s*\((D:[^)]*)\)")


def set_dates(pdf_path: Path, when: Any) -> bool:
    """Make the PDF's dates `when` (an aware datetime), so two prints of one document are equal.

    Chromium (Skia) writes the print time as /CreationDate and /ModDate in the document
    information dictionary, and nothing else that changes from print to print (no /ID, no XMP
    unless PDF/A). Both values are replaced in place by a string of the same length, so every
    offset in the cross-reference table stays right and nothing is rewritten: a few milliseconds,
    against seconds for a rewrite. False when the file has no such dates (e.g. pypdf's output)."""
    from pypdf import PdfReader

    data = bytearray(pdf_path.read_bytes())
    reader = PdfReader(io.BytesIO(bytes(data)))
    info = reader.trailer.raw_get("/Info") if "/Info" in reader.trailer else None
    if info is None or not hasattr(info, "idnum"):
        return False
    start = reader.xref.get(info.generation, {}).get(info.idnum)
    if start is None:
        return False
    end = data.find(b"endobj", start)
    if end < 0:
        return False
    utc = when.astimezone(dt.timezone.utc)
    changed = False
    for match in list(_DATE_ENTRY.finditer(data, start, end)):
        old = match.group(2)
        new = utc.strftime("D:%Y%m%d%H%M%S+00'00'").encode("ascii")
        if len(new) > len(old):
            new = utc.strftime("D:%Y%m%d%H%M%SZ").encode("ascii")
        if len(new) > len(old):
            continue  # no shorter form exists; never seen from Chromium
        # Pad after the closing parenthesis: white space between dictionary entries is free.
        replacement = b"(" + new + b")" + b" " * (len(old) - len(new))
        data[match.start(2) - 1:match.end(2) + 1] = replacement
        changed = True
    if changed:
        pdf_path.write_bytes(bytes(data))
    return changed


_NODE_ID = re.compile(rb"\(node(\d{8})\)")


def stable_node_ids(pdf_path: Path) -> bool:
    """Chromium names tagged table cells (/ID, /Headers, /IDTree) after its DOM node numbers,
    which depend on what the renderer made before: two prints of one document differed by one.
    Every such name becomes its rank (node00000001, ...): the same length, so no offset moves, and
    the same order, so the ID tree stays sorted. False when the file has none."""
    data = pdf_path.read_bytes()
    found = sorted({int(m.group(1)) for m in _NODE_ID.finditer(data)})
    if not found:
        return False
    rank = {number: index + 1 for index, number in enumerate(found)}
    pdf_path.write_bytes(_NODE_ID.sub(lambda m: b"(node%08d)" % rank[int(m.group(1))], data))
    return True


def toc_slots(pdf_path: Path, anchors: set[str], last_page: int, first_page: int = 1) -> dict[int, list[tuple[list[float], int]]]:
    """Per contents page (0-based, from `first_page` up to the 1-based `last_page`, the first page of
    the content): (link rectangle, target page 1-based) of every contents link."""
    _, reader = read_pdf(pdf_path)
    destinations = reader.named_destinations
    slots: dict[int, list[tuple[list[float], int]]] = {}
    for index in range(first_page, min(last_page, len(reader.pages))):
        for annotation in reader.pages[index].get("/Annots") or []:
            annotation = annotation.get_object()
            name = str(annotation.get("/Dest", ""))
            if name.lstrip("/") in anchors and name in destinations:
                rect = [float(v) for v in annotation["/Rect"]]
                slots.setdefault(index, []).append((rect, reader.get_destination_page_number(destinations[name]) + 1))
    return slots


NUMBER_FONT_SIZE = 10.5
HELVETICA_DIGIT_WIDTH = 0.556  # every digit of the standard Helvetica font is 556/1000 em wide


def stamp_numbers(pdf_path: Path, slots: dict[int, list[tuple[list[float], int]]]) -> None:
    """Write the page numbers into their slots as an incremental update: the new content streams
    and changed page objects are appended, the printed document itself is not rewritten (rewriting
    100+ pages in Python costs more than printing them). The numbers use the standard Helvetica
    font (nothing to embed) and are marked as artifacts, so the tagged structure stays valid."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    data, reader = read_pdf(pdf_path)
    next_id = int(reader.trailer["/Size"])
    objects: list[tuple[int, bytes]] = []
    font_id = next_id
    next_id += 1
    objects.append((font_id, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"))
    for index, entries in sorted(slots.items()):
        page = reader.pages[index]
        # "Q" first: undo whatever transform the printed page left in force (its streams are wrapped in q ... Q).
        operations = ["Q /Artifact BMC q 0.1 0.1 0.1 rg BT"]
        for (x1, y1, x2, y2), number in entries:
            text = str(number)
            x = x2 - HELVETICA_DIGIT_WIDTH * NUMBER_FONT_SIZE * len(text)
            y = (y1 + y2) / 2 - 0.36 * NUMBER_FONT_SIZE
            operations.append(f"/RwNum {NUMBER_FONT_SIZE} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm ({text}) Tj")
        operations.append("ET Q EMC")
        stream = "\n".join(operations).encode("ascii")
        content_id = next_id
        next_id += 1
        objects.append((content_id, b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"))
        save_id = next_id
        next_id += 1
        objects.append((save_id, b"<< /Length 1 >>\nstream\nq\nendstream"))
        resources = DictionaryObject(page["/Resources"].get_object())
        fonts = DictionaryObject(resources.get("/Font", DictionaryObject()).get_object())
        fonts[NameObject("/RwNum")] = IndirectObject(font_id, 0, reader)
        resources[NameObject("/Font")] = fonts
        contents = page.get("/Contents")
        existing = list(contents) if isinstance(contents, ArrayObject) else ([contents] if contents is not None else [])
        changed = DictionaryObject(page)
        changed[NameObject("/Contents")] = ArrayObject(
            [IndirectObject(save_id, 0, reader)] + existing + [IndirectObject(content_id, 0, reader)])
        changed[NameObject("/Resources")] = resources
        buffer = io.BytesIO()
        changed.write_to_stream(buffer)
        objects.append((page.indirect_reference.idnum, buffer.getvalue()))
    pdf_path.write_bytes(data + incremental_update(data, reader, objects, next_id))


def incremental_update(data: bytes, reader: Any, objects: list[tuple[int, bytes]], size: int) -> bytes:
    """The bytes to append to `data` that replace or add `objects` ((number, body), generation 0):
    an incremental update, so the printed document is not rewritten. `size`: the new /Size."""
    previous_xref = int(data[data.rindex(b"startxref") + 9:].split()[0])
    update = io.BytesIO()
    update.write(b"\n")
    offsets = {}
    for object_id, body in objects:
        offsets[object_id] = len(data) + update.tell()
        update.write(b"%d 0 obj\n" % object_id + body + b"\nendobj\n")
    xref_at = len(data) + update.tell()
    update.write(b"xref\n0 1\n0000000000 65535 f \n")
    for object_id in sorted(offsets):
        update.write(b"%d 1\n%010d 00000 n \n" % (object_id, offsets[object_id]))
    trailer = [f"/Size {size}", f"/Prev {previous_xref}", f"/Root {reader.trailer.raw_get('/Root').idnum} 0 R"]
    if "/Info" in reader.trailer:
        trailer.append(f"/Info {reader.trailer.raw_get('/Info').idnum} 0 R")
    update.write(("trailer\n<< " + " ".join(trailer) + f" >>\nstartxref\n{xref_at}\n%%EOF\n").encode("ascii"))
    return update.getvalue()


FILE_LINK = "https://rolwijzer.invalid/pdf?file="  # a link to another PDF beside this one, made real after printing


def file_link(relative_pdf: str, destination: str = "") -> str:
    """An href for a link from one download to another PDF (relative to it), at a bookmark.
    Chromium prints a relative href as a file: address of the folder it printed in, so the link
    is printed as this marker and `link_files` turns it into a PDF go-to-file action."""
    from urllib.parse import quote

    # Quoted whole: Chromium would resolve a '../' in the address's path.
    return FILE_LINK + quote(relative_pdf, safe="") + (f"#{destination}" if destination else "")


def link_files(pdf_path: Path) -> int:
    """Turn every `file_link` marker into a PDF go-to-file action (/GoToR: open the file, relative
    to this one, at its bookmark). An incremental update; returns how many links changed."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject, TextStringObject

    data, reader = read_pdf(pdf_path)
    objects: list[tuple[int, bytes]] = []
    size = int(reader.trailer["/Size"])
    count = 0

    def action(target: str) -> DictionaryObject:
        from urllib.parse import unquote

        quoted, _, destination = target.partition("#")
        relative_pdf = unquote(quoted)
        entries = {NameObject("/S"): NameObject("/GoToR"), NameObject("/F"): TextStringObject(relative_pdf),
                   NameObject("/NewWindow"): NameObject("/false")}
        # /D: the bookmark, or the first page (an explicit destination: [page number /Fit])
        entries[NameObject("/D")] = TextStringObject(destination) if destination else ArrayObject([NumberObject(0), NameObject("/Fit")])
        return DictionaryObject(entries)

    def body(obj: Any) -> bytes:
        buffer = io.BytesIO()
        obj.write_to_stream(buffer)
        return buffer.getvalue()

    for page in reader.pages:
        annots = page.raw_get("/Annots") if "/Annots" in page else None
        if annots is None:
            continue
        array = annots.get_object()
        page_changed = False
        new_array = ArrayObject()
        for entry in array:
            annotation = entry.get_object()
            uri = str((annotation.get("/A") or {}).get("/URI", ""))
            if not uri.startswith(FILE_LINK):
                new_array.append(entry)
                continue
            changed = DictionaryObject(annotation)
            changed[NameObject("/A")] = action(uri[len(FILE_LINK):])
            count += 1
            if isinstance(entry, IndirectObject):
                objects.append((entry.idnum, body(changed)))
                new_array.append(entry)
            else:
                new_array.append(changed)
                page_changed = True
        if page_changed:
            if isinstance(annots, IndirectObject):
                objects.append((annots.idnum, body(new_array)))
            else:
                new_page = DictionaryObject(page)
                new_page[NameObject("/Annots")] = new_array
                objects.append((page.indirect_reference.idnum, body(new_page)))
    if objects:
        pdf_path.write_bytes(data + incremental_update(data, reader, objects, size))
    return count
