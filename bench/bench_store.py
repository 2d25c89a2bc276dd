"""Benchmark: the store at scale — ingest and compare over 10,000 reports (issue 5).

Builds N report variants (default 10,000) from the four ``.txt`` corpus reports with the
generator of bench_extract.py (figures redrawn with a seeded random generator), each with
its own county and report year — 500 invented county names × 20 years (2006–2025) — so
every variant is a distinct report, not a rendition of another. The fourth corpus report
names no county; its variants get a title line naming one. The variants are written as
``.txt`` files into a temporary folder, and their county and year are read back with
``jixiao.api.read_bytes`` to make sure they are all distinct.

Then, for each backend — a SQLite file in a temporary folder, and PostgreSQL (a throwaway
local server started with the PostgreSQL binaries found on the machine, on a free port of
127.0.0.1, stopped at the end; or ``--pg-url`` to use a store of your own, which must be
empty) — it measures

* ``jixiao ingest --db URL --jobs 2 DIR`` run as a subprocess, as a user runs it:
  documents per second (and the peak resident memory of its largest process);
* the database size per document: the growth from the empty store (schema only) to the
  full one, divided by N — SQLite: the file plus its WAL and shared-memory files after a
  ``wal_checkpoint(TRUNCATE)``; PostgreSQL: ``pg_database_size`` after a ``CHECKPOINT`` —
  with the largest tables;
* ``jixiao compare --db URL --format json > /dev/null`` over all reports: median of
  ``--runs`` fresh subprocesses (a new interpreter each time; the OS file cache is warm);
* in process, so that the CLI's start-up can be told apart from the query: ``open_store``
  (engine and Alembic check), ``compare(engine)`` (first call, then the median of
  ``--runs``) and writing its JSON to /dev/null.

With ``--profile``, ``compare(engine)`` is also run once under cProfile and the top of
the profile is printed, whenever it takes longer than the 1 s target (or always with
``--profile always``).

    python bench/bench_store.py [--n 10000] [--backends sqlite,postgresql] [--jobs 2]
                                [--runs 5] [--pg-url URL] [--seed 20240601] [--keep DIR]
                                [--profile {auto,always,never}]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TARGET_COMPARE_S = 1.0
YEARS = list(range(2006, 2026))  # 20 report years
# Invented county names: 25 first characters × 20 second characters = 500 names. No first
# character is one jixiao.extract.metadata refuses as the start of a name.
FIRST = "安宝昌定丰福广汉华嘉建金靖乐隆宁平庆瑞寿泰通武兴永"
SECOND = "源阳山江川河泉台化丘谷远康德陵邑浦溪岭原"
PG_BIN_CANDIDATES = [Path(f"/usr/lib/postgresql/{v}/bin") for v in (17, 16, 15, 14, 13)]


def _load_bench_extract() -> Any:
    """bench_extract.py, imported from its file (bench/ is no package)."""
    spec = importlib.util.spec_from_file_location("bench_extract", HERE / "bench_extract.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BX = _load_bench_extract()


def counties() -> list[str]:
    return [f"{a}{b}县" for a in FIRST for b in SECOND]


def variant(text: str, county: str, shift: int, rng: random.Random) -> str:
    """bench_extract.vary with the county and the year shift chosen by the caller."""
    return BX.vary(text, rng, county=county, shift=shift)


def write_variants(n: int, seed: int, folder: Path) -> list[tuple[str, int]]:
    """N variant .txt files in ``folder``; the (county, year) each was made for."""
    from jixiao.api import read_bytes

    names = counties()
    if n > len(names) * len(YEARS):
        sys.exit(f"--n at most {len(names) * len(YEARS)} (distinct counties × years)")
    sources = []
    for stem in BX.STEMS:
        text = (BX.CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
        doc = read_bytes(text.encode("utf-8"), source=f"{stem}.txt", fmt="txt")
        if doc.county is None:  # anonymised: give it a title naming a county
            text = f"{BX.CORPUS_COUNTIES[0]}{doc.year}年预算绩效管理工作情况说明\n\n{text}"
        sources.append((stem, text, doc.year))
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        county, year = names[i // len(YEARS)], YEARS[i % len(YEARS)]
        stem, text, base_year = sources[(i // len(YEARS) + i) % len(sources)]
        body = variant(text, county, year - base_year, rng)
        (folder / f"{i:05d}_{stem}.txt").write_text(body, encoding="utf-8")
        made.append((county, year))
    return made


def verify_variants(folder: Path, made: list[tuple[str, int]]) -> None:
    """Every variant reads back with the county and year it was made for."""
    from jixiao.api import read_bytes

    wrong = []
    for path, want in zip(sorted(folder.glob("*.txt")), made, strict=True):
        doc = read_bytes(path.read_bytes(), source=path.name, fmt="txt")
        if (doc.county, doc.year) != want:
            wrong.append(f"{path.name}: read {doc.county} {doc.year}, made {want[0]} {want[1]}")
    if wrong:
        sys.exit(f"{len(wrong)} variants read back wrong, e.g.\n  " + "\n  ".join(wrong[:5]))
    if len(set(made)) != len(made):
        sys.exit("variants are not distinct county × year")


# --------------------------------------------------------------------------- helpers


def run_timed(cmd: list[str], stdout: Any, stderr: Any) -> tuple[float, int, float]:
    """Wall time (s), exit code and peak RSS (MB, largest process of the tree) of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, proc.returncode, usage.ru_maxrss / 1024


