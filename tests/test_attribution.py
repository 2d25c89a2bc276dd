"""Tests of figure attribution (extract/attribution.py on top of extract/quantities.py).

The cases are data: one row per sentence, with the section's stage chain, the report year
(and, where it matters, the year the section heading states) and every figure a careful
reader finds in the sentence, annotated as corpus/README.md asks: the figure as written, its
catalog key (None when no key fits) and its qualifiers. The sentences are written for these
tests in the style of the county reports (fictional counties, projects and figures); none is
taken from a report. Expectations are what an annotator would write, not what the engine
happens to give: a failing row is a rule that is too narrow or too broad.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.extract.attribution import Context, attribute
from jixiao.extract.catalog import load_catalog
from jixiao.extract.quantities import find_quantities

# A figure as a row: (surface as written, key or None, qualifiers).
Fig = tuple[str, str | None, dict[str, Any]]


def ctx(*stages: str, report: int = 2024, heading: int | None = None) -> Context:
    """Context of a paragraph under sections with ``stages`` (innermost first)."""
    return Context(stages=stages or ("work",), heading_year=heading, report_year=report)


def _annotate(text: str, context: Context) -> list[Fig]:
    figures = find_quantities(text)
    result = attribute(text, figures, context)
    assert len(result) == len(figures)
    return [(text[q.start : q.end], a.key, a.qualifiers) for q, a in zip(figures, result, strict=True)]


def case(id_: str, text: str, context: Context, expected: list[Fig]) -> Any:
    return pytest.param(text, context, expected, id=id_)


# --------------------------------------------------------------------------- topic
# The stage of a figure: from a cue word in its own clause, from an earlier clause of the
# sentence, or from the section it stands under.

TOPIC_CUE = [
    # 事前评估
    case("pre-cue-policies-and-projects",
         "全年对新增的56个重大政策和项目开展事前绩效评估，涉及资金2.45亿元。", ctx(),
         [("56个", "pre_assessment.projects", {}), ("2.45亿元", "pre_assessment.amount", {})]),
    case("pre-cue-lunzheng",
         "县财政局会同主管部门对申请新增预算的17个项目组织事前论证，核定资金4380万元。", ctx(),
         [("17个", "pre_assessment.projects", {}), ("4380万元", "pre_assessment.amount", {})]),
    case("pre-cue-then-cut-in-own-clause",
         "事前绩效评估项目共计23个，评估后核减资金560万元。", ctx(),
         [("23个", "pre_assessment.projects", {}), ("560万元", "application.cut_amount", {})]),
    # 监控 / 督办
    case("mon-cue-projects-amount",
         "全县共将312个项目纳入绩效运行监控，监控资金5.8亿元。", ctx(),
         [("312个", "monitoring.projects", {}), ("5.8亿元", "monitoring.amount", {})]),
    case("mon-cue-supervised-and-deadline",
         "8月监控中对27个项目下发督办通知，限期30日内完成整改。", ctx("monitoring", "work"),
         [("27个", "monitoring.supervised", {"month": 8}),
          ("30日", "monitoring.deadline_days", {"month": 8})]),
    case("mon-cue-second-round",
         "8月份对全县283个项目开展第二轮绩效监控，对执行偏差较大的19个项目实施督办。", ctx(),
         [("283个", "monitoring.projects", {"month": 8}),
          ("19个", "monitoring.supervised", {"month": 8})]),
    case("mon-cue-counted-rectify-projects",
         "对上年评价中责令整改的64个项目开展跟踪监控。", ctx(),
         [("64个", "monitoring.projects", {})]),
    # 自评
    case("self-cue-year-coverage",
         "2023年度全县共有418个项目开展绩效自评，自评覆盖率达100%。", ctx(),
         [("418个", "self_eval.projects", {"year": 2023}),
          ("100%", "self_eval.coverage", {"year": 2023})]),
    case("self-cue-forms-reports",
         "各预算单位共提交项目自评表1206份，项目自评报告64份。", ctx("self_eval", "work"),
         [("1206份", "self_eval.projects", {}), ("64份", "self_eval.reports", {})]),
    case("self-cue-over-monitoring-section",
         "同时督促各单位完成上年度项目绩效自评，共自评项目352个。", ctx("monitoring", "work"),
         [("352个", "self_eval.projects", {})]),
    case("self-cue-overall-self-eval-units",
         "全县76个预算单位全部开展整体绩效自评。", ctx(),
         [("76个", "self_eval.departments", {})]),
    # 部门评价
    case("dept-cue-sample-then-projects",
         "各主管部门抽取25%的项目开展部门评价，共评价项目46个。", ctx(),
         [("25%", "dept_eval.sample_share", {}), ("46个", "dept_eval.projects", {})]),
    case("dept-cue-share-bili",
         "部门评价项目数占项目总数的比例为12.5%。", ctx(),
         [("12.5%", "dept_eval.share", {})]),
    case("dept-cue-share-zhan",
         "部门评价项目占全部项目的15%。", ctx(),
         [("15%", "dept_eval.share", {})]),
    # 重点评价 / 第三方评价
    case("key-cue-third-party-firm-key-projects",
         "委托第三方机构对12个重点项目开展绩效评价，涉及资金3.1亿元。", ctx(),
         [("12个", "key_eval.projects", {}), ("3.1亿元", "key_eval.amount", {})]),
    case("key-cue-projects-and-departments",
         "县财政局选取8个项目和2个部门整体开展财政重点评价。", ctx(),
         [("8个", "key_eval.projects", {}), ("2个", "key_eval.departments", {})]),
    case("key-cue-third-party-score",
         "重点项目的第三方评价得分为86.5分。", ctx(),
         [("86.5分", "key_eval.score", {"evaluator": "第三方"})]),
    # 整体支出评价
    case("overall-cue-departments-amount",
         "选取县教育局等9个部门开展部门整体支出绩效评价，涉及预算资金4.2亿元。", ctx(),
         [("9个", "overall_eval.departments", {}), ("4.2亿元", "overall_eval.amount", {})]),
    case("overall-cue-grade-in-later-clause",
         "部门整体支出评价中，评价等次为“优”的单位41个，占比85.4%。", ctx(),
         [("41个", "overall_eval.grade_count", {"grade": "优"}),
          ("85.4%", "overall_eval.grade_share", {"grade": "优"})]),
    case("overall-cue-avg-score",
         "部门整体支出绩效评价平均得分92.6分。", ctx(),
         [("92.6分", "overall_eval.score", {})]),
    # 执行率 / 预算金额
    case("exec-cue-budget-spent-rate",
         "全县一般公共预算项目预算金额12.6亿元，实际执行金额11.9亿元，预算执行率94.44%。",
         ctx("execution", "work"),
         [("12.6亿元", "execution.budget", {}), ("11.9亿元", "execution.spent", {}),
          ("94.44%", "execution.rate", {})]),
    case("exec-cue-inside-key-eval",
         "重点评价项目预算金额合计8650万元，实际执行金额7912.3万元，预算执行率91.47%。",
         ctx("key_eval", "work"),
         [("8650万元", "key_eval.budget", {}), ("7912.3万元", "key_eval.spent", {}),
          ("91.47%", "key_eval.rate", {})]),
    case("exec-cue-yi-zhixing",
         "全年项目预算金额5400万元，已执行4890.5万元，执行率90.6%。", ctx(),
         [("5400万元", "execution.budget", {}), ("4890.5万元", "execution.spent", {}),
          ("90.6%", "execution.rate", {})]),
    # (截至11月底 states the period the figures cover: month 11, as corpus/real reads it)
    case("exec-yi-zhichu-in-section",
         "截至11月底，全县项目预算金额3600万元，已支出3120万元。", ctx("execution", "work"),
         [("3600万元", "execution.budget", {"month": 11}),
          ("3120万元", "execution.spent", {"month": 11})]),
    case("exec-cue-rate-da-not-approx",
         "全县项目支出预算执行率达98.2%。", ctx(),
         [("98.2%", "execution.rate", {})]),
    # 核减 / 调减 / 整改
    case("app-cue-cut-projects-amount",
         "根据评价结果，对绩效较差的8个项目调减预算共计215万元。", ctx(),
         [("8个", "application.cut_projects", {}), ("215万元", "application.cut_amount", {})]),
    case("app-cue-rectify-then-money",
         "对评价发现问题的14个项目责令限期整改，涉及资金960万元。", ctx("application", "work"),
         [("14个", "application.rectify_projects", {}),
          ("960万元", "application.rectify_amount", {})]),
    case("app-cue-recover-funds",
         "收回低效无效资金320万元，统筹用于民生项目。", ctx("application", "work"),
         [("320万元", "application.cut_amount", {})]),
    # 公开
    case("disc-cue-after-named-targets",
         "将全县402个项目的绩效目标随部门预算一并向社会公开。", ctx(),
         [("402个", "disclosure.projects", {})]),
    case("disc-cue-before-named-targets",
         "全县公开绩效目标的项目共计398个。", ctx(),
         [("398个", "disclosure.projects", {})]),
    # (a level opening the item is its figures' entity, as the real set reads 市级417个预算单位…;
    # this row and the four marked "level entity" expected none before its second reading)
    case("disc-cue-rate-not-in-catalog",
         "县级部门预决算公开率100%。", ctx("disclosure", "work"),
         [("100%", None, {"entity": "县级"})]),
    # 人员 / 第三方机构
    case("cap-cue-staff",
         "县财政局绩效股现有工作人员4人。", ctx(),
         [("4人", "capacity.staff", {})]),
    case("cap-cue-third-parties-and-subset",
         "全县入库第三方机构23家，其中本地机构9家。", ctx(),
         [("23家", "capacity.third_parties", {}), ("9家", "capacity.third_parties", {})]),
    case("cap-cue-experts",
         "建立绩效评价专家库，入库专家86人。", ctx("capacity", "work"),
         [("86人", "capacity.experts", {})]),
    # 绩效目标
    case("target-cue-departments-amount",
         "全县81个部门编制了部门整体绩效目标，涉及预算资金9.6亿元。", ctx(),
         [("81个", "target.departments", {}), ("9.6亿元", "target.department_amount", {})]),
    case("target-duiying-continues-the-clause",
         "全县62个部门设定了整体绩效目标，对应预算资金4.35亿元。", ctx(),
         [("62个", "target.departments", {}), ("4.35亿元", "target.department_amount", {})]),
    case("target-cue-coverage",
         "绩效目标覆盖率达到100%。", ctx(),
         [("100%", "target.coverage", {})]),
    case("target-cue-approved",
         "经审核通过的绩效目标共计512个。", ctx(),
         [("512个", "target.approved", {})]),
    # 衔接资金 / 涉密
    case("focus-cue-linkage-funds",
         "2024年全县衔接资金项目共计142个，资金规模2.37亿元。", ctx(),
         [("142个", "focus.projects", {"field": "衔接资金"}),
          ("2.37亿元", "focus.amount", {"field": "衔接资金"})]),
    case("focus-cue-classified",
         "全县涉密项目9个、资金1360万元纳入绩效管理。", ctx(),
         [("9个", "focus.projects", {"field": "涉密"}),
          ("1360万元", "focus.amount", {"field": "涉密"})]),
    case("focus-cue-classified-money-only",
         "涉密单位项目资金共计0.42亿元，按规定不纳入公开范围。", ctx(),
         [("0.42亿元", "focus.amount", {"field": "涉密"})]),
]

TOPIC_CONTEXT = [
    # from an earlier clause of the sentence
    case("earlier-clause-key-eval",
         "县财政局组织开展重点绩效评价，共评价项目15个，涉及资金1.9亿元。", ctx(),
         [("15个", "key_eval.projects", {}), ("1.9亿元", "key_eval.amount", {})]),
    case("earlier-clause-loses-to-own-cue",
         "在开展事前绩效评估的同时，同步审核项目绩效目标312个。", ctx(),
         [("312个", "target.projects", {})]),
    case("earlier-clause-rectify-rate",
         "对监控发现的问题督促整改，整改完成率达96%以上。", ctx("monitoring", "work"),
         [("96%", "monitoring.rectified_rate", {"approx": "over"})]),
    # from the section stage only
    case("stage-only-monitoring",
         "共涉及项目217个，资金4.3亿元。", ctx("monitoring", "work"),
         [("217个", "monitoring.projects", {}), ("4.3亿元", "monitoring.amount", {})]),
    case("stage-only-pre-assessment",
         "共完成评估项目38个，涉及资金6900万元。", ctx("pre_assessment", "work"),
         [("38个", "pre_assessment.projects", {}), ("6900万元", "pre_assessment.amount", {})]),
    case("stage-only-overall-eval",
         "共对23个单位开展评价，涉及资金3.4亿元。", ctx("overall_eval", "evaluation", "work"),
         [("23个", "overall_eval.departments", {}), ("3.4亿元", "overall_eval.amount", {})]),
    case("stage-only-parent",
         "全年共审核项目456个，涉及资金8.9亿元。", ctx("work", "target"),
         [("456个", "target.projects", {}), ("8.9亿元", "target.project_amount", {})]),
    case("stage-overridden-by-cue",
         "财政部门在此基础上对12个项目开展重点评价。", ctx("self_eval", "work"),
         [("12个", "key_eval.projects", {})]),
]

# --------------------------------------------------------------------------- frame verb
# 对N个项目开展/进行/实施X: X says what was done to the counted things, over a cue that
# only names them.

FRAME = [
    case("frame-monitor-over-named-targets",
         "今年对163个项目绩效目标进行跟踪监控。", ctx(),
         [("163个", "monitoring.projects", {})]),
    case("frame-key-eval-over-self-eval-named",
         "财政部门对27个自评项目实施重点评价。", ctx(),
         [("27个", "key_eval.projects", {})]),
    case("frame-key-eval-after-earlier-self-eval",
         "从已完成自评的项目中选取36个项目进行重点评价。", ctx("self_eval", "work"),
         [("36个", "key_eval.projects", {})]),
    case("frame-monitor-over-disclosed-targets",
         "对公开了绩效目标的27个项目开展绩效监控。", ctx(),
         [("27个", "monitoring.projects", {})]),
    # non-holding: a frame verb that names no stage leaves the naming cue in charge
    case("frame-no-stage-named-monitoring",
         "对12个监控项目开展现场核查。", ctx(),
         [("12个", "monitoring.projects", {})]),
    case("frame-no-stage-named-targets",
         "对41个项目绩效目标开展了审核。", ctx(),
         [("41个", "target.projects", {})]),
]

# --------------------------------------------------------------------------- measures

MEASURES = [
    # thresholds
    case("threshold-chaoguo-de",
         "将超过50万元的新增项目全部纳入事前绩效评估范围。", ctx(),
         [("50万元", "pre_assessment.threshold", {})]),
    case("threshold-yixia",
         "对100万元以下的项目由主管部门自行组织评估。", ctx("pre_assessment", "work"),
         [("100万元", "pre_assessment.threshold", {})]),
    case("threshold-yishang-cue-in-later-clause",
         "对新增的单个项目金额在30万元以上的项目，须开展事前绩效评估。", ctx(),
         [("30万元", "pre_assessment.threshold", {})]),
    case("threshold-not-chaoguo-amount",
         "对23个项目开展事前绩效评估，涉及资金超过1.2亿元。", ctx(),
         [("23个", "pre_assessment.projects", {}),
          ("1.2亿元", "pre_assessment.amount", {"approx": "over"})]),
    case("threshold-monitoring-no-key",
         "对500万元以上的重大项目实施重点监控。", ctx(),
         [("500万元", None, {})]),
    # deviation thresholds
    case("deviation-with-month-grade",
         "5月监控中，偏差小于等于20%的“良”等次项目134个，涉及资金1.6亿元。", ctx(),
         [("20%", "monitoring.deviation_threshold", {"month": 5, "grade": "良"}),
          ("134个", "monitoring.grade_projects", {"month": 5, "grade": "良"}),
          ("1.6亿元", "monitoring.grade_amount", {"month": 5, "grade": "良"})]),
    case("deviation-dayu",
         "将执行偏差大于30%的项目列为红色预警。", ctx("monitoring", "work"),
         [("30%", "monitoring.deviation_threshold", {})]),
    case("deviation-range",
         "偏差在10%至30%之间的项目列为黄色预警。", ctx("monitoring", "work"),
         [("10%", "monitoring.deviation_threshold", {}),
          ("30%", "monitoring.deviation_threshold", {})]),
    case("deviation-result-not-threshold",
         "全县监控项目平均执行偏差为12.6%。", ctx("monitoring", "work"),
         [("12.6%", None, {})]),
    # sampling
    case("sample-chouqu",
         "财政部门随机抽查10%的部门评价报告进行复核。", ctx(),
         [("10%", "dept_eval.sample_share", {})]),
    case("sample-bili-xuanqu",
         "按照不低于20%的比例选取项目开展部门评价。", ctx(),
         [("20%", "dept_eval.sample_share", {})]),
    case("sample-chouqu-dept",
         "各主管部门按照抽取30%的比例确定部门评价项目。", ctx(),
         [("30%", "dept_eval.sample_share", {})]),
    # rates
    case("rate-target-completion-pingjun",
         "各单位绩效目标完成率平均为92.5%。", ctx("execution", "work"),
         [("92.5%", "execution.target_completion", {})]),
    case("rate-target-completion",
         "全县项目绩效目标完成率为90.3%。", ctx(),
         [("90.3%", "execution.target_completion", {})]),
    case("rate-coverage-pre-assessment-no-key",
         "事前绩效评估覆盖率达到85%。", ctx(),
         [("85%", None, {})]),
    case("rate-rectified",
         "监控发现问题的整改完成率为100%。", ctx(),
         [("100%", "monitoring.rectified_rate", {})]),
    # grade shares and counts
    case("grade-counts-and-shares-three",
         "评价结果为“优”的项目28个，占比70%；“良”的项目10个，占比25%；“中”及以下的项目2个，占比5%。",
         ctx("key_eval", "work"),
         [("28个", "evaluation.grade_count", {"grade": "优"}),
          ("70%", "evaluation.grade_share", {"grade": "优"}),
          ("10个", "evaluation.grade_count", {"grade": "良"}),
          ("25%", "evaluation.grade_share", {"grade": "良"}),
          ("2个", "evaluation.grade_count", {"grade": "中及以下"}),
          ("5%", "evaluation.grade_share", {"grade": "中及以下"})]),
    case("grade-share-one-clause",
         "“优”等次项目占比达到87.5%。", ctx("key_eval", "work"),
         [("87.5%", "evaluation.grade_share", {"grade": "优"})]),
    case("grade-overall-units-jia",
         "64家单位中，评价等次为“优”的53家，占比82.8%。", ctx("overall_eval", "work"),
         [("64家", "overall_eval.departments", {}),
          ("53家", "overall_eval.grade_count", {"grade": "优"}),
          ("82.8%", "overall_eval.grade_share", {"grade": "优"})]),
    # growth and change
    case("growth-and-change-targets",
         "全县纳入目标管理的项目较上年增加52个，同比增长18.3%。", ctx("target", "work"),
         [("52个", "target.projects_change", {}), ("18.3%", "target.projects_growth", {})]),
    case("change-bi-shangnian-xinzeng",
         "全年设定绩效目标的项目比上年新增37个。", ctx(),
         [("37个", "target.projects_change", {})]),
    case("growth-pre-assessment-no-key",
         "事前评估项目数量同比增长40%。", ctx(),
         [("40%", None, {})]),
    case("change-third-parties-no-key",
         "入库第三方机构较上年增加3家。", ctx("capacity", "work"),
         [("3家", None, {})]),
    case("change-pre-assessment-no-key",
         "开展事前绩效评估的项目比上年多9个。", ctx(),
         [("9个", None, {})]),
    # staff
    case("staff-arabic",
         "绩效管理股原有工作人员2人，今年新增3人，目前共5人。", ctx("capacity", "work"),
         [("2人", "capacity.staff_before", {}), ("3人", "capacity.staff_change", {}),
          ("5人", "capacity.staff", {})]),
    case("staff-chinese-zhuanzhi",
         "原有专职人员一人，新增两人，共三人。", ctx("capacity", "work"),
         [("一人", "capacity.staff_before", {}), ("两人", "capacity.staff_change", {}),
          ("三人", "capacity.staff", {})]),
    case("staff-ming",
         "县财政局配备专职绩效管理人员3名。", ctx(),
         [("3名", "capacity.staff", {})]),
    case("staff-trainees-not-staff",
         "组织全县预算单位财务人员开展业务培训，参训120人。", ctx(),
         [("120人", None, {})]),
    # third parties
    case("third-parties-capability",
         "目前全县仅有1家本地第三方机构具备评价资质。", ctx(),
         [("1家", "capacity.third_parties", {})]),
    case("third-parties-in-key-eval",
         "聘请4家会计师事务所参与重点评价工作。", ctx("key_eval", "work"),
         [("4家", "capacity.third_parties", {})]),
    case("third-parties-and-key-projects",
         "委托3家机构完成12个项目的重点评价。", ctx(),
         [("3家", "capacity.third_parties", {}), ("12个", "key_eval.projects", {})]),
    # revisions
    case("revisions-target",
         "审核中发现并督促修改问题36处。", ctx("target", "work"),
         [("36处", "target.revisions", {})]),
    case("revisions-target-opinions",
         "绩效目标审核中共提出修改意见210处。", ctx(),
         [("210处", "target.revisions", {})]),
    case("revisions-monitoring-no-key",
         "监控中发现问题15处。", ctx("monitoring", "work"),
         [("15处", None, {})]),
    # reports vs projects
    case("reports-vs-projects-self",
         "收到部门自评报告72份，涉及项目503个。", ctx("self_eval", "work"),
         [("72份", "self_eval.reports", {}), ("503个", "self_eval.projects", {})]),
    case("reports-overall",
         "各部门共报送整体支出自评报告38个。", ctx(),
         [("38个", "overall_eval.reports", {})]),
    case("reports-pre-assessment",
         "全年完成事前绩效评估报告19份。", ctx(),
         [("19份", "pre_assessment.projects", {})]),
    case("reports-vs-projects-year",
         "对2023年度实施的607个项目开展绩效自评，形成自评报告85份。", ctx(),
         [("607个", "self_eval.projects", {"year": 2023}),
          ("85份", "self_eval.reports", {"year": 2023})]),
    # scores
    case("score-self-avg-and-review",
         "各单位自评平均得分92.4分，财政部门审核得分为94.1分。", ctx("self_eval", "work"),
         [("92.4分", "self_eval.avg_score", {"evaluator": "单位自评"}),
          ("94.1分", "self_eval.review_score", {"evaluator": "财政部门"})]),
    case("score-dept-eval-and-review",
         "部门评价报告平均得分89分，财政部门审核得分93.5分。", ctx("dept_eval", "work"),
         [("89分", "dept_eval.score", {}),
          ("93.5分", "dept_eval.review_score", {"evaluator": "财政部门"})]),
    case("score-key-eval-avg",
         "重点评价项目平均得分88.7分。", ctx("key_eval", "work"),
         [("88.7分", "key_eval.score", {})]),
    case("score-overall-two-evaluators",
         "部门整体支出评价中，财政部门评价得分为93.4分，绩效评价中心复核得分为95.2分。", ctx(),
         [("93.4分", "overall_eval.score", {"evaluator": "财政部门"}),
          ("95.2分", "overall_eval.score", {"evaluator": "绩效评价中心"})]),
    # cycle: an evaluation cycle belongs to department evaluation whatever the section
    case("cycle-years-home",
         "我县部门评价按4年为周期轮换，确保重点项目全覆盖。", ctx(),
         [("4年", "dept_eval.cycle_years", {})]),
    case("cycle-years-in-self-eval-section",
         "评价对象为各主管部门的重点项目，以3年为周期，逐步实现全覆盖。", ctx("self_eval", "work"),
         [("3年", "dept_eval.cycle_years", {})]),
]

# --------------------------------------------------------------------------- budget reports
# A budget execution report's headline figures: the revenue or spending item named before
# the figure says what it is (一般公共预算收入X万元), and the percentages after it in the
# sentence are its completion, growth or share. A part of the headline (中央…, 上划收入),
# a base (年初…余额), a 其中 part under a keyed item, a fund's 收入总计: no key.

BUDGET = [
    case("budget-revenue-headline-and-parts",
         "全县一般公共预算收入完成38620万元，为预算的76.3%，同比增长5.2%。其中：税收收入21450万元，"
         "增长8.1%，占一般公共预算收入的55.5%；非税收入17170万元，下降1.6%。", ctx("budget", "work"),
         [("38620万元", "budget.general_revenue", {}), ("76.3%", "budget.revenue_completion", {}),
          ("5.2%", "budget.general_revenue_growth", {}), ("21450万元", "budget.tax_revenue", {}),
          ("8.1%", "budget.tax_revenue_growth", {}), ("55.5%", "budget.tax_share", {}),
          ("17170万元", "budget.nontax_revenue", {}), ("1.6%", "budget.nontax_revenue_growth", {})]),
    case("budget-spending-change-amount-has-no-key",
         "一般公共预算支出累计完成96480万元，完成预算数的81.2%，比上年增支3120万元，增长3.3%。",
         ctx("budget", "work"),
         [("96480万元", "budget.general_expenditure", {}),
          ("81.2%", "budget.expenditure_completion", {}), ("3120万元", None, {}),
          ("3.3%", "budget.general_expenditure_growth", {})]),
    case("budget-fund-has-no-completion-key",
         "政府性基金预算收入12300万元，完成年初预算的62.4%，下降18.7%。", ctx("fund", "work"),
         [("12300万元", "budget.fund_revenue", {}), ("62.4%", None, {}),
          ("18.7%", "budget.fund_revenue_growth", {})]),
    case("budget-revenue-balance",
         "全县公共财政预算收入43500万元，加上级补助收入201300万元，加上年结余860万元，加调入资金5200万元，"
         "收入总计250860万元。", ctx("budget", "work"),
         [("43500万元", "budget.general_revenue", {}), ("201300万元", "budget.transfer_revenue", {}),
          ("860万元", "budget.carryover_in", {}), ("5200万元", "budget.funds_transferred_in", {}),
          ("250860万元", "budget.revenue_total", {})]),
    case("budget-spending-balance-no-entity",
         "一般公共预算支出236400万元、上解上级支出2100万元、债务还本支出4300万元、安排预算稳定调节基金3500万元，"
         "支出总计246300万元。", ctx("budget", "work"),
         [("236400万元", "budget.general_expenditure", {}), ("2100万元", "budget.remitted_up", {}),
          ("4300万元", "budget.debt_repayment", {}), ("3500万元", "budget.stabilization_set", {}),
          ("246300万元", "budget.expenditure_total", {})]),
    case("budget-general-items-and-carryover",
         "收入总计18600万元，减支出总计17900万元，结转下年支出700万元。", ctx("budget", "work"),
         [("18600万元", "budget.revenue_total", {}), ("17900万元", "budget.expenditure_total", {}),
          ("700万元", "budget.carryover_out", {})]),
    case("budget-fund-section-totals-are-not-the-general-budgets",
         "收入总计18600万元，减支出总计17900万元，结转下年支出700万元。", ctx("budget", "fund"),
         [("18600万元", None, {}), ("17900万元", None, {}), ("700万元", None, {})]),
    case("budget-central-and-local-parts",
         "其中：中央一般公共预算收入28000亿元，增长7.1%；地方一般公共预算本级收入33000亿元，增长9.2%。",
         ctx("budget", "work"),
         [("28000亿元", None, {}), ("7.1%", None, {}), ("33000亿元", None, {}), ("9.2%", None, {})]),
    case("budget-debt-base-and-balance",
         "年初政府债务余额135000万元，当年新增债务转贷收入21000万元，归还政府债务本金8600万元，"
         "年末政府债务余额147400万元。", ctx("budget", "work"),
         [("135000万元", None, {}), ("21000万元", "budget.debt_transfer_revenue", {}),
          ("8600万元", "budget.debt_repayment", {}), ("147400万元", "budget.debt_balance", {})]),
    case("budget-bond-parts-under-borrowing",
         "转贷政府债券39000万元，其中：一般债券19000万元、专项债券20000万元。", ctx("budget", "work"),
         [("39000万元", "budget.debt_transfer_revenue", {}), ("19000万元", None, {}),
          ("20000万元", None, {})]),
    case("budget-other-item-ends-the-reach",
         "上划收入6400万元，为预算的53.8%，同比增长12.6%。", ctx("budget", "work"),
         [("6400万元", None, {}), ("53.8%", None, {}), ("12.6%", None, {})]),
    case("budget-item-in-a-work-report",
         "全县一般公共预算支出同比增长6.2%。", ctx(),
         [("6.2%", "budget.general_expenditure_growth", {})]),
]

# --------------------------------------------------------------------------- scope
# Where a cue, a noun, a grade or a field reaches: 其中 opening a sentence lists parts of
# what the sentence before counted (its cues and, for a part named as a category, its noun;
# the category is the parts' field); a grade stated as the predicate (为“优”) grades the
# counts before it, a grade of another subject (县财政局…保持优秀等次) does not; 涉及预算金额
# is the money an evaluation covers.

SCOPE_MORE = [
    case("qizhong-sentence-lists-category-parts",
         "2024年1至6月，县财政局通过专项资金监管平台共监管项目86项、资金3.2亿元。"
         "其中：农业类30项，1.1亿元；教育类25项，0.8亿元。", ctx(),
         [("86项", "monitoring.projects", {"month": 6}), ("3.2亿元", "monitoring.amount", {"month": 6}),
          ("30项", "monitoring.projects", {"month": 6, "field": "农业类"}),
          ("1.1亿元", "monitoring.amount", {"month": 6, "field": "农业类"}),
          ("25项", "monitoring.projects", {"month": 6, "field": "教育类"}),
          ("0.8亿元", "monitoring.amount", {"month": 6, "field": "教育类"})]),
    case("qizhong-parts-of-another-kind-count-nothing",
         "全年共对9个重点项目开展绩效评价，其中项目支出评价5个、政策评价4个。", ctx(),
         [("9个", "key_eval.projects", {}), ("5个", None, {}), ("4个", None, {})]),
    case("grade-of-another-subject-grades-nothing",
         "截至目前，全县12个乡镇全部完成绩效管理体系建设，县财政局在全市考核中继续保持优秀等次。",
         ctx(), [("12个", None, {})]),
    case("grade-predicate-grades-the-count",
         "纳入重点评价的6个项目，评价结果均为“良”。", ctx(),
         [("6个", "evaluation.grade_count", {"grade": "良"})]),
    case("key-eval-covered-budget-is-amount",
         "选取5个项目开展重点评价，涉及预算金额为1860万元。", ctx(),
         [("5个", "key_eval.projects", {}), ("1860万元", "key_eval.amount", {})]),
    case("list-of-named-amounts-entities",
         "项目支出包括会议经费12.5万元、培训经费8万元和办公设备购置费3.2万元。", ctx(),
         [("12.5万元", None, {"entity": "会议经费"}), ("8万元", None, {"entity": "培训经费"}),
          ("3.2万元", None, {"entity": "办公设备购置费"})]),
    case("list-of-changes-names-no-entity",
         "公共财政预算收入43101万元，超收3078万元，同比增收5345万元。", ctx("budget", "work"),
         [("43101万元", "budget.general_revenue", {}), ("3078万元", None, {}),
          ("5345万元", None, {})]),
    case("whole-year-period-has-no-month",
         "2024年1-12月，全县一般公共预算收入完成52300万元。", ctx("budget", "work"),
         [("52300万元", "budget.general_revenue", {})]),
    case("year-in-parentheses-stays-there",
         "全县实施项目共15个（含2023年结转项目），年初批复预算项目8个，资金985万元。", ctx(report=2024),
         # (年初批复预算 names the part of the budget: field 年初预算, as the real set reads
         # it since its second reading; this row expected no field before)
         [("15个", None, {}), ("8个", None, {"field": "年初预算"}),
          ("985万元", None, {"field": "年初预算"})]),
    case("year-range-states-no-year",
         "2018年-2022年新增专项债券项目共11个。", ctx(report=2023),
         [("11个", "focus.projects", {})]),
    case("years-listed-state-no-year",
         "2019年、2020年对政府投资500万元以上的项目开展事前绩效评估。", ctx(report=2021),
         [("500万元", "pre_assessment.threshold", {})]),
    case("year-does-not-cross-a-list-item",
         "甲县对2022年新增的12个项目开展绩效评价；乙县对35个项目开展事前绩效评估。", ctx(report=2023),
         [("12个", "evaluation.projects", {"year": 2022, "entity": "甲县"}),  # level entity
          ("35个", "pre_assessment.projects", {"entity": "乙县"})]),
    case("month-flow-is-not-the-period-figure",
         "1-6月累计支出项目资金2.3亿元；当月实际支出4100万元。", ctx("execution", "work"),
         [("2.3亿元", "execution.spent", {"month": 6}), ("4100万元", None, {"month": 6})]),
    case("parenthesised-parts-have-no-key",
         "纳入评价的专项资金4500万元（含省级资金1000万元），已全部开展重点评价。", ctx(),
         [("4500万元", "key_eval.amount", {}), ("1000万元", None, {})]),
    case("a-delegation-is-no-staff",
         "市财政局一行6人到我县开展绩效考评。", ctx("capacity", "work"),
         [("6人", None, {})]),
    case("third-party-agency-names-who-not-the-stage",
         "委托第三方评价机构，对8个项目开展绩效评价。", ctx(),
         [("8个", "evaluation.projects", {})]),
    case("growth-of-money-rule-is-no-target-growth",
         "对年度预算增幅达到20%的延续性项目开展事前绩效评估。", ctx(),
         [("20%", None, {})]),
]

# --------------------------------------------------------------------------- counts without a key

NO_KEY = [
    case("nokey-aspects",
         "从决策、过程、产出和效益四个方面对14个项目开展重点评价。", ctx(),
         [("四个", None, {}), ("14个", "key_eval.projects", {})]),
    case("nokey-two-checkpoints",
         "分别在5月、8月两个节点对全县296个项目开展绩效监控。", ctx(),
         [("两个", None, {}), ("296个", "monitoring.projects", {})]),
    case("nokey-two-meetings",
         "先后召开两次绩效评审会议，对9个项目开展事前论证。", ctx(),
         [("两次", None, {}), ("9个", "pre_assessment.projects", {})]),
    case("nokey-training-times",
         "全年组织绩效业务培训3次。", ctx("capacity", "work"),
         [("3次", None, {})]),
    case("nokey-satisfaction",
         "经问卷调查，项目受益群众满意度达95%以上。", ctx("key_eval", "work"),
         [("95%", None, {"approx": "over"})]),
    # (一般公共预算支出同比增长6.2% has a key since the catalog holds a budget report's
    # items: see BUDGET; spending on one area is no item of the catalog)
    case("nokey-revenue-growth",
         "全县民生支出同比增长6.2%。", ctx(),
         [("6.2%", None, {})]),
]

# --------------------------------------------------------------------------- qualifiers

MONTHS = [
    case("month-one-governs-sentence",
         "在8月开展的第二轮监控中，共监控项目268个，涉及资金3.9亿元。", ctx(),
         [("268个", "monitoring.projects", {"month": 8}),
          ("3.9亿元", "monitoring.amount", {"month": 8})]),
    case("month-each-item",
         "5月监控项目213个，8月监控项目247个，11月监控项目251个。", ctx(),
         [("213个", "monitoring.projects", {"month": 5}),
          ("247个", "monitoring.projects", {"month": 8}),
          ("251个", "monitoring.projects", {"month": 11})]),
    case("month-fenbie",
         "全县5月、8月分别监控项目213个、247个。", ctx(),
         [("213个", "monitoring.projects", {"month": 5}),
          ("247个", "monitoring.projects", {"month": 8})]),
    case("month-with-approx",
         "5月共监控项目58个，监控资金近5000万元。", ctx(),
         [("58个", "monitoring.projects", {"month": 5}),
          ("5000万元", "monitoring.amount", {"month": 5, "approx": "about"})]),
    case("month-date-ignored",
         "2024年6月20日，县财政局印发通知，要求对189个项目开展绩效监控。", ctx(report=2025),
         [("189个", "monitoring.projects", {})]),
    # A cumulative period (截至9月底, 1-6月, 上半年, 一季度) gives its last month to the
    # figures it covers; stated first, it frames the sentences after it in the paragraph,
    # up to a 全年/今年 or another month of their own.
    case("period-frames-the-paragraph",
         "截至9月底，全县一般公共预算收入完成41200万元，同比增长4.6%。其中：税收收入26800万元，增长6.2%。",
         ctx("budget", "work"),
         [("41200万元", "budget.general_revenue", {"month": 9}),
          ("4.6%", "budget.general_revenue_growth", {"month": 9}),
          ("26800万元", "budget.tax_revenue", {"month": 9}),
          ("6.2%", "budget.tax_revenue_growth", {"month": 9})]),
    case("period-first-half",
         "上半年，全县共对118个项目开展绩效运行监控，涉及资金3.6亿元。", ctx(),
         [("118个", "monitoring.projects", {"month": 6}),
          ("3.6亿元", "monitoring.amount", {"month": 6})]),
    case("period-ended-by-full-year",
         "一季度，全县一般公共预算支出完成28600万元。全年一般公共预算支出预计增长3%。",
         ctx("budget", "work"),
         [("28600万元", "budget.general_expenditure", {"month": 3}),
          ("3%", "budget.general_expenditure_growth", {})]),
    case("period-range-with-year",
         "2024年1-8月，全县累计支出项目资金2.3亿元，支出进度为71.2%。", ctx("execution", "work"),
         [("2.3亿元", "execution.spent", {"month": 8}), ("71.2%", "execution.rate", {"month": 8})]),
    # a cut-off date gives its month like a cumulative period (the set's convention since
    # its second reading; this row expected no month before), except the year's last day
    case("period-cutoff-day-gives-its-month",
         "截至2024年6月20日，全县已完成整体支出自评报告76份。", ctx(report=2024),
         [("76份", "overall_eval.reports", {"month": 6})]),
    case("period-cutoff-year-end-is-the-whole-year",
         "截至12月31日，全县已完成整体支出自评报告76份。", ctx(report=2024),
         [("76份", "overall_eval.reports", {})]),
    case("checkpoint-month-frames-only-its-parts",
         "6月对偏差较大的12个项目下发督办通知。督办事项整改完成率为93.3%。", ctx("monitoring", "work"),
         [("12个", "monitoring.supervised", {"month": 6}),
          ("93.3%", "monitoring.rectified_rate", {})]),
    case("period-checkpoint-month-stays-in-its-sentence",
         "全年共开展事前绩效评估项目45个。8月监控项目213个。", ctx(),
         [("45个", "pre_assessment.projects", {}), ("213个", "monitoring.projects", {"month": 8})]),
]

GRADES = [
    case("grade-fenbie-counts",
         "评价结果为优、良、中的重点项目分别有15个、6个、2个。", ctx("key_eval", "work"),
         [("15个", "evaluation.grade_count", {"grade": "优"}),
          ("6个", "evaluation.grade_count", {"grade": "良"}),
          ("2个", "evaluation.grade_count", {"grade": "中"})]),
    case("grade-fenbie-then-shares",
         "评价等次为优、良的项目分别为11个和4个，占评价项目总数的73.3%和26.7%。",
         ctx("key_eval", "work"),
         [("11个", "evaluation.grade_count", {"grade": "优"}),
          ("4个", "evaluation.grade_count", {"grade": "良"}),
          ("73.3%", "evaluation.grade_share", {"grade": "优"}),
          ("26.7%", "evaluation.grade_share", {"grade": "良"})]),
    case("grade-middle-and-below",
         "“中”及以下等次项目3个，已全部责令整改。", ctx("key_eval", "work"),
         [("3个", "evaluation.grade_count", {"grade": "中及以下"})]),
    case("grade-predicate-clause-year",
         "2023年选取的7个重点项目，评价结果均为“优”。", ctx(),
         [("7个", "evaluation.grade_count", {"grade": "优", "year": 2023})]),
    case("grade-predicate-clause-units",
         "对县人民医院等3个单位开展整体支出评价，评价得分为“良”。", ctx(),
         [("3个", "overall_eval.grade_count", {"grade": "良"})]),
    case("grade-not-for-whole-before-qizhong",
         "共评价项目20个，其中“优”等次17个。", ctx("key_eval", "work"),
         [("20个", "key_eval.projects", {}),
          ("17个", "evaluation.grade_count", {"grade": "优"})]),
    # 优良 (the 优 and 良 projects together), 良及以上 and 良好以上 are one grade: 良及以上
    case("grade-youliang-with-score-band",
         "评价等级为优良（85分以上）的项目6个，占60%；等级为中（60-85分）的项目4个，占40%。",
         ctx("key_eval", "work"),
         [("85分", "evaluation.grade_threshold", {"grade": "良及以上"}),
          ("6个", "evaluation.grade_count", {"grade": "良及以上"}),
          ("60%", "evaluation.grade_share", {"grade": "良及以上"}),
          ("60", "evaluation.grade_threshold", {"grade": "中"}),
          ("85分", "evaluation.grade_threshold", {"grade": "中"}),
          ("4个", "evaluation.grade_count", {"grade": "中"}),
          ("40%", "evaluation.grade_share", {"grade": "中"})]),
    case("grade-liang-and-above-quoted",
         "自评结果为“良”及以上的项目38个，占比95%。", ctx("key_eval", "work"),
         [("38个", "evaluation.grade_count", {"grade": "良及以上"}),
          ("95%", "evaluation.grade_share", {"grade": "良及以上"})]),
    case("grade-lianghao-yishang",
         "良好以上的评价项目共9个。", ctx("key_eval", "work"),
         [("9个", "evaluation.grade_count", {"grade": "良及以上"})]),
    case("grade-band-quoted-whole",
         "评价结果为“中及以下”的项目2个，“良及以上”的项目13个。", ctx("key_eval", "work"),
         [("2个", "evaluation.grade_count", {"grade": "中及以下"}),
          ("13个", "evaluation.grade_count", {"grade": "良及以上"})]),
]

YEARS = [
    case("year-in-clause",
         "2023年度共对46个项目开展重点评价。", ctx(),
         [("46个", "key_eval.projects", {"year": 2023})]),
    case("year-temporal-clause",
         "在安排2025年预算时，根据评价结果调减7个项目预算资金180万元。", ctx(),
         [("7个", "application.cut_projects", {"year": 2025}),
          ("180万元", "application.cut_amount", {"year": 2025})]),
    case("year-heading",
         "全县共有95个部门开展整体绩效自评。", ctx("self_eval", "work", heading=2023),
         [("95个", "self_eval.departments", {"year": 2023})]),
    case("year-heading-equals-report",
         "共完成自评项目1032个。", ctx("self_eval", "work", heading=2024),
         [("1032个", "self_eval.projects", {})]),
    case("year-clause-over-heading",
         "同时对2022年度实施的6个项目开展重点评价。", ctx("key_eval", "work", heading=2023),
         [("6个", "key_eval.projects", {"year": 2022})]),
    case("year-equals-report",
         "2024年全县共设定绩效目标项目520个。", ctx(),
         [("520个", "target.projects", {})]),
    case("year-of-results-not-of-cut",
         "根据2023年评价结果，县财政局对11个项目调减了预算。", ctx(),
         [("11个", "application.cut_projects", {})]),
    # (the date's year is no year qualifier; nor, being another year than the report's,
    # does it give its month: a submission's day, not how far into the year it counts)
    case("year-date-ignored",
         "截至2024年10月31日，全县已完成事前绩效评估项目44个。", ctx(report=2025),
         [("44个", "pre_assessment.projects", {})]),
]

ENTITIES = [
    case("entity-enumeration-and-total",
         "县农业农村局动物防疫工作经费调减6万元、县水利局河道保洁经费调减4万元、"
         "县文旅局节庆活动经费调减12.5万元，共计调减22.5万元。", ctx("application", "work"),
         [("6万元", "application.cut_amount", {"entity": "县农业农村局动物防疫工作经费"}),
          ("4万元", "application.cut_amount", {"entity": "县水利局河道保洁经费"}),
          ("12.5万元", "application.cut_amount", {"entity": "县文旅局节庆活动经费"}),
          ("22.5万元", "application.cut_amount", {})]),
    case("entity-after-colon-with-year",
         "在编制2025年预算时，对评价结果较差的项目压减预算：县城管局环卫车辆运行费压减15万元，"
         "县卫健局公共卫生宣传经费压减8万元。", ctx("application", "work"),
         [("15万元", "application.cut_amount", {"entity": "县城管局环卫车辆运行费", "year": 2025}),
          ("8万元", "application.cut_amount", {"entity": "县卫健局公共卫生宣传经费", "year": 2025})]),
    case("entity-verb-first",
         "结合评价结果，核减县文化馆免费开放经费12万元、县图书馆购书经费5万元。",
         ctx("application", "work"),
         [("12万元", "application.cut_amount", {"entity": "县文化馆免费开放经费"}),
          ("5万元", "application.cut_amount", {"entity": "县图书馆购书经费"})]),
    case("entity-none-for-gongji",
         "对低效无效资金共计调减预算63万元。", ctx("application", "work"),
         [("63万元", "application.cut_amount", {})]),
]

FIELDS = [
    case("field-annual-budget-part",
         "全县共设定绩效目标项目486个，涉及资金21.7亿元，其中年初预算项目301个，涉及资金14.2亿元。",
         ctx("target", "work"),
         [("486个", "target.projects", {}), ("21.7亿元", "target.project_amount", {}),
          ("301个", "target.projects", {"field": "年初预算"}),
          ("14.2亿元", "target.project_amount", {"field": "年初预算"})]),
    case("field-annual-budget-in-monitoring",
         "全年共对298个项目开展绩效监控，其中年初预算项目226个。", ctx(),
         [("298个", "monitoring.projects", {}),
          ("226个", "monitoring.projects", {"field": "年初预算"})]),
    case("field-parenthetical-ignored-departments",
         "全县81个预算部门（不含涉密单位）全部编制整体绩效目标。", ctx(),
         [("81个", "target.departments", {})]),
    case("field-parenthetical-ignored-money",
         "全年共监控项目318个，涉及资金6.4亿元（不含涉密项目资金）。", ctx(),
         [("318个", "monitoring.projects", {}), ("6.4亿元", "monitoring.amount", {})]),
]

APPROX = [
    case("approx-yue",
         "对31个项目开展重点评价，涉及资金约2.8亿元。", ctx(),
         [("31个", "key_eval.projects", {}), ("2.8亿元", "key_eval.amount", {"approx": "about"})]),
    case("approx-yu",
         "全县完成自评的项目300余个。", ctx("self_eval", "work"),
         [("300余个", "self_eval.projects", {"approx": "over"})]),
    case("approx-zuoyou",
         "对19个项目开展事前绩效评估，涉及资金8000万元左右。", ctx(),
         [("19个", "pre_assessment.projects", {}),
          ("8000万元", "pre_assessment.amount", {"approx": "about"})]),
    case("approx-da-is-not",
         "项目支出绩效自评覆盖率达100%。", ctx(),
         [("100%", "self_eval.coverage", {})]),
]

# --------------------------------------------------------------------------- non-figures and placeholders

NON_FIGURES = [
    case("nonfig-doc-number-school",
         "根据《XX县部门整体支出绩效评价工作方案》（X财绩〔2023〕15号）要求，对县第二中学等6个单位开展整体支出评价。",
         ctx(),
         [("6个", "overall_eval.departments", {})]),
    case("nonfig-ordinals-yishi",
         "一是完善制度体系，二是强化结果应用，三是推进第三方评价。", ctx(),
         []),
    case("nonfig-date-slogan-quarter",
         "2023年1月29日，县财政局召开推进会，围绕“一加五”工作机制部署第三季度监控工作。", ctx(),
         []),
    case("nonfig-names-batches",
         "县第一人民医院、第三小学等单位的5个项目纳入第二批重点评价。", ctx(),
         [("5个", "key_eval.projects", {})]),
    case("nonfig-slogan-once",
         "坚持“一个项目、一套指标、一份报告”原则，一次性完成全部自评工作。", ctx(),
         []),
]

PLACEHOLDERS = [
    case("placeholder-pre-assessment",
         "今年对X个新增项目进行事前绩效评估，评估资金XX万元。", ctx(),
         [("X个", "pre_assessment.projects", {}), ("XX万元", "pre_assessment.amount", {})]),
    case("placeholder-coverage",
         "项目支出绩效自评覆盖率达到X％。", ctx(),
         [("X％", "self_eval.coverage", {})]),
    case("placeholder-grade",
         "“良”等次项目X个、占比X%。", ctx("key_eval", "work"),
         [("X个", "evaluation.grade_count", {"grade": "良"}),
          ("X%", "evaluation.grade_share", {"grade": "良"})]),
    case("placeholder-staff-county",
         "XX县绩效股现有工作人员X人。", ctx(),
         [("X人", "capacity.staff", {})]),
]

# --------------------------------------------------------------------------- sentence first
# A cue or a field governs its own list item (up to ；), not the next one; a figure whose
# item names no stage and that only the catch-all stage would take gets no key (its
# candidates are kept, see tests/test_confidence.py).

SCOPE = [
    case("scope-field-and-cue-stop-at-semicolon",
         "全县衔接资金项目42个，资金1.3亿元；一般项目120个，资金3.2亿元。", ctx(),
         [("42个", "focus.projects", {"field": "衔接资金"}),
          ("1.3亿元", "focus.amount", {"field": "衔接资金"}),
          ("120个", None, {}), ("3.2亿元", None, {})]),
    case("scope-next-item-names-no-stage",
         "对12个新增项目开展事前评估；另有38个项目纳入年度预算。", ctx(),
         [("12个", "pre_assessment.projects", {}), ("38个", None, {})]),
    case("scope-field-within-its-item",
         "全县共设定绩效目标的项目520个，其中年初预算项目310个，较上年增加41个项目。", ctx(),
         [("520个", "target.projects", {}),
          ("310个", "target.projects", {"field": "年初预算"}),
          ("41个", "target.projects_change", {"field": "年初预算"})]),
]

# --------------------------------------------------------------------------- round 2
# Classes the real dev set still got wrong after the first round (issue 12), each in
# sentences written here.

CUTS = [
    # cuts made by performance work are application.cut_*, whatever stage did the work
    case("cut-shenjian-after-pre-assessment",
         "依据事前绩效评估结论审减项目资金86万元。", ctx(),
         [("86万元", "application.cut_amount", {})]),
    case("cut-shenjian-projects-and-rate",
         "区级对35个新增项目开展事前绩效评估，审减入库项目9个，平均审减率12.5%。", ctx(),
         [("35个", "pre_assessment.projects", {"entity": "区级"}),
          ("9个", "application.cut_projects", {"entity": "区级"}),
          ("12.5%", None, {"entity": "区级"})]),
    case("cut-zhuijian-after-monitoring",
         "对执行缓慢的项目开展重点监控，追减项目资金14.2万元。", ctx(),
         [("14.2万元", "application.cut_amount", {})]),
    case("cut-koujian-after-target-review",
         "对目标不合理的项目扣减资金约3200万元。", ctx("target", "work"),
         [("3200万元", "application.cut_amount", {"approx": "about"})]),
    case("cut-not-supported-quoted",
         "经重点评估，对3个项目“不予支持”，压减预算申请1.6亿元。", ctx(),
         [("3个", "application.cut_projects", {}), ("1.6亿元", "application.cut_amount", {})]),
    # savings of a budget or investment review are not performance work; money moved to
    # other projects is no cut
    case("cut-investment-review-savings-no-key",
         "通过财政投资评审审减工程造价420万元。", ctx(),
         [("420万元", None, {})]),
    case("cut-money-moved-no-key",
         "对4个项目调减资金76万元，调配到新增3个项目50万元。", ctx(),
         [("4个", "application.cut_projects", {}), ("76万元", "application.cut_amount", {}),
          ("3个", None, {}), ("50万元", None, {})]),
]

BACK_REFERENCE = [
    # 此次… speaks of what the sentence before named
    case("back-reference-reads-sentence-before",
         "县财政局选取部分重点项目召开绩效评价座谈会。此次座谈会抽取了7家参评单位，共11个项目。",
         ctx(),
         [("7家", "key_eval.units", {}), ("11个", "key_eval.projects", {})]),
]

READING_MORE = [
    # a subset word says which money, a frame verb after the figure what was done to it
    case("subset-word-yields-to-frame",
         "对新增地方政府专项债券项目共8个项目开展绩效评价。", ctx(),
         [("8个", "evaluation.projects", {})]),
    # a 其中 clause listing parts: the clauses after it speak of the whole
    case("parts-listed-then-the-whole-covers",
         "全年共对12个重点项目进行了评价，其中项目支出评价6个、政策评价3个，涉及部门单位9个，资金2.3亿元。",
         ctx(),
         [("12个", "key_eval.projects", {}), ("6个", None, {}), ("3个", None, {}),
          ("9个", "key_eval.units", {}), ("2.3亿元", "key_eval.amount", {})]),
    # a sentence opening with a month alone that names the month's flow keeps no key
    case("month-flow-sentence",
         "6月份，全县批复用款计划额度为5,200万元，当月实际支出4,100万元。", ctx("execution", "work"),
         [("5,200万元", None, {"month": 6}), ("4,100万元", None, {"month": 6})]),
    # a grade clause far from the count grades neither the count nor the money
    case("grade-clause-after-other-clauses",
         "本次部门整体支出绩效评价共涉及3个单位，分别是甲局、乙局和丙镇，预算资金总额860万元，评价等级均为“良”。",
         ctx(),
         [("3个", "overall_eval.departments", {}), ("860万元", "overall_eval.amount", {})]),
    case("rate-of-plan-quota-is-execution",
         "省级财政实际支用计划额度64.4亿元，占总用款计划额度的78%。", ctx(),
         [("64.4亿元", "execution.spent", {"entity": "省级"}),
          ("78%", "execution.rate", {"entity": "省级"})]),
    case("coverage-as-review-rate",
         "绩效目标编报、审核率达100%。", ctx(),
         [("100%", "target.coverage", {})]),
    case("spent-opening-its-clause",
         "截至8月底，全市直达资金总量12.5亿元，支出8.3亿元。", ctx(),
         [("12.5亿元", "focus.amount", {"month": 8, "field": "直达资金"}),
          ("8.3亿元", "execution.spent", {"month": 8, "field": "直达资金"})]),
]

TAIWAN = [
    # pages from Taiwan: plans listed for control (列管计划, 管制计划) are monitored projects;
    # the period may stand between the noun and its count; 计划 alone is a plan
    case("monitoring-listed-plans",
         "行政院所属机关列管计划112年度截至9月底止共计980项，年计划经费8000亿元。", ctx(),
         [("980项", "monitoring.projects", {"month": 9}),
          ("8000亿元", "monitoring.amount", {"month": 9})]),
    case("quoted-criterion-has-no-month",
         "截至9月底，仍有3项计划「年累计支用比未达90%」。", ctx(),
         [("3项", None, {"month": 9}), ("90%", None, {})]),
    case("plans-alone-are-no-projects",
         "截至9月底，仍有4项计划执行落后。", ctx(),
         [("4项", None, {"month": 9})]),
]

QUALIFIERS_MORE = [
    # a figure in parentheses after 去年同期 is the year before's
    case("year-of-last-year-same-period",
         "第2季实际执行4,490亿元，较去年同期（4,343亿元）增加147亿元。", ctx("execution", "work"),
         [("4,490亿元", None, {}), ("4,343亿元", None, {"year": 2023}), ("147亿元", None, {})]),
    # parts named by the source of the money
    case("field-source-of-money",
         "收入共计615万元，其中：财政拨款收入580万元，同比增加42万元。", ctx("self_eval", "work"),
         [("615万元", None, {}), ("580万元", None, {"field": "财政拨款"}),
          ("42万元", None, {"field": "财政拨款"})]),
    # a duration has no grade
    case("grade-not-on-a-duration",
         "我县预算绩效管理工作连续4年被评为优秀等次。", ctx(),
         [("4年", None, {})]),
    # 基建项目 and 年初批复预算 name a part of the budget
    case("field-infrastructure-projects",
         "纳入本次绩效自评的基建项目有35个。", ctx("self_eval", "work"),
         [("35个", "self_eval.projects", {"field": "基建项目"})]),
]

SUBJECTS = [
    # a place or a level opening a list item is the entity of the item's figures
    case("subject-level-and-places",
         "区级完成对19个项目的事前评估，审减金额316万元；丰源县对总额2.1亿元的86个项目开展事前绩效评估。",
         ctx(),
         [("19个", "pre_assessment.projects", {"entity": "区级"}),
          ("316万元", "application.cut_amount", {"entity": "区级"}),
          ("2.1亿元", "pre_assessment.amount", {"entity": "丰源县"}),
          ("86个", "pre_assessment.projects", {"entity": "丰源县"})]),
    case("subject-place-with-level-after-only",
         "2023年，仅青山市市级财政部门就对240个项目开展事前绩效评估。", ctx(report=2023),
         [("240个", "pre_assessment.projects", {"entity": "青山市市级"})]),
    # a unit named after its place, the author, 全县: no entity
    case("subject-unit-named-after-place-is-none",
         "青山市第二中学2023年项目资金共计80万元。", ctx(report=2023),
         [("80万元", None, {})]),
    case("subject-author-is-none",
         "青山县财政局对14个项目开展事前绩效评估。", ctx(),
         [("14个", "pre_assessment.projects", {})]),
    # a list of shares each named before it
    case("entity-list-of-shares",
         "支付进度低于平均的有：北区41.8%，市本级51.4%，东江62.6%。", ctx("execution", "work"),
         [("41.8%", None, {"entity": "北区"}), ("51.4%", None, {"entity": "市本级"}),
          ("62.6%", None, {"entity": "东江"})]),
]

NOUNS_MORE = [
    # a count followed by a describing clause counts the noun after its 的
    case("noun-after-relative-clause",
         "选取8个支出进度明显滞后的项目开展重点监控。", ctx(),
         [("8个", "monitoring.projects", {})]),
    case("noun-after-relative-clause-not-aspects",
         "自评发现存在4个方面的问题。", ctx(),
         [("4个", None, {})]),
    # 共计N个 opening its clause counts what the clause before it ended with
    case("noun-of-clause-before",
         "此次评价覆盖2021年以来实施的政策和项目，共计16个，涉及资金8120万元。",
         ctx("key_eval", "work"),
         [("16个", "key_eval.projects", {}), ("8120万元", "key_eval.amount", {})]),
    # units a key evaluation covers (N家单位) are its units; elsewhere units are departments
    case("units-of-key-evaluation",
         "本次重点评价抽取了9家参评单位，共14个项目。", ctx(),
         [("9家", "key_eval.units", {}), ("14个", "key_eval.projects", {})]),
    case("units-of-overall-evaluation",
         "对6家预算单位开展部门整体支出绩效评价。", ctx(),
         [("6家", "overall_eval.departments", {})]),
    # 建议 counted like 问题 and 意见; N个项目支出 counts projects
    case("revisions-as-suggestions",
         "审核绩效目标时提出修改建议57条。", ctx(),
         [("57条", "target.revisions", {})]),
]

CASES = (TOPIC_CUE + TOPIC_CONTEXT + FRAME + MEASURES + NO_KEY + MONTHS + GRADES + YEARS
         + ENTITIES + FIELDS + APPROX + NON_FIGURES + PLACEHOLDERS + SCOPE + BUDGET + SCOPE_MORE
         + CUTS + NOUNS_MORE + BACK_REFERENCE + READING_MORE + SUBJECTS
         + QUALIFIERS_MORE + TAIWAN)


@pytest.mark.parametrize(("text", "context", "expected"), CASES)
def test_attribution(text: str, context: Context, expected: list[Fig]) -> None:
    assert _annotate(text, context) == expected


# Words in the sentences above that look like figures and are not (README: not a figure).
NOT_FIGURES = [
    ("根据《XX县部门整体支出绩效评价工作方案》（X财绩〔2023〕15号）要求，对县第二中学等6个单位开展整体支出评价。",
     ["15号", "二中", "2023"]),
    ("一是完善制度体系，二是强化结果应用，三是推进第三方评价。", ["一是", "二是", "三是", "三方"]),
    ("2023年1月29日，县财政局召开推进会，围绕“一加五”工作机制部署第三季度监控工作。",
     ["2023年", "1月", "29日", "一加五", "三季"]),
    ("县第一人民医院、第三小学等单位的5个项目纳入第二批重点评价。", ["一人", "三小", "二批"]),
    ("坚持“一个项目、一套指标、一份报告”原则，一次性完成全部自评工作。", ["一个", "一套", "一份", "一次"]),
    ("XX县绩效股现有工作人员X人。", ["XX"]),
]


@pytest.mark.parametrize(("text", "words"), NOT_FIGURES,
                         ids=[f"not-figure-{i}" for i in range(len(NOT_FIGURES))])
def test_non_figures_yield_no_metric(text: str, words: list[str]) -> None:
    figures = find_quantities(text)
    result = attribute(text, figures, ctx())
    for word in words:
        for m in re.finditer(re.escape(word), text):
            for q, a in zip(figures, result, strict=True):
                overlaps = q.start < m.end() and m.start() < q.end
                assert not overlaps, f"{word!r} read as a figure {text[q.start:q.end]!r} → {a.key}"


@pytest.mark.parametrize(("text", "context", "expected"), PLACEHOLDERS)
def test_placeholders_have_no_value(text: str, context: Context, expected: list[Fig]) -> None:
    figures = find_quantities(text)
    assert [text[q.start : q.end] for q in figures] == [surface for surface, _, _ in expected]
    assert all(q.value is None and q.placeholder for q in figures)


def test_expected_keys_are_catalog_keys() -> None:
    catalog = load_catalog()
    for param in CASES + OTHER_DRAFTERS + OTHER_DRAFTERS_FAILING:
        for _, key, qualifiers in param.values[2]:
            assert key is None or key in catalog, key
            assert set(qualifiers) <= {"month", "grade", "evaluator", "year", "entity", "field",
                                       "approx"}

# --------------------------------------------------------------------------- other drafters
# A colleague wrote 80 sentences the way other counties' drafters write (累计达, 项目数量为,
# 已支付, 支出进度, 为良好的, 每3年, 15个工作日, 收回, 专项债券, …) and annotated them from
# the catalog before running them. 32 passed at first; the rules that were too narrow were
# widened (vocabulary in attribution.yaml; grades after 为, months across 、, dates that are
# no checkpoints, year frames ending in 中, earlier clauses read strong cue first, “中”和“差”
# as 中及以下, grades named one by one then amounts 分别为…, no entity without a list). The
# 65 that pass are kept here; the 15 still failing are listed in the issue notes.
OTHER_DRAFTERS = [
    case("target-heji-sheji",
         "全年共为527个预算项目设定了绩效目标，合计涉及资金11.36亿元。", ctx(),
         [("527个", "target.projects", {}), ("11.36亿元", "target.project_amount", {})]),
    case("target-xiangmu-shuliang-decrease",
         "纳入绩效目标管理的项目数量为498个，较上年减少23个。", ctx(),
         [("498个", "target.projects", {}), ("23个", None, {})]),
    case("target-placeholder-dept-targets-noun-first",
         "共审核部门整体绩效目标X个、项目绩效目标XX个，涉及项目资金XX万元。", ctx("target", "work"),
         [("X个", "target.departments", {}), ("XX个", "target.projects", {}),
          ("XX万元", "target.project_amount", {})]),
    case("target-revisions-tiao",
         "绩效目标审核中，共提出修改意见128条，督促单位完善指标。", ctx(),
         [("128条", "target.revisions", {})]),
    case("target-approved-leiji",
         "批复绩效目标的项目累计达612个。", ctx(),
         [("612个", "target.approved", {})]),
    case("target-year-frame-zhong",
         "2025年部门预算编制中，全县92个部门均编报了部门整体绩效目标，同时编报项目绩效目标1136个，涉及资金18.7亿元。",
         ctx(report=2024),
         [("92个", "target.departments", {"year": 2025}),
          ("1136个", "target.projects", {"year": 2025}),
          ("18.7亿元", "target.project_amount", {"year": 2025})]),
    case("pre-leiji-heji-cut",
         "全年累计完成事前绩效评估项目37个，评估金额合计1.68亿元，核减不合理资金2150万元。", ctx(),
         [("37个", "pre_assessment.projects", {}), ("1.68亿元", "pre_assessment.amount", {}),
          ("2150万元", "application.cut_amount", {})]),
    case("pre-policies-xiang-experts-reports",
         "今年组织专家对新增重大政策5项、重大项目18个开展事前论证，共出具评估报告23份。", ctx(),
         [("5项", "pre_assessment.projects", {}), ("18个", "pre_assessment.projects", {}),
          ("23份", "pre_assessment.projects", {})]),
    case("pre-year-month-date-not-checkpoint",
         "2024年3月，县财政局对45个新增项目开展事前绩效评估。", ctx(),
         [("45个", "pre_assessment.projects", {})]),
    case("mon-two-checkpoints-items-dunhao",
         "分别于5月、9月两个节点对全县项目开展绩效运行监控，5月监控项目286个、资金4.12亿元，9月监控项目301个、资金4.57亿元。",
         ctx(),
         [("两个", None, {}),
          ("286个", "monitoring.projects", {"month": 5}), ("4.12亿元", "monitoring.amount", {"month": 5}),
          ("301个", "monitoring.projects", {"month": 9}), ("4.57亿元", "monitoring.amount", {"month": 9})]),
    case("mon-plain-grades-money-fenbie",
         "9月监控结果显示，优等级项目203个、良等级项目41个、中等级项目6个，涉及资金分别为3.2亿元、6130万元和870万元。",
         ctx(),
         [("203个", "monitoring.grade_projects", {"month": 9, "grade": "优"}),
          ("41个", "monitoring.grade_projects", {"month": 9, "grade": "良"}),
          ("6个", "monitoring.grade_projects", {"month": 9, "grade": "中"}),
          ("3.2亿元", "monitoring.grade_amount", {"month": 9, "grade": "优"}),
          ("6130万元", "monitoring.grade_amount", {"month": 9, "grade": "良"}),
          ("870万元", "monitoring.grade_amount", {"month": 9, "grade": "中"})]),
    case("mon-supervised-workdays-rate",
         "对偏差较大的14个项目下达督办函，要求15个工作日内完成整改，截至年底整改完成率为92.86%。",
         ctx("monitoring", "work"),
         [("14个", "monitoring.supervised", {}), ("15个工作日", "monitoring.deadline_days", {}),
          ("92.86%", "monitoring.rectified_rate", {})]),
    case("mon-fenbie-money-months",
         "全县5月、9月分别对项目资金4.2亿元、4.65亿元开展了监控。", ctx(),
         [("4.2亿元", "monitoring.amount", {"month": 5}), ("4.65亿元", "monitoring.amount", {"month": 9})]),
    case("mon-fenbie-grade-months",
         "5月、9月两次监控中，偏差等级为“差”的项目分别为7个和3个。", ctx(),
         [("两次", None, {}),
          ("7个", "monitoring.grade_projects", {"month": 5, "grade": "差"}),
          ("3个", "monitoring.grade_projects", {"month": 9, "grade": "差"})]),
    case("mon-shuangjiankong-flags-supervised",
         "通过“双监控”系统对预警的黄标项目23个、红标项目4个进行督办。", ctx(),
         [("23个", "monitoring.supervised", {}), ("4个", "monitoring.supervised", {})]),
    case("mon-exec-rate-month",
         "9月监控时点，全县监控项目平均预算执行率为68.4%。", ctx(),
         [("68.4%", "execution.rate", {"month": 9})]),
    case("mon-placeholder-yue",
         "全年共对X个项目、约XX亿元资金开展绩效监控。", ctx(),
         [("X个", "monitoring.projects", {}), ("XX亿元", "monitoring.amount", {"approx": "about"})]),
    case("self-zhang-forms",
         "各单位报送项目支出绩效自评表共计842张。", ctx(),
         [("842张", "self_eval.projects", {})]),
    case("self-bizhong-coverage",
         "开展自评的项目资金占全部项目资金的比重为96.5%。", ctx("self_eval", "work"),
         [("96.5%", "self_eval.coverage", {})]),
    case("self-overall-self-eval-units-reports",
         "全县参与部门整体支出自评的预算单位共89家，提交整体自评报告89份。", ctx(),
         [("89家", "overall_eval.departments", {}), ("89份", "overall_eval.reports", {})]),
    case("self-score-word-order",
         "各单位自评得分平均为92.06分。", ctx(),
         [("92.06分", "self_eval.avg_score", {"evaluator": "单位自评"})]),
    case("dept-sample-count-share",
         "各主管部门按不低于15%的比例选取项目开展部门评价，全年共评价项目63个，占项目总数的16.2%。", ctx(),
         [("15%", "dept_eval.sample_share", {}), ("63个", "dept_eval.projects", {}),
          ("16.2%", "dept_eval.share", {})]),
    case("dept-share-zhanbi-da-avg",
         "部门评价项目占比达18%，平均得分87.6分。", ctx(),
         [("18%", "dept_eval.share", {}), ("87.6分", "dept_eval.score", {})]),
    case("dept-every-n-years",
         "原则上每3年对主管部门的重点项目实现部门评价全覆盖。", ctx(),
         [("3年", "dept_eval.cycle_years", {})]),
    case("dept-reports-as-projects",
         "各主管部门共报送部门评价报告46份，平均得分86.2分。", ctx(),
         [("46份", "dept_eval.projects", {}), ("86.2分", "dept_eval.score", {})]),
    case("key-third-party-projects-dept-wide",
         "委托2家第三方机构对县域义务教育均衡发展等6个项目和县交通运输局部门整体开展重点绩效评价，涉及资金合计2.94亿元。",
         ctx(),
         [("2家", "capacity.third_parties", {}), ("6个", "key_eval.projects", {}),
          ("2.94亿元", "key_eval.amount", {})]),
    case("key-grades-plain-youxiu-lianghao",
         "评价结果显示，优秀等次项目9个，良好等次项目4个，评定为“中”的项目1个。", ctx("key_eval", "work"),
         [("9个", "evaluation.grade_count", {"grade": "优"}),
          ("4个", "evaluation.grade_count", {"grade": "良"}),
          ("1个", "evaluation.grade_count", {"grade": "中"})]),
    case("key-grade-after-wei-year-frame",
         "在2023年度重点评价项目中，评价结果为优秀等次的8个，为良好等次的3个。", ctx(report=2024),
         [("8个", "evaluation.grade_count", {"grade": "优", "year": 2023}),
          ("3个", "evaluation.grade_count", {"grade": "良", "year": 2023})]),
    case("key-scores-two-evaluators",
         "第三方机构评价得分为84.5分，经财政部门复核后调整为86分。", ctx("key_eval", "work"),
         [("84.5分", "key_eval.score", {"evaluator": "第三方机构"}),
          ("86分", "key_eval.score", {"evaluator": "财政部门"})]),
    case("key-annual-budget-spent-rate",
         "重点评价项目年初预算合计6820.5万元，实际支出5937.12万元，执行率87.05%。", ctx("key_eval", "work"),
         [("6820.5万元", "key_eval.budget", {}), ("5937.12万元", "key_eval.spent", {}),
          ("87.05%", "key_eval.rate", {})]),
    case("key-xiangmu-shuliang-share",
         "重点评价项目数量13个，资金总额4.37亿元，占全县项目支出总额的21.6%。", ctx(),
         [("13个", "key_eval.projects", {}), ("4.37亿元", "key_eval.amount", {}), ("21.6%", None, {})]),
    case("key-zhongjie-jigou-overall",
         "本年度聘请3家中介机构对5个部门整体支出开展绩效评价，平均得分为83.6分。", ctx(),
         [("3家", "capacity.third_parties", {}), ("5个", "overall_eval.departments", {}),
          ("83.6分", "overall_eval.score", {})]),
    case("eval-generic-projects-amount",
         "全年共对174个项目开展绩效评价，涉及资金12.3亿元。", ctx(),
         [("174个", "evaluation.projects", {}), ("12.3亿元", "evaluation.amount", {})]),
    case("eval-bizhong-grades-zhong-he-cha",
         "评价结果为“优”的项目比重为62.5%，“良”的项目比重为31.25%，“中”和“差”的项目比重合计为6.25%。",
         ctx("evaluation", "work"),
         [("62.5%", "evaluation.grade_share", {"grade": "优"}),
          ("31.25%", "evaluation.grade_share", {"grade": "良"}),
          ("6.25%", "evaluation.grade_share", {"grade": "中及以下"})]),
    case("eval-plain-jiaocha-after-dengji",
         "评价等级为较差的项目2个，已按规定暂停安排下年度预算。", ctx("evaluation", "work"),
         [("2个", "evaluation.grade_count", {"grade": "差"})]),
    case("eval-youxiu-share-unquoted",
         "评价结果为优秀的项目占全部评价项目的比重为58.3%。", ctx("evaluation", "work"),
         [("58.3%", "evaluation.grade_share", {"grade": "优"})]),
    case("eval-score-threshold",
         "全年绩效评价项目中，得分90分以上的项目占比为76%。", ctx(),
         [("90分", None, {}), ("76%", None, {})]),
    case("overall-qizhong-grades-de",
         "对县卫健局、县民政局等7个部门开展整体支出绩效评价，其中评价结果为“优”的5个、“良”的2个。", ctx(),
         [("7个", "overall_eval.departments", {}),
          ("5个", "overall_eval.grade_count", {"grade": "优"}),
          ("2个", "overall_eval.grade_count", {"grade": "良"})]),
    case("overall-amount-avg-max-min",
         "部门整体支出绩效评价涉及预算资金合计3.76亿元，平均得分89.45分，最高分96分，最低分78.5分。", ctx(),
         [("3.76亿元", "overall_eval.amount", {}), ("89.45分", "overall_eval.score", {}),
          ("96分", "overall_eval.score", {}), ("78.5分", "overall_eval.score", {})]),
    case("overall-lianghao-unquoted-jia",
         "64家参评单位中，评价结果为良好的11家，占比17.19%。", ctx("overall_eval", "work"),
         [("64家", "overall_eval.departments", {}),
          ("11家", "overall_eval.grade_count", {"grade": "良"}),
          ("17.19%", "overall_eval.grade_share", {"grade": "良"})]),
    case("overall-fenbie-grades-jia",
         "整体支出评价结果为优、良、中的单位分别有21家、9家、2家。", ctx(),
         [("21家", "overall_eval.grade_count", {"grade": "优"}),
          ("9家", "overall_eval.grade_count", {"grade": "良"}),
          ("2家", "overall_eval.grade_count", {"grade": "中"})]),
    case("exec-zonge-zhifu-jindu",
         "截至12月31日，全县项目支出预算总额为15.62亿元，已支付13.98亿元，支出进度89.5%。",
         ctx("execution", "work"),
         [("15.62亿元", "execution.budget", {}), ("13.98亿元", "execution.spent", {}),
          ("89.5%", "execution.rate", {})]),
    case("exec-target-avg-completion-points",
         "全县项目绩效目标平均完成率为95.1%，预算执行率同比提高2.1个百分点。", ctx(),
         [("95.1%", "execution.target_completion", {}), ("2.1个百分点", None, {})]),
    case("exec-bare-yi-anpai",
         "全县项目预算安排21.3亿，实际执行19.8亿，执行率92.96%。", ctx("execution", "work"),
         [("21.3亿", "execution.budget", {}), ("19.8亿", "execution.spent", {}),
          ("92.96%", "execution.rate", {})]),
    case("exec-jun-dadao-yishang",
         "全县各部门项目绩效目标完成率均达到90%以上。", ctx(),
         [("90%", "execution.target_completion", {"approx": "over"})]),
    case("exec-rate-then-spent-heji",
         "县本级一般公共预算项目执行率93.6%，执行金额合计8.04亿元。", ctx(),
         [("93.6%", "execution.rate", {"entity": "县本级"}),  # level entity
          ("8.04亿元", "execution.spent", {"entity": "县本级"})]),
    case("app-shouhui-no-section",
         "对连续两年未使用的项目结余资金予以收回，共计收回资金528.6万元。", ctx(),
         [("两年", None, {}), ("528.6万元", "application.cut_amount", {})]),
    case("app-year-shouhui-hejian",
         "根据评价结果，在编制2025年预算时收回结余资金86.4万元，核减低效项目预算312万元。", ctx(),
         [("86.4万元", "application.cut_amount", {"year": 2025}),
          ("312万元", "application.cut_amount", {"year": 2025})]),
    case("app-leiji-cut-yajian-qizhong",
         "全年累计对23个项目调减预算，合计调减资金1.06亿元，其中压减会议费、培训费等一般性支出860万元。", ctx(),
         [("23个", "application.cut_projects", {}), ("1.06亿元", "application.cut_amount", {}),
          ("860万元", "application.cut_amount", {})]),
    case("app-deadline-date-penalty-percent",
         "对第三方评价中发现的问题，要求相关单位于2025年3月底前整改到位，逾期未整改的扣减下年度预算5%。",
         ctx("application", "work"),
         [("5%", None, {})]),
    case("app-rectified-done-no-key",
         "对上年重点评价发现问题的17个项目下达整改通知书，截至目前已整改到位15个。", ctx("application", "work"),
         [("17个", "application.rectify_projects", {}), ("15个", None, {})]),
    case("app-months-deadline",
         "对绩效不达标的2个项目限期3个月整改，整改期间暂停拨付资金。", ctx("application", "work"),
         [("2个", "application.rectify_projects", {}), ("3个月", "application.rectify_days", {})]),
    case("disc-projects-and-rate",
         "2024年随部门预算同步公开项目绩效目标436个，公开率100%。", ctx(),
         [("436个", "disclosure.projects", {}), ("100%", None, {})]),
    case("disc-cue-earlier-clause-weak-target",
         "各部门在公开部门预算时同步公开了项目绩效目标，共涉及项目389个。", ctx(),
         [("389个", "disclosure.projects", {})]),
    case("cap-pool-change-experts",
         "县级第三方机构库现有入库机构31家，较上年新增6家；专家库入库专家112名。", ctx(),
         [("31家", "capacity.third_parties", {"entity": "县级"}),  # level entity
          ("6家", None, {"entity": "县级"}), ("112名", "capacity.experts", {})]),
    case("cap-staff-total-and-sub",
         "目前全县专兼职绩效管理人员共计47人，其中县财政局绩效股专职人员4名。", ctx(),
         [("47人", "capacity.staff", {}), ("4名", "capacity.staff", {})]),
    case("cap-placeholder-renci",
         "委托XX家第三方机构参与绩效评价工作，聘请行业专家X人次参与评审。", ctx(),
         [("XX家", "capacity.third_parties", {}), ("X人次", None, {})]),
    case("cap-new-experts-removed-firms",
         "新增入库专家15人，清退不合格第三方机构2家。", ctx("capacity", "work"),
         [("15人", None, {}), ("2家", None, {})]),
    case("focus-linkage-year",
         "全县2024年度衔接资金共安排项目156个，资金3.42亿元，已全部设定绩效目标并纳入监控。", ctx(),
         [("156个", "focus.projects", {"field": "衔接资金"}),
          ("3.42亿元", "focus.amount", {"field": "衔接资金"})]),
    case("focus-direct-funds-over-monitoring",
         "纳入直达资金监控的项目83个，涉及资金合计2.15亿元。", ctx(),
         [("83个", "focus.projects", {"field": "直达资金"}),
          ("2.15亿元", "focus.amount", {"field": "直达资金"})]),
    case("focus-classified-units-money",
         "全县涉密单位4家，涉及项目资金2860万元，按规定实行单独管理。", ctx(),
         [("4家", None, {"field": "涉密"}), ("2860万元", "focus.amount", {"field": "涉密"})]),
    case("sys-doc-number-measures",
         "根据《关于全面实施预算绩效管理的实施意见》（某政发〔2024〕5号）精神，县财政局印发了3项配套制度。",
         ctx("system", "work"),
         [("3项", None, {})]),
    case("nonfig-yishi-quarter-date",
         "一是在第三季度开展专项督查，二是于2024年3月召开绩效工作推进会。", ctx(),
         []),
    case("nonfig-yishi-with-figures",
         "一是对12个新增项目开展事前评估；二是对上年度32个项目开展重点评价。", ctx(),
         [("12个", "pre_assessment.projects", {}), ("32个", "key_eval.projects", {})]),
    case("nokey-warnings-third-quarter",
         "第三季度共收到监控预警信息26条，均已督促整改。", ctx("monitoring", "work"),
         [("26条", None, {})]),
]


@pytest.mark.parametrize(("text", "context", "expected"), OTHER_DRAFTERS)
def test_other_drafters_wording(text: str, context: Context, expected: list[Fig]) -> None:
    assert _annotate(text, context) == expected


# --------------------------------------------------------------------------- document frames
# What frames a whole document: a period in its title (1-9月…执行情况) or opening a paragraph
# (截至9月底，…) frames the paragraphs after it up to a heading; a paragraph opening with 其中
# continues the one before; a part of the money that the title names (直达资金) is what the
# whole document is about, so it is neither the focus stage nor a field of its figures.

def _document_figures(text: str) -> list[tuple[str, str | None, dict[str, Any]]]:
    from jixiao.api import extract_document, read_bytes

    doc = read_bytes(text.encode("utf-8"), source="frames.txt", fmt="txt")
    return [(m.surface, m.key, m.qualifiers) for m in extract_document(doc).metrics
            if m.kind != "date"]


def test_title_period_and_topic_frame_the_document() -> None:
    text = ("某县2024年1-9月直达资金执行情况\n"
            "全县直达资金总额5.2亿元，已支出4.1亿元，支出进度78.8%。\n"
            "县本级直达资金3.1亿元，下达项目36个。\n")
    assert _document_figures(text) == [
        ("5.2亿元", None, {"month": 9}), ("4.1亿元", "execution.spent", {"month": 9}),
        ("78.8%", "execution.rate", {"month": 9}),
        ("3.1亿元", None, {"month": 9, "entity": "县本级"}),  # level entity
        ("36个", None, {"month": 9, "entity": "县本级"})]


def test_opening_period_frames_later_paragraphs_and_qizhong_continues() -> None:
    text = ("某县财政局通报\n"
            "截至6月底，全县一般公共预算收入完成52300万元，同比增长3.1%。\n"
            "全县一般公共预算支出完成98700万元，同比增长2.4%。\n"
            "据统计，县本级已下达衔接资金项目资金8600万元。截至5月底，已拨付6200万元。\n"
            "其中，产业项目资金拨付4100万元。\n"
            "今年，全县计划安排衔接资金项目58个。\n")
    got = _document_figures(text)
    months = [(surface, q.get("month")) for surface, _, q in got]
    assert months == [("52300万元", 6), ("3.1%", 6), ("98700万元", 6), ("2.4%", 6),
                      ("8600万元", 6), ("6200万元", 5), ("4100万元", 5), ("58个", None)]


# --------------------------------------------------------------------------- tables
# A project's self-evaluation form: the column header names the form's own measure
# (年初预算数, 全年执行数, 分值, 得分, 年度指标值, 实际完成值) whatever the section; a label
# cell 产出指标（50分） states the weight of what it names; the row's entity is its name
# (without 其中). A bulletin's table takes its stage from its caption, a 评价等级 column
# grades its row.

def _table_figures(text: str) -> list[tuple[str, str | None, dict[str, Any]]]:
    from jixiao.api import extract_document, read_bytes

    doc = read_bytes(text.encode("utf-8"), source="table.txt", fmt="txt")
    return [(m.surface, m.key, m.qualifiers) for m in extract_document(doc).metrics
            if m.origin == "table"]


def test_self_evaluation_form_columns() -> None:
    text = ("某县2024年度项目支出绩效自评表\n"
            "项目资金(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
            "年度资金总额 | 120.00 | 150.00 | 138.00 | 10 | 92% | 9.2 |\n"
            "其中:财政拨款 | 120.00 | 150.00 | 138.00 | | 92% | |\n"
            "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
            "产出指标(50分) | 数量指标 | 养护道路里程 | ≥40公里 | 42公里 | 20 | 20 |\n")
    total, part, road = {"entity": "年度资金总额"}, {"entity": "财政拨款"}, {"entity": "养护道路里程"}
    # (the 年初预算数 column's cells are about the budget set at the year's start: field 年初预算,
    # as the real set annotates them)
    initial = {"field": "年初预算"}
    expected = [
        ("120.00", "self_eval.budget_initial", total | initial),
        ("150.00", "self_eval.budget_full", total),
        ("138.00", "self_eval.spent", total), ("10", "self_eval.weight", total),
        ("92%", "self_eval.rate", total), ("9.2", "self_eval.score", total),
        ("120.00", "self_eval.budget_initial", part | initial),
        ("150.00", "self_eval.budget_full", part),
        ("138.00", "self_eval.spent", part), ("92%", "self_eval.rate", part),
        ("50分", "self_eval.weight", {"entity": "产出指标"}),
        ("≥40公里", "self_eval.target_value", road), ("42公里", "self_eval.actual_value", road),
        ("20", "self_eval.weight", road), ("20", "self_eval.score", road)]
    assert sorted(_table_figures(text), key=repr) == sorted(expected, key=repr)


def test_bulletin_table_stage_from_caption_and_grade_column() -> None:
    text = ("某县财政局关于重点项目绩效评价情况的通报\n"
            "县财政局对2个项目开展了评价，具体如下。\n"
            "表1 2024年重点项目绩效评价结果表\n"
            "序号 | 项目名称 | 预算资金(万元) | 评分情况 | 评价等级 |\n"
            "1 | 甲镇污水管网项目 | 320.50 | 91.5 | 优 |\n"
            "2 | 乙乡道路改造项目 | 180.00 | 84 | 良 |\n")
    a = {"entity": "甲镇污水管网项目", "grade": "优"}
    b = {"entity": "乙乡道路改造项目", "grade": "良"}
    assert _table_figures(text) == [
        ("320.50", "key_eval.budget", a), ("91.5", "key_eval.score", a),
        ("180.00", "key_eval.budget", b), ("84", "key_eval.score", b)]


def test_form_columns_need_a_form() -> None:
    """执行率 in a table that is no self-evaluation form is an execution rate."""
    text = ("一、预算执行情况\n"
            "项目名称 | 预算金额(万元) | 执行金额(万元) | 执行率 |\n"
            "甲项目 | 100 | 90 | 90% |\n")
    e = {"entity": "甲项目"}
    assert _table_figures(text) == [("100", "execution.budget", e), ("90", "execution.spent", e),
                                    ("90%", "execution.rate", e)]


def test_own_self_evaluation_report_keys_the_form_and_withholds_the_county_keys() -> None:
    """A project's own self-evaluation report: its budget, spending and rate are the
    form's, and a county-level key (projects that set targets) is not meant there. (The
    150万元 got no key before the real set's second reading: an amount named before the
    spending and the rate of its sentence is the budget they are measured against.)"""
    text = ("某县乡村道路养护项目2024年度绩效自评报告\n"
            "一、基本情况\n"
            "项目资金共150万元，截至12月31日已拨付138万元，执行率92%。"
            "项目共设定绩效目标指标8个。\n")
    assert [(s, k) for s, k, _ in _document_figures(text)] == [
        ("150万元", "self_eval.budget_full"), ("138万元", "self_eval.spent"),
        ("92%", "self_eval.rate"), ("8个", None)]


def test_own_self_evaluation_report_budget_lines() -> None:
    """The budget at the year's start and after adjustment are the form's columns; the
    number of projects a unit carried out is no county's count of self-evaluated projects."""
    text = ("某县档案馆2024年度项目支出绩效自评报告\n"
            "一、基本情况\n"
            "本单位实施项目共6个，年初批复预算4个项目320万元，调整预算后项目预算295.5万元。\n"
            "二、资金情况\n"
            "专项补助资金全年共40万元，拨付使用了36万元，预算执行率90%。\n")
    assert [(s, k) for s, k, _ in _document_figures(text)] == [
        ("6个", None), ("4个", None), ("320万元", "self_eval.budget_initial"),
        ("295.5万元", "self_eval.budget_full"), ("40万元", "self_eval.budget_full"),
        ("36万元", "self_eval.spent"), ("90%", "self_eval.rate")]


