"""Binary Word and WPS documents (.doc, .wps): converted to .docx by LibreOffice, then read
by the Word reader.

Each conversion runs ``soffice --headless`` with a user profile of its own in a temporary
folder (LibreOffice refuses a second instance on a profile in use, so parallel ingest
workers would otherwise collide), in a session of its own so that a conversion that hangs
is killed with every process it started.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from jixiao.errors import (
    ConverterMissingError,
    CorruptDocumentError,
    EncryptedDocumentError,
    UnsupportedFormatError,
)
from jixiao.model import Block, Table

# Seconds one conversion may take (a fresh profile costs about a second; a long report a
# few more). Raised with JIXIAO_SOFFICE_TIMEOUT.
SOFFICE_TIMEOUT = 120
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_INSTALL = ("需要 LibreOffice 才能读取 .doc/.wps 文件，但未找到 soffice 命令：请安装 LibreOffice"
            "（Debian/Ubuntu：apt-get install libreoffice-writer；Windows/macOS：从 LibreOffice 官网安装），"
            "或用 Word/WPS 另存为 .docx 后重试")


def soffice_path() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def sniff_word(data: bytes, source: str, suffix: str) -> str:
    """What a .doc/.wps file really holds: ``docx`` (a renamed .docx), ``html`` (a page
    Word saved as .doc), ``rtf`` or ``ole`` (a binary Word/WPS document); anything else,
    or an encrypted document, is refused with one line."""
    head = data[:1024].lstrip()
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head[:200].lower().startswith((b"<html", b"<!doctype html", b"<?xml")) or \
            b"<html" in head.lower():
        return "html"
    if not data.startswith(OLE_MAGIC):
        raise CorruptDocumentError(source, f"不是有效的 {suffix} 文件（内容不是 Word/WPS 文档）")
    if is_encrypted(data):
        raise EncryptedDocumentError(source, f"{suffix} 文件设有打开密码（已加密），请去掉密码后另存再读取")
    if suffix == ".doc" and not _has_stream(data, "WordDocument"):
        raise CorruptDocumentError(source, "不是有效的 .doc 文件（其中没有 Word 正文，可能是改了扩展名的其他 Office 文件）")
    return "ole"


def is_encrypted(data: bytes) -> bool:
    """Is an Office file (OLE or OOXML) protected by a password to open it?"""
    import msoffcrypto
    from msoffcrypto.exceptions import FileFormatError

    try:
        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except (FileFormatError, OSError, ValueError, AssertionError, KeyError, IndexError):
        return False  # not a format msoffcrypto knows: the reader itself decides
    except Exception:
        return False


def _has_stream(data: bytes, name: str) -> bool:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ole.exists(name)
    except Exception:
        return False


def convert(data: bytes, source: str, *, suffix: str, target: str = "docx") -> bytes:
    """The file converted by LibreOffice into ``target`` (its bytes)."""
    from jixiao.extract import limits

    limits.check_file(data, suffix.lstrip("."), source)
    exe = soffice_path()
    if exe is None:
        raise ConverterMissingError(source, _INSTALL)
    timeout = _timeout()
    with tempfile.TemporaryDirectory(prefix="jixiao-soffice-") as tmp:
        folder = Path(tmp)
        src = folder / f"input{suffix}"
        src.write_bytes(data)
        out = folder / "out"
        cmd = [exe, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
               "--nolockcheck", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
               "--convert-to", target, "--outdir", str(out), str(src)]
        env = {**os.environ, "HOME": str(folder)}
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        try:
            proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise CorruptDocumentError(
                source, f"LibreOffice 转换超过 {timeout} 秒仍未完成，已中止（文件可能已损坏；"
                        "可设置环境变量 JIXIAO_SOFFICE_TIMEOUT 延长）") from None
        finally:
            _kill(proc)
        result = out / f"input.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            raise CorruptDocumentError(source, f"LibreOffice 无法转换此 {suffix} 文件（文件可能已损坏）")
        return result.read_bytes()


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """End the conversion's whole session (soffice starts soffice.bin under it)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _timeout() -> int:
    try:
        return max(1, int(os.environ.get("JIXIAO_SOFFICE_TIMEOUT", SOFFICE_TIMEOUT)))
    except ValueError:
        return SOFFICE_TIMEOUT


def read_word_binary(data: bytes, source: str, suffix: str
                     ) -> tuple[list[Block], list[Table], list[str]]:
    """Blocks, tables and notes of a .doc/.wps file (see :func:`sniff_word`)."""
    from jixiao.extract.readers.docx import read_docx

    kind = sniff_word(data, source, suffix)
    if kind == "html":
        from jixiao.extract.readers.html import read_html

        content = read_html(data, source)
        return content.blocks, content.tables, [f"{suffix} 文件实为网页，按网页读取"]
    if kind == "docx":
        blocks, tables = read_docx(data, source)
        return blocks, tables, [f"{suffix} 文件实为 .docx，直接读取"]
    converted = convert(data, source, suffix=suffix)
    try:
        blocks, tables = read_docx(converted, source)
    except (CorruptDocumentError, EncryptedDocumentError) as exc:
        raise UnsupportedFormatError(source, f"LibreOffice 转换后的文档无法读取（{exc.reason}）") from exc
    return blocks, tables, [f"经 LibreOffice 转换为 .docx 后读取（原格式 {suffix}）"]
