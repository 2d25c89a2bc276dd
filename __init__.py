"""jixiao: read, extract, check, compare and draft 预算绩效管理工作情况说明.

The package root is the repository root; the stages live in ``extract``, ``check``,
``store`` and ``generate``; :mod:`jixiao.api` is the library surface the CLI uses.
"""

__version__ = "0.1.0"