def test_topic_names_the_stage_of_an_evaluation_bulletin() -> None:
    text = ("为提高财政资金使用效益，县财政局组织开展了2024年重点项目绩效评价工作，现将评价情况通报如下：\n"
            "本次绩效评价共涉及项目24个，评价资金5.2亿元。\n")
    assert [(s, k) for s, k, _ in _document_figures(text)] == [
        ("24个", "key_eval.projects"), ("5.2亿元", "key_eval.amount")]


def test_a_day_range_is_a_date_not_a_month() -> None:
    text = "某县财政局简讯\n6月5-6日，市财政局对我县12个项目开展绩效评价。\n"
    assert _document_figures(text) == [("12个", "evaluation.projects", {})]


# --------------------------------------------------------------------------- other drafters, failing
# The 15 probe sentences that still failed are not in the repository (the commit of
# 76d8999 says they were listed in notes). These 15 stand in for them: sentences written
# here in other drafters' wording for the classes the real dev set still gets wrong,
# annotated from the catalog before they were run. Those that fail are strict xfail rows:
# a rule that makes one pass must move it out of the xfail marks.

def xcase(id_: str, text: str, context: Context, expected: list[Fig]) -> Any:
    return pytest.param(text, context, expected, id=id_,
                        marks=pytest.mark.xfail(strict=True, reason="other drafters' wording not read yet"))


