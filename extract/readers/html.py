"""Saved web pages (.html/.htm): the article a bureau published, without the page around it.

Government sites wrap a report in navigation, a header, breadcrumbs, share buttons, a
footer and scripts. The reader parses the page with lxml, drops those (by element, by the
words in class and id names, and by their usual texts, all in ``data/readers.yaml``), then
walks down from ``<body>`` into the element holding most of the page's prose, and reads it
in document order: paragraphs, headings, and data tables as :class:`~jixiao.model.Table`
(tables used only for layout are read as paragraphs). Links to attached files anywhere on
the page are reported so the attachments can be fetched and read too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from jixiao.errors import CorruptDocumentError, EmptyDocumentError, NotAReportError
from jixiao.extract.layout import CAPTION
from jixiao.extract.normalize import cjk_count, clean_text
from jixiao.extract.readers.delimited import find_tables
from jixiao.extract.readers.tableshape import shape_table, unit_of
from jixiao.extract.resources import load_yaml
from jixiao.model import Block, Table

# Elements that start a new paragraph; everything else is inline text.
_BLOCK_TAGS = frozenset(
    "p div section article main h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre center "
    "address figure figcaption caption hr tr td th tbody thead tfoot header body html "
    "table".split())
_HEADING = re.compile(r"h([1-6])")
# Descend into a child holding at least this share of its parent's prose.
_CONTENT_SHARE = 0.8
# A table whose cells hold more prose than this is a layout frame, not a data table.
_LAYOUT_CELL_CJK = 200
_SPACES = re.compile(r"[ \t\r\n\f]+")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# Encoding labels of Chinese pages mapped to the codec that decodes all they may hold.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
              "big5": "big5hkscs"}


# The generator our own pages (check results, comparisons) declare: never read as reports.
OWN_GENERATOR = "jixiao"


@dataclass(slots=True)
class HtmlContent:
    """What a page gave: blocks and tables, the encoding, and its attachments."""

    blocks: list[Block]
    tables: list[Table]
    encoding: str
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (name, href)


@cache
def _vocabulary() -> dict[str, Any]:
    data = load_yaml("readers.yaml")["html"]
    return {
        "drop": frozenset(data["drop_tags"]),
        "furniture": frozenset(data["furniture"]),
        "texts": tuple(re.compile(p) for p in data["furniture_text"]),
        "suffixes": tuple(data["attachment_suffixes"]),
    }


def decode_html(data: bytes, source: str) -> tuple[str, str]:
    """The page's text and encoding: a BOM, else the charset the page declares (read with
    lxml from its ``<meta>`` tags), else detected as for text files.

    >>> decode_html('<meta charset="gbk"><p>绩效</p>'.encode("gbk"), "x.html")[1]
    'gb18030'
    """
    from lxml import html as lxml_html

    from jixiao.extract.readers.text import decode

    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data, source)
    declared = None
    try:  # latin-1 keeps every byte, so the ASCII <meta> tags read whatever the encoding
        head = lxml_html.document_fromstring(data[:8192].decode("latin-1"))
        for meta in head.iter("meta"):
            value = meta.get("charset") or ""
            if not value and (meta.get("http-equiv") or "").lower() == "content-type":
                m = _CHARSET.search(meta.get("content") or "")
                value = m.group(1) if m else ""
            if value:
                declared = value.strip().lower()
                break
    except Exception:
        declared = None
    if declared:
        codec = _SUPERSETS.get(declared, declared)
        try:
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: detect instead
    return decode(data, source)


def read_html(data: bytes, source: str) -> HtmlContent:
    """Blocks, tables and attachments of a saved web page."""
    from lxml import etree
    from lxml import html as lxml_html

    from jixiao.extract import limits

    limits.check_file(data, "html", source)
    text, encoding = decode_html(data, source)
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"),
                                             parser=lxml_html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError) as exc:
        raise CorruptDocumentError(source, "网页无法解析（不是有效的 HTML）") from exc
    if any((m.get("name") or "").lower() == "generator" and m.get("content") == OWN_GENERATOR
           for m in root.iter("meta")):
        raise NotAReportError(source, "这是 jixiao 生成的页面（核对结果或比较表），不是报告原文")
    vocab = _vocabulary()
    title = _title(root)
    base = next((b.get("href") for b in root.iter("base") if b.get("href")), None)
    attachments = _attachments(root, vocab["suffixes"], base)
    _drop_furniture(root, vocab)
    body = root.find("body")
    if body is None or cjk_count(body.text_content()) == 0:
        raise EmptyDocumentError(source, "网页中没有正文（<body> 为空或只有导航）")
    content = _content_root(body)
    walker = _Walker(vocab["texts"])
    walker.walk(content)
    walker.flush()
    blocks, tables = walker.blocks, walker.tables
    _mark_title(blocks, title)
    return HtmlContent(blocks=blocks, tables=tables, encoding=encoding, attachments=attachments)


def _mark_title(blocks: list[Block], title: str | None) -> None:
    """Make the article's title the first block: the block among the first few that
    repeats the page's title, else a leading ``<h1>``, else the page's title itself when
    it names a report (not a site)."""
    from jixiao.extract.metadata import looks_like_title

    head = [b for b in blocks[:4] if b.text]
    for b in head:
        if title and b.text == title:
            b.kind = "title"
            blocks.remove(b)
            blocks.insert(0, b)
            return
    if head and head[0].kind == "heading" and head[0].style_level == 1:
        head[0].kind = "title"
        return
    if title and looks_like_title(title):
        blocks.insert(0, Block(text=title, kind="title"))


def _title(root: Any) -> str | None:
    """The article's title: the ArticleTitle meta gov sites carry, else ``<title>`` with
    the site's name cut off."""
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() in ("articletitle", "title") and meta.get("content"):
            return clean_text(meta.get("content"))
    node = root.find(".//title")
    if node is None or not node.text_content().strip():
        return None
    text = clean_text(_SPACES.sub(" ", node.text_content()))
    # "报告标题_某县人民政府" / "报告标题 - 某县财政局": the site's name follows the last cut
    parts = re.split(r"\s*[_|｜]\s*|\s+[-—]+\s+", text)
    return parts[0] if parts and parts[0] else text


