"""Benchmark: 2,000 forms in one folder read, checked and added up (jixiao forms).

Writes N project self-evaluation forms of both template families into one folder — a
workbook per form, every tenth a Word table — with the sample generator
(generate/form_samples.py), then reads them the way ``jixiao forms FOLDER --figures`` does:
every file read and checked, the batch going on past any file, then the aggregate and the
figures file. Reports the throughput (forms per second, the writing of the folder not
counted), the resident memory sampled as the batch goes (target: flat — of each form only
what the aggregate reads is kept, a few KB), and the time of the aggregate.

    python bench/bench_forms.py [--forms 2000] [--folder DIR] [--seed 11]

With ``--cli`` it also runs ``jixiao forms FOLDER --figures …`` in a fresh process and
reports its wall time (the progress bar shows on a terminal).
"""

from __future__ import annotations

import argparse
import gc
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHECKPOINTS = (0.05, 0.25, 0.5, 0.75, 1.0)


def rss_mb() -> float:
    """Current resident set size in MB (/proc, else the peak from resource)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_folder(folder: Path, n: int, seed: int) -> None:
    from jixiao.generate.form_samples import _project_form, layout_of
    from jixiao.generate.form_writers import write_docx, write_xlsx

    rng = random.Random(seed)
    for i in range(n):
        family = "mof" if i % 2 == 0 else "sichuan"
        unit = f"青禾县第{i // 40 + 1}单位"  # a fictional county
        form = _project_form(rng, f"f{i}", family, 2024, f"2024年示例项目{i + 1:04d}", unit)
        if i % 10 == 9:
            write_docx(folder / f"表{i + 1:04d}.docx", [layout_of(form)])
        else:
            write_xlsx(folder / f"表{i + 1:04d}.xlsx", [("自评表", layout_of(form))])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=2000)
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--cli", action="store_true")
    args = parser.parse_args()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from jixiao.batch import Batch
    from jixiao.formsrun import FormsRun, collect_form_paths
    from jixiao.generate.aggregate import write_figures

    with tempfile.TemporaryDirectory(prefix="jixiao-bench-forms-") as tmp:
        folder = args.folder or Path(tmp) / "forms"
        folder.mkdir(parents=True, exist_ok=True)
        if not any(folder.iterdir()):
            start = time.perf_counter()
            write_folder(folder, args.forms, args.seed)
            print(f"wrote {args.forms} forms in {time.perf_counter() - start:.1f} s: {folder}")
        run = FormsRun.create(summaries=True)  # as jixiao forms reads a folder
        paths = collect_form_paths([str(folder)])
        batch = Batch([])
        batch.inputs = paths
        marks = {max(1, round(len(paths) * c)) for c in CHECKPOINTS}
        samples: list[tuple[int, float]] = []
        gc.collect()
        base = rss_mb()
        console = Console(stderr=True)
        bar = Progress("[progress.description]{task.description}", BarColumn(),
                       MofNCompleteColumn(), TimeRemainingColumn(), console=console,
                       transient=True)
        start = time.perf_counter()
        with bar:
            task = bar.add_task("读取绩效表", total=len(paths))
            for done, _ in enumerate(batch.each(run.read), start=1):
                bar.advance(task)
                if done in marks:
                    samples.append((done, rss_mb()))
        elapsed = time.perf_counter() - start
        t0 = time.perf_counter()
        agg = run.aggregate(2024)
        write_figures(agg, Path(tmp) / "figures.yaml")
        agg_time = time.perf_counter() - t0
        forms = len(run.records)
        print(f"read and checked {forms} forms from {len(paths)} files in {elapsed:.1f} s: "
              f"{forms / elapsed:.1f} forms/s ({1000 * elapsed / forms:.1f} ms a form); "
              f"failures {len(batch.failures)}")
        print(f"aggregate and figures file: {agg_time:.2f} s; "
              f"self_eval.projects = {agg.get('self_eval.projects').value}")  # type: ignore[union-attr]
        print(f"memory (RSS, MB): before {base:.0f}; " + "; ".join(
            f"after {n} {mb:.0f}" for n, mb in samples))
        first, last = samples[1], samples[-1]  # from a quarter of the batch: the first
        # forms load the readers and fill the allocator's pools
        per_form = (last[1] - first[1]) * 1024 / max(last[0] - first[0], 1)
        print(f"growth from {first[0]} to {last[0]} forms: {last[1] - first[1]:+.0f} MB "
              f"({per_form:.1f} KB a form, what the aggregate keeps)")
        if args.cli:
            start = time.perf_counter()
            exe = Path(sys.executable).with_name("jixiao")
            subprocess.run([str(exe), "forms", str(folder), "--figures",
                            str(Path(tmp) / "cli.yaml")], check=True, stdout=subprocess.DEVNULL)
            print(f"jixiao forms (fresh process): {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