OTHER_DRAFTERS_FAILING = [
    # (优良 and “良”及以上 are the grade 良及以上 since the set's second reading; these two
    # rows expected no grade before that convention)
    case("grade-youliang-combined",
         "经第三方机构评审，等级为优良（80分以上）的项目有4个，占57%。", ctx(),
         [("80分","evaluation.grade_threshold",{"grade":"良及以上"}),("4个","evaluation.grade_count",{"grade":"良及以上"}),("57%","evaluation.grade_share",{"grade":"良及以上"})]),
    case("grade-liang-and-above",
         "评价等级为“良”及以上的项目18个，占75%。", ctx(),
         [("18个","evaluation.grade_count",{"grade":"良及以上"}),("75%","evaluation.grade_share",{"grade":"良及以上"})]),
    case("grade-score-bands",
         "评价得分90分（含）以上为“优”，80分（含）至90分为“良”。", ctx("evaluation","work"),
         [("90分","evaluation.grade_threshold",{"grade":"优"}),("80分","evaluation.grade_threshold",{"grade":"良"}),("90分","evaluation.grade_threshold",{"grade":"良"})]),
    case("eval-pairs-projects-and-departments",
         "对8个项目和2个部门分别开展了项目绩效评价和部门整体支出绩效评价。", ctx(),
         [("8个","evaluation.projects",{}),("2个","overall_eval.departments",{})]),
    case("key-whole-then-parts-then-covered",
         "全年共对9个重点项目进行了评价，其中项目支出评价4个、政策评价3个，涉及部门单位7个，资金1.78亿元。", ctx(),
         [("9个","key_eval.projects",{}),("4个",None,{}),("3个",None,{}),("7个","key_eval.units",{}),("1.78亿元","key_eval.amount",{})]),
    xcase("exec-plan-quota",
         "1-6月，省级财政累计批复用款计划额度82.4亿元，实际支用计划额度64.4亿元，占总用款计划额度的78%。", ctx(),
         [("82.4亿元","execution.budget",{"month":6}),("64.4亿元","execution.spent",{"month":6}),("78%","execution.rate",{"month":6})]),
    case("exec-completion-of-budget",
         "截至7月底，全所累计支出16873万元，完成预算（含结余）的56.47%。", ctx(),
         [("16873万元","execution.spent",{"month":7}),("56.47%","execution.rate",{"month":7})]),
    xcase("self-own-budget-lines",
         "我单位年初批复预算985万元，调整后预算861.46万元。", ctx("self_eval","work"),
         [("985万元","self_eval.budget_initial",{}),("861.46万元","self_eval.budget_full",{})]),
    xcase("self-form-label-weight-in-text",
         "预算执行情况（20分）：预算数1000万元，执行数1000万元，执行率100%。", ctx("self_eval","work"),
         [("20分","self_eval.weight",{"entity":"预算执行情况"}),("1000万元","self_eval.budget_full",{}),("1000万元","self_eval.spent",{}),("100%","self_eval.rate",{})]),
    case("mon-month-after-figure",
         "选取2个部门以及10个项目，拟于10月开展重点监控。", ctx(),
         [("2个",None,{"month":10}),("10个","monitoring.projects",{"month":10})]),
    xcase("target-dept-and-project-approvals",
         "完成市本级87个部门整体支出、2172个项目支出的绩效目标审核批复，涉及资金超244亿元。", ctx(),
         # (市本级 opening the item is the entity since the set's second reading)
         [("87个","target.departments",{"entity":"市本级"}),("2172个","target.projects",{"entity":"市本级"}),
          ("244亿元","target.project_amount",{"approx":"over","entity":"市本级"})]),
    case("entity-regions-fenbie",
         "东部、中部、西部地区收入分别增长6.7%、6.9%、10.7%。", ctx(),
         [("6.7%",None,{"entity":"东部"}),("6.9%",None,{"entity":"中部"}),("10.7%",None,{"entity":"西部"})]),
    xcase("target-budget-compilation-scale",
         "完成市本级绩效预算编制，编制规模达960个项目，涉及财政资金35.4亿元。", ctx(),
         [("960个","target.projects",{"entity":"市本级"}),("35.4亿元","target.project_amount",{"entity":"市本级"})]),
    case("pre-key-assessment-policies",
         "2023年纳入重点绩效评估项目（政策）10个，涉及资金3007.5万元。", ctx(report=2023),
         [("10个","pre_assessment.projects",{}),("3007.5万元","pre_assessment.amount",{})]),
    # (the 绩效目标 of 42个部门整体支出: a cue inside what a count counts names the thing, the
    # stage is the target review; ranking such a cue last breaks 整体支出…自评表76个)
    xcase("cue-naming-the-counted-thing",
          "完成县本级42个部门整体支出、615个项目支出的绩效目标审核。", ctx(),
          [("42个", "target.departments", {}), ("615个", "target.projects", {})]),
    # (a part naming the whole's other kind: a person reads 部门整体评价2个 under 重点评价 as
    # key_eval.departments; nothing counted is named after 2个)
    xcase("key-parts-department-wholes",
          "全年共对9个重点项目进行了评价，其中项目支出评价4个、部门整体评价2个，涉及部门单位7个。", ctx(),
          [("9个","key_eval.projects",{}),("4个",None,{}),("2个","key_eval.departments",{}),("7个","key_eval.units",{})]),
    case("key-units-projects-covered",
         "此次重点评价涉及12家预算单位、19个项目，预算资金合计6206.58万元。", ctx(),
         [("12家","key_eval.units",{}),("19个","key_eval.projects",{}),("6206.58万元","key_eval.amount",{})]),
]