def _attachments(root: Any, suffixes: tuple[str, ...], base: str | None
                 ) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        path = unquote(urlsplit(href).path).lower()
        if not href or not path.endswith(suffixes) or href in seen:
            continue
        seen.add(href)
        name = clean_text(_SPACES.sub(" ", a.text_content())) or unquote(path.rsplit("/", 1)[-1])
        out.append((name, urljoin(base, href) if base else href))
    return out


def _classes(el: Any) -> set[str]:
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return {w for w in re.split(r"[\s_\-]+", names) if w}


def _drop_furniture(root: Any, vocab: dict[str, Any]) -> None:
    """Remove scripts, navigation, share buttons, footers … with everything inside."""
    from lxml import etree

    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions
            doomed.append(el)
            continue
        tag = el.tag.lower()
        if tag in vocab["drop"] or (tag == "header" and not any(
                a.tag in ("article", "main") for a in el.iterancestors())):
            doomed.append(el)
        elif tag not in ("html", "body") and _classes(el) & vocab["furniture"]:
            doomed.append(el)
        elif (el.get("style") or "").replace(" ", "").lower().find("display:none") >= 0:
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        if isinstance(el, etree._Comment) or isinstance(el.tag, str):
            el.drop_tree()


def _prose(el: Any) -> int:
    """CJK characters of an element's text outside links (links are navigation)."""
    total = cjk_count(el.text_content())
    linked = sum(cjk_count(a.text_content()) for a in el.iter("a"))
    return total - linked


def _content_root(body: Any) -> Any:
    """The element holding the article: from ``<body>`` down into the child that holds
    most of its parent's prose, as long as one does."""
    node = body
    while True:
        total = _prose(node)
        if total == 0:
            return node
        best = max((c for c in node if isinstance(c.tag, str)), key=_prose, default=None)
        if best is None or _prose(best) < _CONTENT_SHARE * total or (best.tag == "table" \
                and not _is_layout_table(best)):
            return node
        node = best


def _is_layout_table(table: Any) -> bool:
    """A table used to lay out a page (prose or other tables in its cells)."""
    if table.find(".//table") is not None:
        return True
    cells = [c for c in table.iter("td", "th")]
    if len(cells) <= 1:
        return True
    return any(cjk_count(c.text_content()) > _LAYOUT_CELL_CJK for c in cells)


