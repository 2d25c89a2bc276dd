"""Work on many files: one action per file, the batch going on whatever one file does.

A user's mistake (:class:`~jixiao.errors.JixiaoError`) is recorded as it is; a bug is
recorded as an :class:`~jixiao.errors.InternalError` whose reason names the log holding its
traceback. An output that cannot be written is no fault of the file: it ends the batch, for
the caller to report once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from jixiao.errors import JixiaoError, internal_error

__all__ = ["Batch"]

T = TypeVar("T")


class Batch:
    """The files named (a folder stands for the reports inside it) and what failed."""

    def __init__(self, inputs: Iterable[str],
                 on_failure: Callable[[JixiaoError], None] | None = None) -> None:
        from jixiao.api import collect_paths

        self.inputs = collect_paths(inputs)
        self.failures: list[JixiaoError] = []
        self.on_failure = on_failure

    def each(self, action: Callable[[str], T]) -> Iterator[tuple[str, T]]:
        """``(path, action(path))`` for every file whose action succeeded."""
        for item in self.inputs:
            try:
                value = action(item)
            except JixiaoError as err:
                self._failed(err)
                continue
            except BrokenPipeError:
                raise
            except OSError as exc:
                if exc.filename is not None and exc.filename != item:
                    raise  # an output that cannot be written: the command's to report
                self._failed(internal_error(item, exc))
                continue
            except Exception as exc:  # a bug on this file: logged, and the batch goes on
                self._failed(internal_error(item, exc))
                continue
            yield item, value

    def run(self, action: Callable[[str], object]) -> None:
        """Run ``action`` on every file."""
        for _ in self.each(action):
            pass

    def _failed(self, err: JixiaoError) -> None:
        self.failures.append(err)
        if self.on_failure is not None:
            self.on_failure(err)

    def summary(self) -> str | None:
        """The closing line when several files were given and some failed."""
        if len(self.inputs) <= 1 or not self.failures:
            return None
        ok = len(self.inputs) - len(self.failures)
        names = "；".join(f"{e.source}（{e.reason}）" for e in self.failures)
        return f"共 {len(self.inputs)} 个文件：成功 {ok} 个，失败 {len(self.failures)} 个：{names}"