@pytest.mark.parametrize(("text", "context", "expected"), OTHER_DRAFTERS_FAILING)
def test_other_drafters_wording_failing(text: str, context: Context, expected: list[Fig]) -> None:
    assert _annotate(text, context) == expected


def test_form_with_a_shifted_group_header_is_read_one_header_right() -> None:
    """年度预算数（万元） over the three budget columns takes a header cell but no cell in the
    rows: the cells from the group's column on belong one header to the right, up to the
    group's column that is empty in every row (the reader put the rate under its header)."""
    from jixiao.api import extract_document, read_bytes

    text = ("某县2024年度项目支出绩效自评表\n"
            "预算执行情况(10分) | 年度预算数(万元) | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 |\n"
            "总额 | 0.00 | 5.20 | 4.80 | 92.31% | 10 | 9 |\n")
    doc = read_bytes(text.encode("utf-8"), source="form.txt", fmt="txt")
    cells = [(m.surface, m.key) for m in extract_document(doc).metrics if m.origin == "table"]
    assert sorted(cells) == sorted([
        ("10分", "self_eval.weight"), ("0.00", "self_eval.budget_initial"),
        ("5.20", "self_eval.budget_full"), ("4.80", "self_eval.spent"),
        ("92.31%", "self_eval.rate"), ("10", "self_eval.weight"), ("9", "self_eval.score")])


