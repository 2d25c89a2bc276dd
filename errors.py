"""One exception type per kind of failure a user can cause, each with a Chinese message.

The CLI turns every :class:`JixiaoError` into exit status 2 and one line on stderr naming
the file and the reason. Anything else is a bug: :func:`internal_error` writes its
traceback to a log file and turns it into an :class:`InternalError` whose one line names
the file and the log, so that a batch goes on with the next file.
"""

from __future__ import annotations

import os
from pathlib import Path


class JixiaoError(Exception):
    """Base of all user-facing errors: ``str(err)`` is the one line shown to the user."""

    exit_code = 2

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")

    def __reduce__(self) -> tuple[type[JixiaoError], tuple[str, str]]:
        # Rebuilt from (source, reason) when it crosses a process boundary (ingest --jobs):
        # the default would call __init__ with the formatted message alone.
        return (type(self), (self.source, self.reason))


class OutputError(JixiaoError):
    """A file jixiao was asked to write cannot be written (read-only, no permission, …)."""


class MissingFileError(JixiaoError):
    """The path does not exist, or names a directory where a file is needed."""


class UnsupportedFormatError(JixiaoError):
    """The extension or content is not a format jixiao reads."""


class EmptyDocumentError(JixiaoError):
    """The file holds no text at all (zero bytes, only whitespace, or pages without text)."""


class CorruptDocumentError(JixiaoError):
    """The file claims a format but cannot be parsed as it (truncated or damaged)."""


class EncryptedDocumentError(JixiaoError):
    """The PDF is password protected."""


class EncodingError(JixiaoError):
    """A text file whose encoding cannot be determined as a Chinese text encoding."""


class NotAReportError(JixiaoError):
    """The file reads fine but holds no Chinese report text."""


class FormLayoutError(JixiaoError):
    """A file read as a performance form holds no form jixiao recognises (an unknown
    layout, or a form title without the columns its template has)."""


class OcrRequiredError(JixiaoError):
    """Pages have no usable text layer and the OCR extra is not installed."""


class ConverterMissingError(JixiaoError):
    """A format read through LibreOffice (.doc, .wps) and LibreOffice is not installed."""


class StoreError(JixiaoError):
    """The database cannot be used (unreachable, malformed URL, read-only, bad query)."""


class LimitExceededError(JixiaoError):
    """The file is beyond a bound on size, pages or paragraphs (extract/limits.py)."""


class ReviewError(JixiaoError):
    """A review that cannot be recorded: no such finding, a bad file of review marks."""


class InternalError(JixiaoError):
    """A bug met while handling one file; its traceback is in the log the reason names."""


LOG_ENV = "JIXIAO_LOG_DIR"


def log_dir() -> Path:
    """``$JIXIAO_LOG_DIR``, else the user's log folder (``platformdirs``)."""
    override = os.environ.get(LOG_ENV, "").strip()
    if override:
        return Path(override)
    from platformdirs import user_log_dir

    return Path(user_log_dir("jixiao"))


def internal_error(source: str, exc: BaseException) -> InternalError:
    """An :class:`InternalError` for ``exc`` met on ``source``, its traceback appended to
    ``errors.log`` in :func:`log_dir` (or the temporary folder if that cannot be written)."""
    import tempfile
    import traceback
    from datetime import datetime

    entry = (f"=== {datetime.now().isoformat(timespec='seconds')} pid {os.getpid()} "
             f"{source}\n" + "".join(traceback.format_exception(exc)) + "\n")
    for folder in (log_dir(), Path(tempfile.gettempdir()) / "jixiao-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            log = folder / "errors.log"
            with log.open("a", encoding="utf-8") as fh:
                fh.write(entry)
        except OSError:
            continue
        where = f"详细信息已写入 {log}"
        break
    else:
        where = "详细信息无法写入日志"
    return InternalError(source, f"内部错误（{type(exc).__name__}），已跳过此文件；{where}，"
                                 "请把这一行和该文件报告给维护者")
