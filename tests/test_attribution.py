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
    case("exec-yi-zhichu-in-section",
         "截至11月底，全县项目预算金额3600万元，已支出3120万元。", ctx("execution", "work"),
         [("3600万元", "execution.budget", {}), ("3120万元", "execution.spent", {})]),
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
    case("disc-cue-rate-not-in-catalog",
         "县级部门预决算公开率100%。", ctx("disclosure", "work"),
         [("100%", None, {})]),
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
    case("nokey-revenue-growth",
         "全县一般公共预算支出同比增长6.2%。", ctx(),
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

CASES = (TOPIC_CUE + TOPIC_CONTEXT + FRAME + MEASURES + NO_KEY + MONTHS + GRADES + YEARS
         + ENTITIES + FIELDS + APPROX + NON_FIGURES + PLACEHOLDERS)


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
    for param in CASES:
        for _, key, qualifiers in param.values[2]:
            assert key is None or key in catalog, key
            assert set(qualifiers) <= {"month", "grade", "evaluator", "year", "entity", "field",
                                       "approx"}