def test_form_whose_group_header_cannot_be_placed_withholds_its_keys() -> None:
    """Two columns claim one measure and no column of the group is empty: which cell is
    which is unsure and no form key is given (the candidates are kept)."""
    from jixiao.api import extract_document, read_bytes

    text = ("某县2024年度项目支出绩效自评表\n"
            "预算执行情况(10分) | 年度预算数(万元) | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 |\n"
            "总额 | 5.20 | 0.00 | 5.20 | 4.80 | 92.31% | 10 | 9 |\n")
    doc = read_bytes(text.encode("utf-8"), source="form.txt", fmt="txt")
    cells = [m for m in extract_document(doc).metrics if m.origin == "table"]
    assert cells and all(m.key is None for m in cells if m.candidates)
    assert not any(m.key and m.key.startswith("self_eval.budget") for m in cells)


def test_topic_of_a_form_flattened_with_its_file_metadata() -> None:
    """A form copied out of an office file with its metadata on the same line names itself
    after a colon: its title is the document's topic (a project's own report)."""
    from jixiao.extract.attribution import document_topic

    text = ("张三 abc123 1 2019-05-22T04:56:35Z 15.00 False False附件:项目支出绩效自评表(2023年度)"
            "项目名称道路养护项目主管部门某镇人民政府\n本项目共申请预算资金60万元。")
    assert "项目支出绩效自评表" in document_topic(None, text)
    assert "自评" not in document_topic(None, "各单位报送自评报告76份，审核后全部合格。")


