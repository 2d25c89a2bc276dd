"""One test per checker bug found, on sentences we wrote (pdfplumber's test_issues style)."""

from __future__ import annotations

from jixiao.api import check_document, extract_document, read_bytes

LAST_YEAR = (
    "柏溪县2023年度预算绩效管理工作情况说明\n一、工作开展情况\n（一）绩效目标管理\n"
    "全县共为300个项目设定绩效目标，其中年初预算项目200个。\n"
)
THIS_YEAR = (
    "柏溪县2024年度预算绩效管理工作情况说明\n一、工作开展情况\n（一）绩效目标管理\n"
    "全县共为330个项目设定绩效目标，其中年初预算项目230个，较上年增加30个，同比增长15%。\n"
)


def _extract(text: str, name: str):
    return extract_document(read_bytes(text.encode(), source=name, fmt="txt"))


def test_cross_year_growth_of_a_field_compares_with_the_same_field() -> None:
    # 230 年初预算 projects against 200 last year: +30, +15% — both hold. The all-projects
    # figures (330 vs 300) must not be paired with the 年初预算 growth (it once gave 10%).
    result = check_document(_extract(THIS_YEAR, "b2024.txt"), _extract(LAST_YEAR, "b2023.txt"))
    assert [f for f in result.findings if f.rule == "cross-year"] == []
    assert sum(1 for v in result.verified if v.rule == "cross-year") == 2
