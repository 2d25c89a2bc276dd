"""One exception type per kind of failure a user can cause, each with a Chinese message.

The CLI turns every :class:`JixiaoError` into exit status 2 and one line on stderr naming
the file and the reason; anything else is a bug and is allowed to show a traceback.
"""

from __future__ import annotations


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