class _Walker:
    """Reads an element tree in document order into blocks and tables."""

    def __init__(self, furniture: tuple[re.Pattern[str], ...]) -> None:
        self.blocks: list[Block] = []
        self.tables: list[Table] = []
        self.furniture = furniture
        self.buffer: list[str] = []
        self.kind = "paragraph"
        self.level: int | None = None
        self.pre: list[str] = []

    def flush(self) -> None:
        raw = "".join(self.buffer)
        self.buffer = []
        kind, level = self.kind, self.level
        self.kind, self.level = "paragraph", None
        text = clean_text(_SPACES.sub(" ", raw))
        if not text or any(p.search(text) for p in self.furniture):
            return
        self.blocks.append(Block(text=text, kind=kind, style_level=level))  # type: ignore[arg-type]

    def walk(self, el: Any) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag == "br":
            self.flush()
        elif tag == "table" and not _is_layout_table(el):
            self.flush()
            self._table(el)
        elif tag == "pre":
            self.flush()
            self._lines(el.text_content().split("\n"))
        elif tag in _BLOCK_TAGS:
            self.flush()
            heading = _HEADING.fullmatch(tag)
            if heading:
                self.kind, self.level = "heading", int(heading.group(1))
            elif _aligned(el) == "right":
                self.kind = "signature"
            if el.text:
                self.buffer.append(el.text)
            for child in el:
                self.walk(child)
            self.flush()
        else:
            if el.text:
                self.buffer.append(el.text)
            for child in el:
                self.walk(child)
        if el.tail:
            self.buffer.append(el.tail)

    def _lines(self, lines: list[str]) -> None:
        """Preformatted text: rows cut by pipes, tabs or spaces are tables."""
        found = find_tables(lines, first_index=len(self.tables))
        at = 0
        for f in [*found, None]:
            stop = f.start if f is not None else len(lines)
            for line in lines[at:stop]:
                self.buffer.append(line)
                self.flush()
            if f is not None:
                self._place(f.table)
                at = f.end

    def _table(self, el: Any) -> None:
        caption_el = el.find("caption")
        caption = clean_text(_SPACES.sub(" ", caption_el.text_content())) \
            if caption_el is not None else None
        if caption is None and self.blocks and self.blocks[-1].text and \
                len(self.blocks[-1].text) <= 60 and (CAPTION.search(self.blocks[-1].text)
                                                     or unit_of(self.blocks[-1].text)):
            caption = self.blocks[-1].text
            self.blocks[-1].kind = "caption"
        table = shape_table(_grid(el), index=len(self.tables), caption=caption,
                            unit=unit_of(caption))
        if table is not None:
            self._place(table)

    def _place(self, table: Table) -> None:
        table.index = len(self.tables)
        self.tables.append(table)
        self.blocks.append(Block(text="", kind="table", table=table.index))


def _aligned(el: Any) -> str | None:
    style = (el.get("style") or "").replace(" ", "").lower()
    align = (el.get("align") or "").lower()
    if "text-align:right" in style or align == "right":
        return "right"
    return None


def _grid(table: Any) -> list[list[str]]:
    """The table's rows as cell texts on its column grid: a cell spanning columns gives
    its text once and empty cells after it (a 合计 over 序号 and 名称 does not shift the
    figures), a cell spanning rows repeats its text in each (as the Word reader does)."""
    rows: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    for tr in table.iter("tr"):
        if next(tr.iterancestors("table")) is not table:
            continue  # a row of a nested table
        row: list[str] = []
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            _take_pending(row, pending)
            text = _cell_text(cell)
            down = _int(cell.get("rowspan"))
            for k in range(_int(cell.get("colspan"))):
                if down > 1:
                    pending[len(row)] = (text if k == 0 else "", down - 1)
                row.append(text if k == 0 else "")
        _take_pending(row, pending)
        rows.append(row)
    return rows


def _take_pending(row: list[str], pending: dict[int, tuple[str, int]]) -> None:
    """Fill the columns a cell of a row above still covers at the end of ``row``."""
    while len(row) in pending:
        text, left = pending[len(row)]
        if left <= 1:
            del pending[len(row)]
        else:
            pending[len(row)] = (text, left - 1)
        row.append(text)


def _cell_text(cell: Any) -> str:
    parts: list[str] = []
    for piece in cell.itertext():
        parts.append(piece)
    return clean_text(_SPACES.sub(" ", "".join(parts)))


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1
