"""Refusing template files that are dangerous or not what they claim to be, before anything reads them.

Every check raises :class:`TemplateReadError` with a message from ``messages.py`` naming the file and
saying what to do; the import then reports it and writes nothing. The limits are settings:

* ``SSWIS_IMPORT_MAX_BYTES`` (default 200 MB): the largest single file: a CSV file, a CSV file inside a
  zip (its unpacked size), a workbook, a zip file. (The per-file check of CSV files in a folder is made
  by the import run, which reports it against the file.)
* ``SSWIS_IMPORT_MAX_TOTAL_BYTES`` (default 2 GB): what one source may hold in all: the unpacked size of
  every member of a zip or workbook, or the template CSV files of a folder together. It also bounds
  each part of a workbook (a sheet is loaded whole): a sheet's XML is 6 to 10 times its share of the
  workbook, so a national workbook of 1,000,000 workers (88 MB) holds a 615 MB sheet, which the
  per-file limit would refuse although the file itself is well under it.
* ``SSWIS_IMPORT_MAX_COMPRESSION_RATIO`` (default 100): how many times a member of a zip or workbook may
  be compressed (unpacked size / packed size). Real spreadsheets and CSV files compress 5 to 20 times;
  a "zip bomb" a thousand times or more. Members unpacking to at most :data:`RATIO_GRACE_BYTES` are not
  held to it (a small file of blanks compresses very well and harms nothing).
* ``SSWIS_IMPORT_MAX_ARCHIVE_MEMBERS`` (default 1000): members of a zip or workbook.

They are read only through :func:`limits_current`; 0 (or absent) means the default, never "no limit".

Zip files and workbooks (a workbook is a zip of XML parts) are checked from their central directory
before anything is unpacked: number of members, declared sizes and ratios, password protection and
compression method (only stored and deflated, which is what Excel and every common zip tool write).
Their members are then unpacked only by :func:`member_chunks`, which never produces more than the
directory declared and refuses a member that does not end exactly there with the declared checksum
(a "lying" directory). A workbook is unpacked that way in full before python-calamine opens it, so
calamine only ever sees a workbook whose every part was verified, and any part that declares a
DOCTYPE or ENTITY, in any case and with any whitespace (the vehicle of entity-expansion and external-entity attacks, never written by
Excel) is refused; calamine does not resolve entities anyway.

Files are sniffed by their first bytes, not trusted by their extension: a workbook must be a zip
holding ``xl/workbook.xml``; an OLE compound file (magic ``D0 CF 11 E0 A1 B1 1A E1``) is either a
password-protected workbook (it has an ``EncryptionInfo`` stream) or an old ``.xls``/Office file; a
macro-enabled workbook (``.xlsm`` or holding ``xl/vbaProject.bin``) is refused; a CSV file must be
text: no zip, OLE or PDF signature, and no NUL byte unless it starts with a UTF-16/32 byte order mark.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zlib
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from zipfile import ZIP_DEFLATED, ZIP_STORED, BadZipFile, LargeZipFile, ZipFile, ZipInfo

from django.conf import settings

from sswis.imports.messages import content_words, message

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
PDF_SIGNATURE = b"%PDF-"
TEXT_BYTE_ORDER_MARKS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
RATIO_GRACE_BYTES = 2**20
"""Members unpacking to at most this many bytes are not held to the compression ratio limit."""

CHUNK_BYTES = 2**16
_MB = 2**20


class TemplateReadError(Exception):
    """A file (or the source) cannot or may not be read.

    ``row`` is where reading stopped (0: before any row); ``file`` names the file refused when it is not
    the template file being read (e.g. the workbook or zip as a whole), else it is empty.
    """

    def __init__(self, message: str, *, row: int = 0, file: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.file = file


@dataclass(frozen=True)
class Limits:
    """The limits in force (see the module docstring)."""

    max_bytes: int
    max_total_bytes: int
    max_ratio: int
    max_members: int


def limits_current() -> Limits:
    """The limits from the settings: the ONE place they are read (uploads, the CLI copy, readers, loading).

    A setting that is absent or 0 (or negative) means its default: a limit cannot be switched off, only
    raised, because an unlimited import would let one file exhaust the server's disk or memory.
    """

    def setting(name: str, default: int) -> int:
        value = int(getattr(settings, name, 0) or 0)
        return value if value > 0 else default

    return Limits(
        max_bytes=setting("SSWIS_IMPORT_MAX_BYTES", 200 * _MB),
        max_total_bytes=setting("SSWIS_IMPORT_MAX_TOTAL_BYTES", 2048 * _MB),
        max_ratio=setting("SSWIS_IMPORT_MAX_COMPRESSION_RATIO", 100),
        max_members=setting("SSWIS_IMPORT_MAX_ARCHIVE_MEMBERS", 1000),
    )


def _megabytes(size: int) -> str:
    return f"{size / _MB:,.0f}" if size >= _MB else f"{size / _MB:.2f}"


def _head(path: Path, size: int = 8) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def content_description(head: bytes) -> str:
    """What the first bytes of a file show it to be, in words for a message (e.g. "it is a PDF document")."""
    if not head:
        return content_words("empty")
    if head.startswith(ZIP_SIGNATURES):
        return content_words("zip")
    if head.startswith(OLE_SIGNATURE):
        return content_words("ole")
    if head.startswith(PDF_SIGNATURE):
        return content_words("pdf")
    if b"\x00" in head and not head.startswith(TEXT_BYTE_ORDER_MARKS):
        return content_words("binary")
    return content_words("text")


# Zip files and workbooks ---------------------------------------------------------------------------------


def _archive_open(path: Path) -> ZipFile:
    try:
        return ZipFile(path)
    except (BadZipFile, LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise BadZipFile(str(exc) or type(exc).__name__) from exc


def archive_check(
    *, archive: ZipFile, file: str, limits: Limits, max_member_bytes: int | None = None
) -> None:
    """Refuse a zip (or workbook) from its central directory alone, before anything is unpacked.

    Checks the number of members, password protection, the compression method, each member's
    declared size against ``max_member_bytes`` (when given), each member's compression ratio and the
    total declared unpacked size.
    """
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise TemplateReadError(
            message("archive_members", file=file, count=len(members), limit=limits.max_members), file=file
        )
    total = 0
    for info in members:
        member = info.filename
        if info.flag_bits & 0x1:
            raise TemplateReadError(message("archive_encrypted", file=file, member=member), file=file)
        if info.compress_type not in (ZIP_STORED, ZIP_DEFLATED):
            raise TemplateReadError(message("archive_method", file=file, member=member), file=file)
        if max_member_bytes is not None and info.file_size > max_member_bytes:
            text = message(
                "archive_member_too_large",
                member=member,
                file=file,
                size=_megabytes(info.file_size),
                limit=max_member_bytes // _MB,
            )
            raise TemplateReadError(text, file=file)
        if info.file_size > RATIO_GRACE_BYTES and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            text = message(
                "archive_ratio", member=member, file=file, ratio=f"{ratio:,}", limit=limits.max_ratio
            )
            raise TemplateReadError(text, file=file)
        total += info.file_size
    if total > limits.max_total_bytes:
        text = message(
            "archive_too_large", file=file, size=_megabytes(total), limit=limits.max_total_bytes // _MB
        )
        raise TemplateReadError(text, file=file)


_LOCAL_HEADER = struct.Struct(
    "<4s22x2H"
)  # signature, then the name and extra field lengths at offset 26 (30 bytes)


def member_chunks(*, path: Path, info: ZipInfo, file: str) -> Generator[bytes, None, None]:
    """The unpacked bytes of member ``info`` of the zip at ``path``, in chunks of at most :data:`CHUNK_BYTES`.

    Unpacks from the raw data itself (not trusting any library to stop), never produces more than the
    directory declared, and raises ``TemplateReadError`` (``archive_damaged``) when the data would go on
    beyond that size, ends before it, or does not match the declared checksum: a member with a lying
    directory entry is refused, not truncated. Only stored and deflated members (see
    :func:`archive_check`).
    """

    def damaged() -> TemplateReadError:
        return TemplateReadError(message("archive_damaged", file=file, member=info.filename), file=file)

    if info.compress_type not in (ZIP_STORED, ZIP_DEFLATED):
        raise TemplateReadError(message("archive_method", file=file, member=info.filename), file=file)
    with path.open("rb") as handle:
        handle.seek(info.header_offset)
        header = handle.read(_LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size:
            raise damaged()
        signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
        if signature != b"PK\x03\x04":
            raise damaged()
        handle.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
        compressed_left, expected, produced, checksum = info.compress_size, info.file_size, 0, 0
        inflater = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == ZIP_DEFLATED else None
        if inflater is None and compressed_left != expected:
            raise damaged()
        while True:
            if inflater is not None and inflater.unconsumed_tail:
                data = inflater.decompress(inflater.unconsumed_tail, CHUNK_BYTES)
            elif (inflater is not None and inflater.eof) or compressed_left == 0:
                break
            else:
                raw = handle.read(min(CHUNK_BYTES, compressed_left))
                if not raw:
                    raise damaged()
                compressed_left -= len(raw)
                try:
                    data = raw if inflater is None else inflater.decompress(raw, CHUNK_BYTES)
                except zlib.error as exc:
                    raise damaged() from exc
            produced += len(data)
            if produced > expected:  # the directory lied about the size: stop before unpacking more
                raise damaged()
            checksum = zlib.crc32(data, checksum)
            if data:
                yield data
        if produced != expected or checksum != info.CRC or (inflater is not None and not inflater.eof):
            raise damaged()


class _ChunkStream(io.RawIOBase):
    """A readable binary stream over an iterator of byte chunks (closing it closes the iterator)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks
        self._buffer = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buffer = memoryview(chunk)
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()
        super().close()