def test_own_report_indicator_written_as_a_bound_is_its_target_value() -> None:
    own = Context(stages=("work",), report_year=2024, topic="某卫生院2024年度项目绩效自评报告")
    text = "群众满意度：群众满意度≥85%，实际达到92%。"
    figures = find_quantities(text)
    keys = [a.key for a in attribute(text, figures, own)]
    assert keys == ["self_eval.target_value", None]
    county = Context(stages=("work",), report_year=2024, topic="某县2024年度预算绩效管理工作总结")
    assert attribute(text, figures, county)[0].key != "self_eval.target_value"


def test_entity_as_written_in_traditional_characters() -> None:
    """Qualifier values are the document's words: a page in traditional characters keeps
    them (the rules read its simplified twin)."""
    text = "某市2021年直達資金執行情況\n市本級直達資金45.66億元，未分配0.32億元。\n"
    entities = [q.get("entity") for _, _, q in _document_figures(text)]
    assert entities == ["市本級", "市本級"]


def test_own_report_indicator_lines_name_their_figures() -> None:
    """In a project's own report, 指标名：… lines give the label as the entity of their
    figures (as a form's 三级指标 does for its row); a label naming a field of the form
    does not."""
    text = ("某乡卫生院2024年度项目绩效自评报告\n"
            "一、绩效指标完成情况\n"
            "开展入户随访：每月开展入户随访一次，共12次。\n"
            "群众满意度：群众满意度≥90%。\n"
            "资金来源：上级补助资金20万元。\n")
    found = [(s, q.get("entity")) for s, _, q in _document_figures(text)]
    assert found == [("一次", "开展入户随访"), ("12次", "开展入户随访"), ("90%", "群众满意度"),
                     ("20万元", None)]


