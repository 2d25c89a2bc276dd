"""Write a draft as an official document (GB/T 9704-2012 as counties use it) and as Markdown.

A4, margins 37/35/28/26 mm; title 方正小标宋简体 二号 centred; body 仿宋_GB2312 三号 with a
two-character first-line indent and an exact line pitch of 28.95 pt (固定值 28–29 磅: 22 lines
a page, as GB/T 9704 asks); level-1 headings 黑体, level-2 楷体_GB2312, both 三号 and in
Word's Heading styles so the navigation pane shows the outline; page numbers "— N —" in 宋体
四号 at the outer edge (right on odd pages, left on even); issuer and date right-aligned at
the end. Fonts are set for East Asian text explicitly (w:eastAsia), which is what Word and
WPS use for Chinese, and the styles' theme fonts are removed so that these fonts show.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao.generate.render import Draft

__all__ = ["write_docx", "write_markdown"]

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LINE_PITCH_PT = 28.95  # exact line pitch: the 225 mm type area holds 22 lines (GB/T 9704)


def _fonts(style_or_run: Any, east_asian: str, size_pt: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = style_or_run.font
    font.name = east_asian
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    font.size = Pt(size_pt)  # sets w:sz; w:szCs below keeps the complex-script size in step
    rpr = style_or_run.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    # Word's built-in Title and Heading styles name theme fonts (w:asciiTheme,
    # w:eastAsiaTheme …), which take precedence over the named fonts: drop them, or Word
    # shows the headings in the theme's font (等线 Light / Calibri Light) instead of 黑体.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), east_asian)
    rfonts.set(qn("w:hint"), "eastAsia")
    size_cs = rpr.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = rpr.makeelement(qn("w:szCs"), {})
        sz = rpr.find(qn("w:sz"))
        if sz is not None:
            sz.addnext(size_cs)
        else:
            rpr.append(size_cs)
    size_cs.set(qn("w:val"), str(round(size_pt * 2)))
    # The Title style spreads its letters (w:spacing) and kerns them: official titles do not.
    for name in ("w:spacing", "w:kern"):
        for el in rpr.findall(qn(name)):
            rpr.remove(el)


def _paragraph_format(style: Any, indent: bool = True, align: Any = None) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    pf = style.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PITCH_PT)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.first_line_indent = Pt(32) if indent else Pt(0)
    if align is not None:
        pf.alignment = align


def _page_number(footer: Any, align: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = footer.paragraphs[0]
    para.alignment = align
    para.paragraph_format.first_line_indent = 0

    def run(text: str | None = None) -> Any:
        r = para.add_run(text or "")
        _fonts(r, PAGE_NUMBER_FONT, 14)
        return r

    run("— ")
    field_run = run()
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("end", None)):
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            field_run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            field_run._r.append(char)
            if kind == "separate":
                t = OxmlElement("w:t")
                t.text = "1"
                field_run._r.append(t)
    run(" —")


def _chinese_defaults(doc: Any) -> None:
    """Mark the document's text as Chinese (the default template says en-US for East Asian
    text), so Word and WPS break lines and choose fonts for “” and — as Chinese."""
    from docx.oxml.ns import qn

    rpr = doc.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def write_docx(draft: Draft, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    _chinese_defaults(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    styles = doc.styles
    _fonts(styles["Normal"], BODY_FONT, 16)
    _paragraph_format(styles["Normal"])
    _fonts(styles["Title"], TITLE_FONT, 22)
    _paragraph_format(styles["Title"], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _fonts(styles["Heading 1"], H1_FONT, 16)
    _paragraph_format(styles["Heading 1"])
    _fonts(styles["Heading 2"], H2_FONT, 16)
    _paragraph_format(styles["Heading 2"])
    _fonts(styles["Heading 3"], BODY_FONT, 16, bold=True)
    _paragraph_format(styles["Heading 3"])
    # The Title style draws a rule under the title in Word's default template: remove it.
    ppr = styles["Title"].element.pPr
    if ppr is not None:
        for border in ppr.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr"):
            ppr.remove(border)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    doc.add_paragraph(draft.title, style="Title")
    doc.add_paragraph("")
    body = None
    for sec in draft.sections:
        if sec.heading:
            doc.add_paragraph(sec.heading, style=f"Heading {sec.level}")
        for text in sec.paragraphs:
            body = doc.add_paragraph(text, style="Normal")
    if draft.issuer or draft.date:
        # the signature never stands alone on a page: the last paragraph, the blank line
        # and the issuer keep with what follows them
        if body is not None:
            body.paragraph_format.keep_with_next = True
        doc.add_paragraph("").paragraph_format.keep_with_next = True
        lines = [line for line in (draft.issuer, draft.date) if line]
        for i, line in enumerate(lines):
            p = doc.add_paragraph(line, style="Normal")
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.first_line_indent = 0
            p.paragraph_format.right_indent = Pt(32)  # 右空二字: two 三号 characters in
            p.paragraph_format.keep_with_next = i < len(lines) - 1
    _properties(doc, draft)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


def _properties(doc: Any, draft: Draft) -> None:
    """The file's own title and author, not python-docx's template (author python-docx,
    created 2013)."""
    from datetime import UTC, datetime

    props = doc.core_properties
    now = datetime.now(UTC).replace(microsecond=0)
    props.title = draft.title
    props.author = props.last_modified_by = draft.issuer or ""
    props.created = props.modified = now
    props.revision = 1
    props.comments = "jixiao 起草，数字已读回核对"
    props.language = "zh-CN"


def write_markdown(draft: Draft, path: Path) -> None:
    lines = [f"# {draft.title}", ""]
    for sec in draft.sections:
        if sec.heading:
            lines += ["#" * (sec.level + 1) + " " + sec.heading, ""]
        for text in sec.paragraphs:
            lines += [text, ""]
    for line in (draft.issuer, draft.date):
        if line:
            lines += [f'<p align="right">{line}</p>', ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def write_house_style(draft: Draft, template: Path, path: Path) -> None:
    """Fill a county's own Word template (docxtpl placeholders) with the draft.

    The template sees ``title``, ``issuer``, ``date`` and ``sections`` — a list of
    ``{heading, level, paragraphs}`` — so a house style can lay the report out as it likes,
    e.g. ``{% for s in sections %}{{ s.heading }} … {% for p in s.paragraphs %}{{ p }}
    {% endfor %}{% endfor %}``. A template may come from another county, so it is rendered
    in Jinja2's sandbox (:func:`template_sandbox`): no attribute starting with ``_``, no
    unsafe call, no huge power or repetition; a template that tries gives one line and
    nothing is written.
    """
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SecurityError

    from jixiao.errors import JixiaoError

    if not Path(template).is_file():
        raise JixiaoError(str(template), "Word 模板文件不存在")
    if Path(template).suffix.lower() != ".docx":
        raise JixiaoError(str(template), "Word 模板应为 .docx 文件（.doc 请先另存为 .docx）")
    from jixiao.extract import limits

    limits.check_file(template, "docx")
    try:
        tpl = DocxTemplate(str(template))
        tpl.render({
            "title": draft.title, "issuer": draft.issuer or "", "date": draft.date or "",
            "sections": [{"heading": s.heading, "level": s.level, "paragraphs": s.paragraphs}
                         for s in draft.sections],
        }, jinja_env=template_sandbox(), autoescape=True)
    except SecurityError as exc:
        detail = str(exc).splitlines()[0][:80]
        raise JixiaoError(str(template), f"Word 模板含有不允许的表达式（{detail}），"
                                         "已拒绝；模板只能使用 title、sections、issuer、date") from None
    except Exception as exc:  # docxtpl/jinja raise many kinds for a broken template
        detail = str(exc).splitlines()[0][:80] if str(exc) else ""
        raise JixiaoError(str(template), f"Word 模板无法使用：{exc.__class__.__name__}"
                                         + (f"（{detail}）" if detail else "")
                                         + "；占位符见 README：title、sections、issuer、date") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    tpl.save(str(path))


# Bounds on what a template's arithmetic may build (a template is data, not a program).
MAX_POWER_EXPONENT = 64
MAX_POWER_BITS = 4096  # the size of a power's result, in bits
MAX_REPEATED_LENGTH = 100_000


def template_sandbox() -> Any:
    """The Jinja2 environment a Word template is rendered in: the sandbox, whose ``**`` and
    ``*`` also refuse to build numbers or strings that would exhaust the machine.

    >>> env = template_sandbox()
    >>> env.from_string("{{ title }}").render(title="说明")
    '说明'
    >>> env.from_string("{{ ''.__class__ }}").render()
    Traceback (most recent call last):
    ...
    jinja2.exceptions.SecurityError: ...
    """
    from jinja2.sandbox import SandboxedEnvironment, SecurityError

    class _Sandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"**", "*"})

        def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
            # refuse at once: the default prints an unsafe attribute as an empty string
            raise SecurityError(f"不允许访问属性 {attribute}")

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int | float) and (
                    abs(right) > MAX_POWER_EXPONENT or (isinstance(left, int)
                    and abs(left).bit_length() * abs(right) > MAX_POWER_BITS)):
                raise SecurityError(f"幂运算 {left}**{right} 过大")
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if isinstance(seq, str | list | tuple) and isinstance(times, int) \
                            and len(seq) * times > MAX_REPEATED_LENGTH:
                        raise SecurityError("重复生成的内容过长")
            return super().call_binop(context, operator, left, right)

    return _Sandbox()