def member_open(*, path: Path, info: ZipInfo, file: str) -> BinaryIO:
    """A buffered binary stream of member ``info`` unpacked by :func:`member_chunks` (same guarantees)."""
    return io.BufferedReader(_ChunkStream(member_chunks(path=path, info=info, file=file)), CHUNK_BYTES)


def zip_open(*, path: Path) -> ZipFile:
    """Open the ``.zip`` of CSV files at ``path`` after checking it is a zip and passes :func:`archive_check`.

    The zip file itself, and every member's unpacked size, must stay within ``SSWIS_IMPORT_MAX_BYTES``.
    """
    file, limits = path.name, limits_current()
    head = _head(path)
    if path.stat().st_size > limits.max_bytes:
        raise TemplateReadError(message("too_large", file=file, limit=limits.max_bytes // _MB), file=file)
    if not head.startswith(ZIP_SIGNATURES):
        raise TemplateReadError(message("not_a_zip", file=file, content=content_description(head)), file=file)
    try:
        archive = _archive_open(path)
    except BadZipFile as exc:
        detail = content_words("damaged_zip", detail=str(exc))
        raise TemplateReadError(message("not_a_zip", file=file, content=detail), file=file) from exc
    try:
        archive_check(archive=archive, file=file, limits=limits, max_member_bytes=limits.max_bytes)
    except TemplateReadError:
        archive.close()
        raise
    return archive


_DECLARATION = re.compile(r"<\s*!\s*(?:doctype|entity)", re.IGNORECASE)
_OPEN_DECLARATION = re.compile(r"<\s*!?\s*[a-z]{0,6}", re.IGNORECASE)  # what may still become one
_MAX_OPEN_DECLARATION = 4096  # characters of "<" plus whitespace no real part has


def _declares_entities(chunks: Iterable[bytes]) -> bool:
    """Whether an XML part holds a DOCTYPE or ENTITY declaration (in UTF-8, or UTF-16 when it starts so).

    Matched without regard to case and allowing whitespace after ``<`` and ``!`` (``<!doctype``,
    ``< !ENTITY``), in text decoded chunk by chunk, across chunk boundaries. The whole part is searched,
    not only its prolog: in element content ``<`` is always escaped, so the markers cannot appear there
    legitimately (Excel writes no CDATA sections). A ``<`` followed by more than
    :data:`_MAX_OPEN_DECLARATION` characters of whitespace is taken as one too (no real part has it, and
    it keeps the search linear).
    """
    decoder: codecs.IncrementalDecoder | None = None
    tail = ""
    for chunk in chunks:
        if decoder is None:
            start = chunk[:2]
            encoding = "utf-8"
            if start in (codecs.BOM_UTF16_LE, b"<\x00"):
                encoding = "utf-16-le"
            elif start in (codecs.BOM_UTF16_BE, b"\x00<"):
                encoding = "utf-16-be"
            decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        text = tail + decoder.decode(chunk)
        if _DECLARATION.search(text):
            return True
        last = text.rfind("<")
        tail = text[last:] if last >= 0 and _OPEN_DECLARATION.fullmatch(text, last) else ""
        if len(tail) > _MAX_OPEN_DECLARATION:
            return True
    return False


def workbook_check(*, path: Path) -> None:
    """Refuse the workbook at ``path`` unless it is a plain ``.xlsx`` whose every part unpacks safely.

    In order: size, an OLE file (password-protected workbook, or an old ``.xls``), the ``.xlsm``
    extension, not a zip, the directory checks of :func:`archive_check`, no ``xl/workbook.xml``,
    macros (``xl/vbaProject.bin``), then every member is unpacked by :func:`member_chunks` (refusing a
    lying directory) and searched for DOCTYPE/ENTITY declarations. Nothing is kept in memory beyond
    one chunk.
    """
    file, limits = path.name, limits_current()
    if path.stat().st_size > limits.max_bytes:
        raise TemplateReadError(message("too_large", file=file, limit=limits.max_bytes // _MB), file=file)
    head = _head(path)
    if head.startswith(OLE_SIGNATURE):
        names = ole_stream_names(path=path)
        key = "encrypted_workbook" if {"EncryptionInfo", "EncryptedPackage"} & names else "legacy_workbook"
        raise TemplateReadError(message(key, file=file), file=file)
    if path.suffix.lower() == ".xlsm":
        raise TemplateReadError(message("macro_workbook", file=file), file=file)
    if not head.startswith(ZIP_SIGNATURES):
        text = message("not_a_workbook", file=file, extension=path.suffix, content=content_description(head))
        raise TemplateReadError(text, file=file)
    try:
        archive = _archive_open(path)
    except BadZipFile as exc:
        raise TemplateReadError(message("damaged_workbook", file=file, detail=str(exc)), file=file) from exc
    with archive:
        # Each part is held to the total limit: calamine loads a sheet whole, and a 10 MB workbook may
        # hold a sheet that unpacks to gigabytes; the per-file limit would refuse real national workbooks
        # (the XML of a sheet is 6-10 times its compressed size), the ratio limit catches the bombs.
        archive_check(archive=archive, file=file, limits=limits, max_member_bytes=limits.max_total_bytes)
        names = {info.filename.lower() for info in archive.infolist()}
        if "xl/workbook.xml" not in names:
            content = content_words("zip_without_workbook")
            raise TemplateReadError(
                message("not_a_workbook", file=file, extension=path.suffix, content=content), file=file
            )
        if "xl/vbaproject.bin" in names:
            raise TemplateReadError(message("macro_workbook", file=file), file=file)
        for info in archive.infolist():
            if info.is_dir():
                continue
            chunks = member_chunks(path=path, info=info, file=file)
            try:
                if _declares_entities(chunks):
                    raise TemplateReadError(
                        message("xml_declaration", file=file, member=info.filename), file=file
                    )
            finally:
                chunks.close()


# CSV files -----------------------------------------------------------------------------------------------


def text_check(*, chunks: Iterable[bytes], file: str) -> bool:
    """Refuse bytes that are not text; return whether they are all valid UTF-8.

    For a file without a byte order mark (the caller handles those that have one): the first bytes
    must not be a zip, OLE or PDF signature and no byte may be NUL (UTF-16 without a byte order mark is
    refused that way too: it cannot be told apart from binary data safely). Reads the whole stream once,
    a chunk at a time; UTF-8 validity is checked across chunk boundaries.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    first = True
    for chunk in chunks:
        if first:
            first = False
            if chunk.startswith((*ZIP_SIGNATURES, OLE_SIGNATURE, PDF_SIGNATURE)):
                text = message("not_csv_text", file=file, content=content_description(chunk[:8]))
                raise TemplateReadError(text)
        if b"\x00" in chunk:
            raise TemplateReadError(message("not_csv_text", file=file, content=content_words("binary")))
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return utf8


def text_head_check(*, head: bytes, file: str) -> None:
    """Refuse a CSV file whose first bytes are a zip, OLE or PDF signature (for files with a byte order mark
    or read with a given encoding, which :func:`text_check` does not scan)."""
    if head.startswith((*ZIP_SIGNATURES, OLE_SIGNATURE, PDF_SIGNATURE)):
        raise TemplateReadError(message("not_csv_text", file=file, content=content_description(head)))


# OLE compound files ([MS-CFB]) ------------------------------------------------------------------------------

_END_OF_CHAIN = 0xFFFFFFFA  # sector numbers from here up are markers, not sectors


def ole_stream_names(*, path: Path) -> set[str]:
    """Names of the storages and streams in the OLE compound file at ``path`` (empty when it is damaged).

    Reads only the header, the FAT sectors needed and the directory chain; every loop is bounded by the
    number of sectors in the file, so a damaged or hostile file cannot make it run for ever.
    """
    names: set[str] = set()
    try:
        with path.open("rb") as handle:
            size = path.stat().st_size
            header = handle.read(512)
            if len(header) < 512 or not header.startswith(OLE_SIGNATURE):
                return names
            shift = int.from_bytes(header[30:32], "little")
            if shift not in (9, 12):
                return names
            sector_size = 1 << shift
            max_sectors = size // sector_size + 1
            per_sector = sector_size // 4

            def sector(number: int) -> bytes:
                handle.seek((number + 1) * sector_size)
                data = handle.read(sector_size)
                if len(data) != sector_size:
                    raise ValueError("short sector")
                return data

            def numbers(data: bytes) -> list[int]:
                return list(struct.unpack(f"<{len(data) // 4}I", data))

            fat_sectors = [number for number in numbers(header[76:512]) if number < _END_OF_CHAIN]
            difat, steps = int.from_bytes(header[68:72], "little"), 0
            while difat < _END_OF_CHAIN and steps < max_sectors:
                entries = numbers(sector(difat))
                fat_sectors.extend(number for number in entries[:-1] if number < _END_OF_CHAIN)
                difat, steps = entries[-1], steps + 1
            fat_cache: dict[int, list[int]] = {}

            def next_sector(number: int) -> int:
                index = number // per_sector
                if index >= len(fat_sectors):
                    return _END_OF_CHAIN
                if index not in fat_cache:
                    fat_cache[index] = numbers(sector(fat_sectors[index]))
                return fat_cache[index][number % per_sector]

            current, steps = int.from_bytes(header[48:52], "little"), 0
            while current < _END_OF_CHAIN and steps < max_sectors:
                data = sector(current)
                for offset in range(0, sector_size, 128):
                    entry = data[offset : offset + 128]
                    length = int.from_bytes(entry[64:66], "little")
                    if entry[66] in (1, 2, 5) and 2 <= length <= 64:
                        names.add(entry[: length - 2].decode("utf-16-le", "replace"))
                current, steps = next_sector(current), steps + 1
    except (OSError, ValueError, struct.error):
        return names
    return names
