"""The real-report evaluation set: public documents annotated by reading them.

Each document is one JSON file in ``corpus/real/docs/`` holding facts only — the page's
address, its type, every figure (as written, value, unit, sign, key, qualifiers, the way it
is written) and every relation the text states — never the page's sentences. The page
text lives in a local cache outside the repository (``JIXIAO_REAL_CACHE``, by default the
user cache folder), one UTF-8 file per address, named by the address's SHA-1.

Addresses whose SHA-1 starts with c–f are held back for an independent test and may never
enter this set. The dev/test split is decided by a salted hash of the address, fixed
before any rule was tuned on the set (see ``split_of``).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

__all__ = [
    "DOC_TYPES", "RELATION_KINDS", "WRITINGS", "RealDoc", "RealFigure", "RealRelation",
    "SchemaError", "admissible", "anchor", "cache_dir", "docs_dir", "load_all", "load_doc",
    "split_of", "text_of", "url_sha1",
]

DOC_TYPES = {
    "work_report": "预算绩效管理工作情况说明/工作总结",
    "news": "财政局关于某一环节工作的新闻",
    "eval_bulletin": "绩效评价结果通报",
    "monitoring": "绩效运行监控情况",
    "self_eval": "项目支出/部门整体支出绩效自评报告",
    "self_eval_form": "绩效自评表",
    "budget_exec": "预算执行情况报告（含绩效部分）",
}
WRITINGS = {
    "simplified": "简体，数字旁有单位",
    "traditional": "繁体字书写",
    "table": "表格单元格，单位在表头",
    "date": "日期",
}
RELATION_KINDS = {
    "sum": "总数等于各部分之和",
    "share": "占比 = 部分 / 总数",
    "rate": "比率 = 分子 / 分母（执行率、完成率）",
    "growth": "增长率 = 增量 / 基数，或 现值 = 基数 × (1 + 增长率)",
    "difference": "增减额 = 现值 − 基数",
    "count": "所述个数等于列举的项数",
    "magnitude": "数量级：元/万元/亿元口径一致",
    "balance": "收支平衡：收入总计 = 支出总计",
}
SIGNS = {"+", "-"}
QUALIFIERS = {"month", "grade", "evaluator", "year", "entity", "field", "approx"}
SPLIT_SALT = "jixiao-real-split-v1:"
TEST_SHARE_PER_FIVE = 2  # 2 of every 5 addresses, on average, are test documents

_DOC_FIELDS = {"url", "sha1", "query", "doc_type", "province", "place", "year", "level",
               "split", "text_sha256", "text_chars", "annotator", "checked_by", "notes",
               "figures", "relations"}
_FIG_FIELDS = {"surface", "offset", "value", "unit", "sign", "key", "measure",
               "qualifiers", "writing", "placeholder"}
_REL_FIELDS = {"kind", "result", "operands", "holds", "stated", "arithmetic", "note"}
LEVELS = {"province", "city", "county", "district", "unit"}


class SchemaError(ValueError):
    """An annotation file that does not follow the schema; the message says where."""


def url_sha1(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()


def admissible(url: str) -> bool:
    """Only addresses whose SHA-1 starts with 0–b may be read or annotated."""
    return url_sha1(url)[0] in "0123456789ab"


def split_of(url: str) -> str:
    """``dev`` or ``test``, from a salted hash of the address (fixed before tuning)."""
    h = int(hashlib.sha256((SPLIT_SALT + url).encode("utf-8")).hexdigest()[:8], 16)
    return "test" if h % 5 < TEST_SHARE_PER_FIVE else "dev"


def docs_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "corpus" / "real" / "docs"


def cache_dir() -> Path:
    env = os.environ.get("JIXIAO_REAL_CACHE")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir
    return Path(user_cache_dir("jixiao")) / "real"


def text_path(url: str) -> Path:
    return cache_dir() / f"{url_sha1(url)}.txt"


def text_of(url: str) -> str | None:
    """The cached page text of an address, or None when it has not been fetched here."""
    p = text_path(url)
    return p.read_text(encoding="utf-8") if p.exists() else None


@dataclass(slots=True)
class RealFigure:
    surface: str
    offset: int | None
    value: str | None
    unit: str
    key: str | None = None
    measure: str = ""
    sign: str | None = None
    qualifiers: dict[str, Any] = field(default_factory=dict)
    writing: str = "simplified"
    placeholder: bool = False


@dataclass(slots=True)
class RealRelation:
    kind: str
    result: int
    operands: list[int]
    holds: bool
    stated: bool = True
    arithmetic: str = ""
    note: str = ""


@dataclass(slots=True)
class RealDoc:
    url: str
    doc_type: str
    split: str
    figures: list[RealFigure]
    relations: list[RealRelation]
    query: str = ""
    province: str = ""
    place: str = ""
    year: int | None = None
    level: str = ""
    text_sha256: str = ""
    text_chars: int = 0
    annotator: str = ""
    checked_by: str = ""
    notes: str = ""
    path: Path | None = None

    @property
    def sha1(self) -> str:
        return url_sha1(self.url)


def _fail(where: str, msg: str) -> SchemaError:
    return SchemaError(f"{where}：{msg}")


def _figure(row: Any, where: str) -> RealFigure:
    if not isinstance(row, dict):
        raise _fail(where, "应为对象")
    unknown = set(row) - _FIG_FIELDS
    if unknown:
        raise _fail(where, f"未知字段 {sorted(unknown)}")
    for req in ("surface", "value", "unit"):
        if req not in row:
            raise _fail(where, f"缺少字段 {req}")
    value = row["value"]
    writing = row.get("writing", "simplified")
    if writing not in WRITINGS:
        raise _fail(where, f"writing 应为 {sorted(WRITINGS)} 之一，而不是 {writing!r}")
    if value is not None:
        if not isinstance(value, str):
            raise _fail(where, "value 应为字符串")
        if writing != "date":
            try:
                Decimal(value)
            except InvalidOperation:
                raise _fail(where, f"value {value!r} 不是数") from None
    sign = row.get("sign")
    if sign is not None and sign not in SIGNS:
        raise _fail(where, f"sign 应为 + 或 -，而不是 {sign!r}")
    quals = row.get("qualifiers") or {}
    if set(quals) - QUALIFIERS:
        raise _fail(where, f"未知限定语 {sorted(set(quals) - QUALIFIERS)}")
    offset = row.get("offset")
    if offset is not None and not isinstance(offset, int):
        raise _fail(where, "offset 应为整数")
    return RealFigure(row["surface"], offset, value, row["unit"], row.get("key"),
                      row.get("measure", ""), sign, dict(quals), writing,
                      bool(row.get("placeholder", False)))


def _relation(row: Any, where: str, n: int) -> RealRelation:
    if not isinstance(row, dict):
        raise _fail(where, "应为对象")
    unknown = set(row) - _REL_FIELDS
    if unknown:
        raise _fail(where, f"未知字段 {sorted(unknown)}")
    kind = row.get("kind")
    if kind not in RELATION_KINDS:
        raise _fail(where, f"kind 应为 {sorted(RELATION_KINDS)} 之一，而不是 {kind!r}")
    result, operands = row.get("result"), row.get("operands")
    if not isinstance(result, int) or not isinstance(operands, list) or not operands:
        raise _fail(where, "result 应为图号，operands 应为非空图号列表")
    for i in [result, *operands]:
        if not isinstance(i, int) or not 0 <= i < n:
            raise _fail(where, f"图号 {i} 超出范围 0–{n - 1}")
    if not isinstance(row.get("holds"), bool):
        raise _fail(where, "holds 应为 true 或 false")
    return RealRelation(kind, result, list(operands), row["holds"], bool(row.get("stated", True)),
                        row.get("arithmetic", ""), row.get("note", ""))


def parse_doc(data: Any, where: str) -> RealDoc:
    """Validate one annotation object; unknown or missing fields are errors."""
    if not isinstance(data, dict):
        raise _fail(where, "应为对象")
    unknown = set(data) - _DOC_FIELDS
    if unknown:
        raise _fail(where, f"未知字段 {sorted(unknown)}")
    url = data.get("url")
    if not isinstance(url, str) or not url:
        raise _fail(where, "缺少 url")
    if not admissible(url):
        raise _fail(where, f"{url} 的 SHA-1 以 c–f 开头，留作独立测试，不得收入")
    if data.get("sha1") not in (None, url_sha1(url)):
        raise _fail(where, "sha1 与 url 不符")
    if data.get("doc_type") not in DOC_TYPES:
        raise _fail(where, f"doc_type 应为 {sorted(DOC_TYPES)} 之一")
    if data.get("split", split_of(url)) != split_of(url):
        raise _fail(where, f"split 应为 {split_of(url)}（由地址决定，不得手改）")
    if data.get("level") and data["level"] not in LEVELS:
        raise _fail(where, f"level 应为 {sorted(LEVELS)} 之一")
    figures = [_figure(r, f"{where} 图{i}") for i, r in enumerate(data.get("figures", []))]
    relations = [_relation(r, f"{where} 关系{i}", len(figures))
                 for i, r in enumerate(data.get("relations", []))]
    return RealDoc(url=url, doc_type=data["doc_type"], split=split_of(url), figures=figures,
                   relations=relations, query=data.get("query", ""),
                   province=data.get("province", ""), place=data.get("place", ""),
                   year=data.get("year"), level=data.get("level", ""),
                   text_sha256=data.get("text_sha256", ""),
                   text_chars=int(data.get("text_chars", 0) or 0),
                   annotator=data.get("annotator", ""), checked_by=data.get("checked_by", ""),
                   notes=data.get("notes", ""))


def load_doc(path: Path) -> RealDoc:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise _fail(str(path), f"无法读取：{exc}") from None
    doc = parse_doc(data, path.name)
    doc.path = path
    return doc


def load_all(folder: Path | None = None) -> list[RealDoc]:
    folder = folder or docs_dir()
    return [load_doc(p) for p in sorted(folder.glob("*.json"))]


def anchor(doc: RealDoc, text: str) -> list[str]:
    """Fill missing offsets in document order and verify every offset against the text.

    A figure without an offset is looked for from the previous figure's offset on, so
    figures listed in reading order anchor themselves. Returns the problems found.
    """
    problems: list[str] = []
    cursor = 0
    for i, f in enumerate(doc.figures):
        if f.offset is None:
            pos = text.find(f.surface, cursor)
            if pos < 0:
                problems.append(f"图{i} {f.surface!r}：在位置 {cursor} 之后找不到")
                continue
            f.offset = pos
        elif text[f.offset:f.offset + len(f.surface)] != f.surface:
            problems.append(f"图{i} {f.surface!r}：位置 {f.offset} 处的文字是 "
                            f"{text[f.offset:f.offset + len(f.surface)]!r}")
            continue
        cursor = f.offset + len(f.surface)
    return problems


def to_json(doc: RealDoc) -> dict[str, Any]:
    def fig(f: RealFigure) -> dict[str, Any]:
        out: dict[str, Any] = {"surface": f.surface, "offset": f.offset, "value": f.value,
                               "unit": f.unit, "key": f.key, "measure": f.measure,
                               "sign": f.sign, "qualifiers": f.qualifiers,
                               "writing": f.writing}
        if f.placeholder:
            out["placeholder"] = True
        return out

    def rel(r: RealRelation) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": r.kind, "result": r.result, "operands": r.operands,
                               "holds": r.holds, "stated": r.stated,
                               "arithmetic": r.arithmetic}
        if r.note:
            out["note"] = r.note
        return out

    return {"url": doc.url, "sha1": doc.sha1, "query": doc.query, "doc_type": doc.doc_type,
            "province": doc.province, "place": doc.place, "year": doc.year,
            "level": doc.level, "split": doc.split, "text_sha256": doc.text_sha256,
            "text_chars": doc.text_chars, "annotator": doc.annotator,
            "checked_by": doc.checked_by, "notes": doc.notes,
            "figures": [fig(f) for f in doc.figures],
            "relations": [rel(r) for r in doc.relations]}


def save_doc(doc: RealDoc, path: Path) -> None:
    path.write_text(json.dumps(to_json(doc), ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")


def prepare(path: Path) -> list[str]:
    """Anchor a draft annotation against its cached text and write it back normalised."""
    doc = load_doc(path)
    text = text_of(doc.url)
    if text is None:
        return [f"{path.name}：缓存中没有 {doc.url} 的文本（{text_path(doc.url)}）"]
    problems = anchor(doc, text)
    doc.text_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc.text_chars = len(text)
    if not problems:
        save_doc(doc, path)
    return [f"{path.name} {p}" for p in problems]


def main(argv: list[str] | None = None) -> int:
    """``python -m jixiao.extract.realset prepare FILE…`` | ``check`` | ``missing``."""
    import sys
    args = list(sys.argv[1:] if argv is None else argv)
    cmd, files = (args[0] if args else "check"), [Path(a) for a in args[1:]]
    problems: list[str] = []
    if cmd == "prepare":
        for p in files:
            try:
                problems += prepare(p)
            except SchemaError as exc:
                problems.append(str(exc))
    elif cmd == "check":
        for p in files or sorted(docs_dir().glob("*.json")):
            try:
                doc = load_doc(p)
            except SchemaError as exc:
                problems.append(str(exc))
                continue
            text = text_of(doc.url)
            if text is None:
                problems.append(f"{p.name}：缓存中没有文本")
                continue
            if hashlib.sha256(text.encode("utf-8")).hexdigest() != doc.text_sha256:
                problems.append(f"{p.name}：缓存文本与标注时不同（text_sha256）")
            problems += [f"{p.name} {x}" for x in anchor(doc, text)]
    elif cmd == "missing":
        for doc in load_all():
            if text_of(doc.url) is None:
                print(f"{doc.url}\t{doc.query}")
        return 0
    else:
        print("用法：python -m jixiao.extract.realset prepare FILE… | check [FILE…] | missing")
        return 2
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
