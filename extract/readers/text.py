"""Plain text reports: typed, exported, or pasted out of a PDF, in any Chinese encoding."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from jixiao.errors import EmptyDocumentError, EncodingError, UnsupportedFormatError
from jixiao.extract import limits
from jixiao.extract.layout import text_layout
from jixiao.extract.readers.delimited import find_tables
from jixiao.extract.readers.flatform import unflatten
from jixiao.model import Block, Table

# Encodings Chinese reports come in; the detector is only asked to choose among these so
# that GB18030 text is never taken for Big5 or a Western code page.
CHINESE_ENCODINGS = ("utf_8", "gb18030", "big5", "utf_16")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Decode report bytes; returns ``(text, encoding)``.

    UTF-8 is tried strictly first (it never decodes other encodings by accident), then a
    BOM, then the detector restricted to Chinese encodings, then GB18030 strictly.

    >>> decode("绩效".encode("gb18030"), "x.txt")
    ('绩效', 'gb18030')
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc), enc.replace("-sig", "")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise UnsupportedFormatError(source, "不是文本文件（含有二进制内容），无法按文本读取")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=list(CHINESE_ENCODINGS)).best()
    if best is None:
        raise EncodingError(source, "无法识别文本编码（支持 UTF-8、UTF-16、GB18030/GBK），请另存为 UTF-8 后重试")
    return str(best), best.encoding


def read_text(data: bytes, source: str) -> tuple[list[Block], list[Table], dict[str, str]]:
    """Blocks and tables of a text file, and facts about how it was read.

    Tables are those a PDF text extraction flattened into short lines and the layout
    repair could rebuild; an empty ``table`` block marks where each one stands.
    """
    limits.check_file(data, "txt", source)
    if not data.strip():
        raise EmptyDocumentError(source, "文件为空")
    text, encoding = decode(data, source)
    if not text.strip():
        raise EmptyDocumentError(source, "文件为空")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks, tables = lines_to_blocks(lines)
    return blocks, tables, {"encoding": encoding}


# Stands for a delimited table in the lines given to the layout repair: private-use
# characters, which no report contains, around the table's number.
_MARK = "\ue000"
_MARKED = re.compile(f"{_MARK}(\\d+){_MARK}")


def lines_to_blocks(lines: list[str]) -> tuple[list[Block], list[Table]]:
    """Paragraphs and tables of text lines: tables typed with pipes, tabs or aligned with
    spaces (:mod:`.delimited`) and tables a PDF flattened (:func:`text_layout`).

    Each delimited table's lines are replaced by one marker line before the layout repair
    runs, so paragraphs join as if the table were not there; the marker then becomes the
    empty ``table`` block that places the table among the paragraphs.
    """
    lines = unflatten(lines)  # a form whose cells were joined by spaces into one line
    found = find_tables(lines)
    if not found:
        return text_layout(lines)
    marked: list[str] = []
    at = 0
    for f in found:
        marked.extend(lines[at : f.start])
        marked.append(f"{_MARK}{f.table.index}{_MARK}")
        at = f.end
    marked.extend(lines[at:])
    blocks, flat = text_layout(marked)
    delimited = [f.table for f in found]
    # Flattened tables are numbered after the delimited ones.
    for t in flat:
        t.index += len(delimited)
    out: list[Block] = []
    for block in blocks:
        if block.kind == "table" and not block.text and block.table is not None:
            out.append(Block(text="", kind="table", page=block.page,
                             table=block.table + len(delimited)))
            continue
        pos = 0
        for m in _MARKED.finditer(block.text):
            before = block.text[pos : m.start()].strip()
            if before:
                out.append(Block(text=before, kind=block.kind, page=block.page))
            number = int(m.group(1))
            if out and out[-1].text and out[-1].text == delimited[number].caption:
                out[-1].kind = "caption"
            out.append(Block(text="", kind="table", page=block.page, table=number))
            pos = m.end()
        rest = block.text[pos:].strip()
        if pos and rest:
            out.append(Block(text=rest, kind=block.kind, page=block.page))
        elif not pos:
            out.append(block)
    tables = [*delimited, *flat]
    # Tables are numbered in reading order, as the other readers number them.
    order = [b.table for b in out if b.kind == "table" and not b.text and b.table is not None]
    renumber = {old: new for new, old in enumerate(order)}
    for b in out:
        if b.kind == "table" and not b.text and b.table is not None:
            b.table = renumber[b.table]
    for t in tables:
        t.index = renumber.get(t.index, t.index)
    tables.sort(key=lambda t: t.index)
    return out, tables