def jixiao_cmd() -> list[str]:
    exe = shutil.which("jixiao")
    return [exe] if exe else [sys.executable, "-m", "jixiao.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def code_version() -> str:
    """The commit measured, and whether the store's code differs from it."""
    root = HERE.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, text=True,
                              capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "store", "cli.py", "api.py"],
                               cwd=root, text=True, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    return head + (" with local changes to store/, cli.py or api.py" if dirty.strip() else "")


def fmt_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


@contextlib.contextmanager
def local_postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server on 127.0.0.1; its URL; stopped and removed after."""
    bindir = next((b for b in PG_BIN_CANDIDATES if (b / "initdb").exists()), None)
    if bindir is None:
        found = shutil.which("initdb")
        if found is None:
            sys.exit("no PostgreSQL binaries (initdb, pg_ctl) found; pass --pg-url")
        bindir = Path(found).parent
    as_user: list[str] = []
    data = Path(tempfile.mkdtemp(prefix="jixiao-pg-"))  # not under workdir: postgres owns it
    if os.geteuid() == 0:  # initdb refuses root: run the server as postgres
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(data, "postgres")
    port = free_port()
    log = data / "postgres.log"
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data / "db"), "-U", "postgres",
                              "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data / "db"), "-l", str(log),
                              "-w", "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
                              "start"], check=True, stdout=subprocess.DEVNULL)
    try:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute("CREATE DATABASE jixiao_bench")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/jixiao_bench"
    except BaseException:
        if log.exists():
            print("PostgreSQL log (end):\n" + log.read_text(errors="replace")[-2000:])
        raise
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data / "db"), "-m", "fast",
                                  "-w", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(data, ignore_errors=True)


def store_size(url: str) -> tuple[int, list[tuple[str, int]]]:
    """Bytes the store takes, and the largest tables (name, bytes) where the backend says."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from jixiao.store.db import open_store

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        conn = sqlite3.connect(path)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            try:
                tables = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name "
                                      "ORDER BY 2 DESC LIMIT 8").fetchall()
            except sqlite3.DatabaseError:  # SQLite built without dbstat
                tables = []
        finally:
            conn.close()
        total = sum(p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
                    if p.exists())
        return total, [(str(n), int(b)) for n, b in tables]
    engine = open_store(url, migrate=False)
    try:
        with engine.connect() as conn:
            with contextlib.suppress(Exception):
                conn.execute(text("CHECKPOINT"))  # superuser only; sizes are right without
            conn.rollback()
            total = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
            tables = conn.execute(text(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 2 DESC LIMIT 8")).all()
    finally:
        engine.dispose()
    return int(total), [(str(n), int(b)) for n, b in tables]


def count_reports(url: str) -> tuple[int, int]:
    from sqlalchemy import func, select

    from jixiao.store import models
    from jixiao.store.db import open_store

    engine = open_store(url, migrate=False)
    try:
        with engine.connect() as conn:
            reports = conn.execute(select(func.count()).select_from(models.Report)).scalar_one()
            docs = conn.execute(select(func.count()).select_from(models.Document)).scalar_one()
    finally:
        engine.dispose()
    return int(reports), int(docs)


# --------------------------------------------------------------------------- measuring


def measure(backend: str, url: str, folder: Path, n: int, args: argparse.Namespace,
            workdir: Path) -> dict[str, Any]:
    from jixiao.store.compare import compare
    from jixiao.store.compare_out import write_compare
    from jixiao.store.db import open_store

    out: dict[str, Any] = {"backend": backend, "n": n}
    engine = open_store(url)  # the schema, so that the empty size is the schema's
    engine.dispose()
    if count_reports(url) != (0, 0):
        sys.exit(f"{backend}: the store at {url} is not empty")
    empty, _ = store_size(url)

    print(f"[{backend}] ingest of {n} files with --jobs {args.jobs} …", flush=True)
    log = workdir / f"ingest-{backend}.log"
    with log.open("w", encoding="utf-8") as fh:
        elapsed, code, rss = run_timed(
            [*jixiao_cmd(), "ingest", "--db", url, "--jobs", str(args.jobs), str(folder)],
            stdout=fh, stderr=fh)
    summary = log.read_text(encoding="utf-8").strip().splitlines()
    print(f"[{backend}]   {elapsed:.1f} s, exit {code}: {summary[-1] if summary else ''}",
          flush=True)
    reports, docs = count_reports(url)
    full, tables = store_size(url)
    out.update(ingest_s=elapsed, exit=code, docs_per_s=n / elapsed, ingest_rss_mb=rss,
               reports=reports, documents=docs, empty_bytes=empty, full_bytes=full,
               bytes_per_doc=(full - empty) / max(docs, 1), tables=tables)

    # The CLI, a new process each run, its JSON thrown away; each run paired with the
    # baseline `jixiao --help` (interpreter, click, our CLI module) so the ratio shows what
    # the comparison itself adds, on the same machine at the same moment.
    cli_times, help_times = [], []
    for _ in range(args.runs):
        with open(os.devnull, "w") as devnull:
            t, code, _ = run_timed([*jixiao_cmd(), "compare", "--db", url, "--format", "json"],
                                   stdout=devnull, stderr=subprocess.PIPE)
            t_help, _, _ = run_timed([*jixiao_cmd(), "--help"], stdout=devnull,
                                     stderr=subprocess.PIPE)
        if code != 0:
            sys.exit(f"{backend}: jixiao compare failed with exit code {code}")
        cli_times.append(t)
        help_times.append(t_help)
    records = subprocess.run([*jixiao_cmd(), "compare", "--db", url, "--format", "json"],
                             capture_output=True, text=True, check=True).stdout.splitlines()
    out.update(cli_compare_s=statistics.median(cli_times), cli_compare_all=cli_times,
               cli_rows=len(records))

    # In process: opening the store, the query, the JSON.
    open_times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        engine = open_store(url)
        open_times.append(time.perf_counter() - start)
        engine.dispose()
    engine = open_store(url)
    start = time.perf_counter()
    table = compare(engine)
    first = time.perf_counter() - start
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        table = compare(engine)
        times.append(time.perf_counter() - start)
    json_times = []
    for _ in range(args.runs):
        sink = io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stdout(sink):
            write_compare(table, "json", None)
        json_times.append(time.perf_counter() - start)
    out.update(open_s=statistics.median(open_times), compare_first_s=first,
               compare_s=statistics.median(times), compare_all=times,
               json_s=statistics.median(json_times), cli_help_s=statistics.median(help_times),
               rows=len(table.rows))
    if args.profile == "always" or (args.profile == "auto"
                                    and out["cli_compare_s"] > TARGET_COMPARE_S):
        out["profile"] = profile_compare(engine)
    engine.dispose()
    return out


def profile_compare(engine: Any) -> str:
    import cProfile
    import pstats

    from jixiao.store.compare import compare

    prof = cProfile.Profile()
    prof.enable()
    compare(engine)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).strip_dirs()
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)
    return buf.getvalue()


