"""``jixiao demo``: the README's main command runs on a fresh install and shows the loop."""

from __future__ import annotations

from click.testing import CliRunner

from jixiao.cli import main


def test_demo_ingests_compares_and_checks_the_samples() -> None:
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "入库 4 份，失败 0 份" in out
    assert "县区年度比较（4 行" in out and "青禾县" in out and "松林县" in out
    # The 松林县 2024 sample was written with three slips a reviewer must see:
    # 198+70+17 = 285 against 286 monitored, 4.21÷4.68 = 90.0% written 90.9%, and X万元.
    assert "其中各项合计285个" in out
    assert "应为90.0%" in out
    assert "模板占位符“X万元”" in out
    # …and its growth against the 2023 sample holds (241 − 216 = 25, 25 ÷ 216 = 11.6%).
    assert "cross-year" not in out