def test_uses_listed_after_amounts_are_their_entities() -> None:
    text = "本项目共申请预算资金60万元。其中：25万元用于道路养护；35万元用于桥梁检测。"
    figures = find_quantities(text)
    entities = [a.qualifiers.get("entity") for a in attribute(text, figures, ctx())]
    assert entities == [None, "道路养护", "桥梁检测"]


def test_table_in_a_period_and_scores_of_a_delegated_evaluation() -> None:
    """A table under a title's cumulative period carries its month; the scores of a
    document that delegated its evaluation to a third party carry that evaluator; a long
    note cell's figures are not about the row."""
    from jixiao.api import extract_document, read_bytes

    text = ("某县2024年1-6月重点绩效评价结果\n"
            "县财政局委托第三方机构对6个项目开展重点绩效评价，现将结果公布如下。\n"
            "序号 | 项目名称 | 资金规模（万元） | 评分 | 说明 |\n"
            "1 | 农村道路养护项目 | 120 | 91.5 | 填报说明：执行率低于80%的项目须在30日内书面说明原因，并同时提交整改方案和下一步工作安排 |\n")
    doc = read_bytes(text.encode("utf-8"), source="t.txt", fmt="txt")
    cells = {m.surface: m.qualifiers for m in extract_document(doc).metrics if m.origin == "table"}
    assert cells["91.5"] == {"month": 6, "entity": "农村道路养护项目", "evaluator": "第三方"}
    assert cells["120"] == {"month": 6, "entity": "农村道路养护项目"}
    assert "entity" not in cells["80%"]


def test_evaluator_needs_a_scoring_word() -> None:
    """An evaluator named before a score gave it only when a word of scoring stands
    between (财政部门评价得分96.03分), not as a field of a form (主管部门…（20分）)."""
    for text, evaluator in (("财政部门评价得分96.5分。", "财政部门"),
                            ("主管部门县卫健委预算执行情况（20分）。", None)):
        (q,) = find_quantities(text)
        (a,) = attribute(text, [q], ctx("self_eval", "work"))
        assert a.qualifiers.get("evaluator") == evaluator, text


def test_own_place_opening_a_sentence_is_no_entity() -> None:
    """The document's own place (named in its title) is what every figure is about: no
    entity; another place opening an item is."""
    text = "青禾县共设定绩效目标项目56个；丰源县共设定绩效目标项目31个。"
    figures = find_quantities(text)
    topic = Context(stages=("work",), report_year=2024, topic="青禾县2024年度预算绩效管理工作总结")
    entities = [a.qualifiers.get("entity") for a in attribute(text, figures, topic)]
    assert entities == [None, "丰源县"]