def report(results: list[dict[str, Any]]) -> None:
    print()
    header = (f"{'backend':<11}{'N':>7}{'reports':>9}{'ingest s':>10}{'docs/s':>8}"
              f"{'size/doc':>10}{'size':>10}{'cmp CLI s':>11}{'cmp s':>8}{'open s':>8}"
              f"{'json s':>8}{'target':>8}")
    print(header)
    print("-" * len(header))
    for r in results:
        # the target is what a user waits for: the command, start to finish
        ok = "ok" if r["cli_compare_s"] < TARGET_COMPARE_S else "MISSED"
        print(f"{r['backend']:<11}{r['n']:>7}{r['reports']:>9}{r['ingest_s']:>10.1f}"
              f"{r['docs_per_s']:>8.1f}{fmt_bytes(r['bytes_per_doc']):>10}"
              f"{fmt_bytes(r['full_bytes']):>10}{r['cli_compare_s']:>11.2f}"
              f"{r['compare_s']:>8.2f}{r['open_s']:>8.2f}{r['json_s']:>8.2f}{ok:>8}")
    print()
    print("ingest s: wall time of `jixiao ingest --jobs J DIR` (subprocess); docs/s = N / that.")
    print("size/doc: (store size full − empty schema) / documents; size: the full store.")
    print("cmp CLI s: median wall time of `jixiao compare --format json > /dev/null` "
          "(fresh process per run).")
    print("cmp s: median of in-process `compare(engine)`; open s: `open_store` (engine + "
          "Alembic); json s: writing the JSON; target: cmp CLI s under "
          f"{TARGET_COMPARE_S:g} s.")
    for r in results:
        print(f"\n[{r['backend']}] exit {r['exit']}, {r['documents']} documents, "
              f"{r['reports']} reports, compare rows {r['rows']} (CLI {r['cli_rows']}); "
              f"ingest peak RSS {r['ingest_rss_mb']:.0f} MB (largest process)")
        print(f"  empty store {fmt_bytes(r['empty_bytes'])}, full {fmt_bytes(r['full_bytes'])}")
        for name, size in r["tables"]:
            print(f"  {name:<34}{fmt_bytes(size):>10}  {fmt_bytes(size / max(r['documents'], 1))}/doc")
        print(f"  compare in process: first {r['compare_first_s']:.3f} s, runs "
              + ", ".join(f"{t:.3f}" for t in r["compare_all"]))
        print("  compare CLI runs: " + ", ".join(f"{t:.3f}" for t in r["cli_compare_all"])
              + f"; baseline `jixiao --help` median {r['cli_help_s']:.3f} s, ratio "
              f"{r['cli_compare_s'] / r['cli_help_s']:.1f}×")
        if r.get("profile"):
            print(f"  cProfile of compare(engine):\n{r['profile']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="report variants")
    parser.add_argument("--backends", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql")
    parser.add_argument("--jobs", type=int, default=2, help="jixiao ingest --jobs")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of compare")
    parser.add_argument("--pg-url", default=None,
                        help="an empty PostgreSQL store instead of a throwaway local server")
    parser.add_argument("--seed", type=int, default=20240601, help="seed of the variants")
    parser.add_argument("--keep", type=Path, default=None,
                        help="work in this folder and keep it (variants, SQLite file, logs)")
    parser.add_argument("--profile", choices=["auto", "always", "never"], default="auto",
                        help="cProfile compare(engine): when over the target, always or never")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not set(backends) <= {"sqlite", "postgresql"}:
        sys.exit("--backends: sqlite and/or postgresql")
    missing = [s for s in BX.STEMS if not (BX.CORPUS / f"{s}.txt").exists()]
    if missing:
        sys.exit(f"missing corpus reports under {BX.CORPUS}: {', '.join(missing)}")

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        workdir = args.keep.resolve()
    else:
        workdir = Path(tempfile.mkdtemp(prefix="jixiao-bench-store-"))
    try:
        folder = workdir / "reports"
        start = time.perf_counter()
        made = write_variants(args.n, args.seed, folder)
        verify_variants(folder, made)
        print(f"{args.n} variants ({len({c for c, _ in made})} counties × "
              f"{len({y for _, y in made})} years, all distinct) written and read back in "
              f"{time.perf_counter() - start:.1f} s under {folder}", flush=True)
        print(f"code: {code_version()}; {os.cpu_count()} CPUs; load average "
              + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
        results = []
        for backend in backends:
            if backend == "sqlite":
                url = f"sqlite:///{workdir / 'bench.db'}"
                results.append(measure(backend, url, folder, args.n, args, workdir))
            elif args.pg_url:
                results.append(measure(backend, args.pg_url, folder, args.n, args, workdir))
            else:
                with local_postgres() as url:
                    results.append(measure(backend, url, folder, args.n, args, workdir))
        report(results)
        if args.json:
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1),
                                 encoding="utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
