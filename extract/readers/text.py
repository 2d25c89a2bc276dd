"""Plain text reports: typed, exported, or pasted out of a PDF, in any Chinese encoding."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from jixiao.errors import EmptyDocumentError, EncodingError, UnsupportedFormatError
from jixiao.extract.layout import text_layout
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
    if not data.strip():
        raise EmptyDocumentError(source, "文件为空")
    text, encoding = decode(data, source)
    if not text.strip():
        raise EmptyDocumentError(source, "文件为空")
    blocks, tables = text_layout(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return blocks, tables, {"encoding": encoding}
