"""Benchmark: index build rate, in-process search latency, and HTTP throughput under gunicorn.

    python -m bench.run [--sizes 1000,10000] [--with-50k] [--reps R] [--no-http] [--keep] [--profile]

A measurement, not a test: timings are reported and compared with the targets, never asserted.
Writes bench/results.json and prints a table. See bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging
import math
import os
import platform
import pstats
import random
import shutil
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / "_work"
RESULTS = BENCH / "results.json"

TARGET_P95_MS = 50.0  # p95 of in-process search at 10k services
TARGET_RATIO = 0.5  # search requests/s relative to /healthz requests/s
SEARCH_PATH = "/zoeken?q=scheiding&gemeente=velsen"  # the single-URL load; first URL of the mix

# (label, request parameters). Labels are what the table shows.
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("scheiding", {"q": "scheiding"}),
    ("ruzie over de kinderen na de scheiding", {"q": "ruzie over de kinderen na de scheiding"}),
    ("geen geld voor voetbal", {"q": "geen geld voor voetbal"}),
    ("jongerenwerk", {"q": "jongerenwerk"}),
    ("eenzaam", {"q": "eenzaam"}),
    ("schulden", {"q": "schulden"}),
    ("opvoeden peuter", {"q": "opvoeden peuter"}),
    ("scheidng (typo)", {"q": "scheidng"}),
    ("jongerwerk (typo)", {"q": "jongerwerk"}),
    ("'' gemeente=velsen", {"q": "", "gemeente": "velsen"}),
    ("voedselbank gemeente=alkmaar", {"q": "voedselbank", "gemeente": "alkmaar"}),
    ("sport leeftijd=12", {"q": "sport", "leeftijd": "12"}),
    ("hulp soort=armoede gemeente=haarlem", {"q": "hulp", "soort": "armoedevoorziening", "gemeente": "haarlem"}),
    ("huiswerk wijk=WK036103", {"q": "huiswerk", "wijk": "WK036103"}),
]
FILTER_KEYS = ("soort", "thema", "gemeente", "wijk", "leeftijd", "doelgroep", "toegang", "kosten", "taal")


def search_mix(gemeenten: list[str]) -> list[str]:
    """The HTTP mix: every query of QUERIES as is, and each one without a place in every gemeente
    (what visitors do: the same questions, in their own gemeente)."""
    paths = [SEARCH_PATH]
    for _, params in QUERIES:
        variants = [params]
        if "gemeente" not in params and "wijk" not in params:
            variants += [{**params, "gemeente": g} for g in gemeenten]
        for v in variants:
            path = "/zoeken?" + urlencode(v)
            if path not in paths:
                paths.append(path)
    return paths


def has_filters(params: dict[str, str]) -> bool:
    return any(params.get(k) for k in FILTER_KEYS)


def default_reps(n: int) -> int:
    return 20 if n <= 2000 else 10 if n <= 20000 else 5


def percentile(values: list[float], pct: float) -> float | None:
    """Linear interpolation between closest ranks (as numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float]) -> dict[str, Any]:
    return {
        "n": len(values),
        "p50_ms": _r(percentile(values, 50)),
        "p95_ms": _r(percentile(values, 95)),
        "p99_ms": _r(percentile(values, 99)),
        "max_ms": _r(max(values) if values else None),
    }


def _r(x: float | None, nd: int = 2) -> float | None:
    return None if x is None else round(x, nd)


def machine() -> dict[str, Any]:
    versions = {}
    for dist in ("Flask", "SQLAlchemy", "Whoosh-Reloaded", "gunicorn"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": versions,
    }


# -- one size ----------------------------------------------------------------------------------


def build_catalogue(n: int, work_dir: Path, content_dir: Path) -> tuple[Any, dict[str, Any]]:
    """A migrated app with the real content plus synthetic services up to n, and its index."""
    from flask_migrate import upgrade

    from bench import synth
    from finder import create_app
    from finder.catalogue import queries
    from finder.catalogue.content import load_content
    from finder.catalogue.indexing import rebuild_index
    from finder.extensions import db

    app = create_app({
        "SECRET_KEY": "bench-only",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work_dir / 'finder.sqlite3'}",
        "SEARCH_INDEX_DIR": str(work_dir / "index"),
        "SEARCH_REBUILD_ON_START": False,
    })
    _quiet()
    info: dict[str, Any] = {"n_target": n}
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        _quiet()  # alembic's env.py may reconfigure logging
        app.config["SEARCH_SYNC_ENABLED"] = False
        t0 = time.perf_counter()
        load_content(content_dir)
        db.session.commit()
        info["load_content_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        counts = synth.generate(n, random.Random(42))  # noqa: S311 - reproducible test data, not security
        info["generate_s"] = round(time.perf_counter() - t0, 2)
        info.update(counts)
        info["n_services"] = synth.service_count()
        queries.forget_cached()
        t0 = time.perf_counter()
        docs = rebuild_index()
        build_s = time.perf_counter() - t0
        info["n_indexed"] = docs
        info["build_s"] = round(build_s, 2)
        info["build_docs_per_s"] = round(docs / build_s, 1) if build_s else None
        db.session.remove()
    info["db_mb"] = round((work_dir / "finder.sqlite3").stat().st_size / 1e6, 1)
    info["index_mb"] = round(sum(p.stat().st_size for p in (work_dir / "index").rglob("*") if p.is_file()) / 1e6, 1)
    return app, info


def _search_once(app: Any, params: dict[str, str]) -> tuple[float, Any, list[str]]:
    """One search as a request would do it (own request context and session); ms, page, errors."""
    from finder.catalogue.search import parse_request, search_services

    with app.test_request_context("/zoeken", query_string=params):
        req, errors = parse_request(params)
        t0 = time.perf_counter()
        page = search_services(req)
        return (time.perf_counter() - t0) * 1000.0, page, errors


def measure_search(app: Any, reps: int, profile_to: Path | None = None) -> dict[str, Any]:
    per_query: dict[str, Any] = {}
    timings: dict[str, list[float]] = {label: [] for label, _ in QUERIES}
    for label, params in QUERIES:  # warm up once; keep what the query found, as a sanity check
        ms, page, errors = _search_once(app, params)
        per_query[label] = {
            "params": params, "filtered": has_filters(params), "warmup_ms": _r(ms), "total": page.total,
            "mode": page.mode, "corrected": page.corrected, "degraded": page.degraded, "errors": errors,
        }
    for _ in range(reps):  # round-robin, so no query profits from running right after itself
        for label, params in QUERIES:
            ms, _, _ = _search_once(app, params)
            timings[label].append(ms)
    if profile_to:  # a separate pass: the profiler slows everything down several times
        profiler = cProfile.Profile()
        profiler.enable()
        for _label, params in QUERIES:
            _search_once(app, params)
        profiler.disable()
        buf = io.StringIO()
        buf.write("cProfile of one pass over the query mix (timings above are without the profiler)\n")
        stats = pstats.Stats(profiler, stream=buf).sort_stats("cumulative")
        stats.print_stats(45)
        buf.write("\n\n--- by own time ---\n")
        stats.sort_stats("tottime").print_stats(30)
        profile_to.write_text(buf.getvalue())
    for label, _ in QUERIES:
        per_query[label]["p50_ms"] = _r(percentile(timings[label], 50))
        per_query[label]["p95_ms"] = _r(percentile(timings[label], 95))
    unfiltered = [t for label, p in QUERIES if not has_filters(p) for t in timings[label]]
    filtered = [t for label, p in QUERIES if has_filters(p) for t in timings[label]]
    return {
        "reps": reps,
        "all": summary(unfiltered + filtered),
        "unfiltered": summary(unfiltered),
        "filtered": summary(filtered),
        "per_query": per_query,
    }


# -- output ------------------------------------------------------------------------------------


def _f(x: Any, nd: int = 1) -> str:
    if x is None:
        return "-"
    if isinstance(x, bool):
        return "PASS" if x else "FAIL"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    return str(x)


def print_table(results: dict[str, Any]) -> None:
    sizes = results["sizes"]
    m = results["machine"]
    print()
    print(f"Wegwijzer bench — {m['date']} — {m['cpu_count']} CPU, Python {m['python']}")
    if results["content"].get("patched_copy"):
        print("NOTE: content/ did not load; a patched copy was used (see results.json content.notes)")
    print(f"{'services':>9} {'indexed':>8} {'build s':>8} {'docs/s':>8} "
          f"{'p50':>7} {'p95':>7} {'p99':>7} │ {'nofilt p50/p95':>15} │ {'filt p50/p95':>13}")
    for s in sizes:
        a, u, f = s["search"]["all"], s["search"]["unfiltered"], s["search"]["filtered"]
        print(f"{s['n_services']:>9,} {s['n_indexed']:>8,} {_f(s['build_s']):>8} {_f(s['build_docs_per_s'], 0):>8} "
              f"{_f(a['p50_ms']):>7} {_f(a['p95_ms']):>7} {_f(a['p99_ms']):>7} │ "
              f"{_f(u['p50_ms']) + ' / ' + _f(u['p95_ms']):>15} │ {_f(f['p50_ms']) + ' / ' + _f(f['p95_ms']):>13}")
    print("(latencies in ms, in-process search_services)")
    print()
    header = f"{'query (p50 ms; hits at largest size)':<40}" + "".join(f"{s['n_services']:>9,}" for s in sizes)
    print(header + f"{'hits':>7}  mode")
    last = sizes[-1]["search"]["per_query"]
    for label, _ in QUERIES:
        row = f"{label:<40}" + "".join(f"{_f(s['search']['per_query'][label]['p50_ms']):>9}" for s in sizes)
        q = last[label]
        mode = q["mode"] + (f" → {q['corrected']}" if q["corrected"] else "")
        flag = "  !param errors" if q["errors"] else ""
        print(row + f"{q['total']:>7}  {mode}{flag}")
    print()
    http = results["http"]
    if http.get("skipped"):
        print(f"HTTP: skipped ({http.get('reason')})")
    elif http.get("error"):
        print(f"HTTP: FAILED ({http['error']})")
    else:
        print(f"HTTP at {http['n_services']:,} services, gunicorn -w 2, wrk {http['wrk_args']}; "
              f"mix = {http['mix_size']} search URLs in turn:")
        for name, title in (("cached", "search page cache on (default)"), ("uncached", "search page cache off")):
            run = http[name]
            print(f"  {title}:")
            for key, label in (("healthz", "/healthz"), ("search", http["search_path"]), ("search_mix", "mix")):
                r = run[key]
                print(f"    {label:<40} {_f(r['rps']):>8} req/s  p50 {_f(r.get('latency_p50_ms'))} ms  "
                      f"p99 {_f(r.get('latency_p99_ms'))} ms  non-2xx {r['non_2xx']}")
            print(f"    ratio search/healthz: one URL {run['ratio_search']:.3f}, mix {run['ratio_search_mix']:.3f}")
    t = results["targets"]
    print()
    print(f"target p95 at 10k ≤ {TARGET_P95_MS:.0f} ms: {_f(t['p95_at_10k_ms']['value'])} ms → "
          f"{_f(t['p95_at_10k_ms']['pass']) if t['p95_at_10k_ms']['pass'] is not None else 'not measured'}")
    for key, label in (("ratio", "mix, cache on"), ("ratio_uncached", "mix, cache off")):
        print(f"target search/healthz ratio ≥ {TARGET_RATIO} ({label}): {_f(t[key]['value'], 3)} → "
              f"{_f(t[key]['pass']) if t[key]['pass'] is not None else 'not measured'}")
    print(f"total time {results['elapsed_s']:.0f} s; results in {RESULTS.relative_to(ROOT)}")


# -- main --------------------------------------------------------------------------------------


def _quiet() -> None:
    logging.getLogger().setLevel(logging.WARNING)
    for name in ("alembic", "finder", "whoosh"):
        logging.getLogger(name).setLevel(logging.WARNING)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated total service counts (default 1000,10000)")
    ap.add_argument("--with-50k", action="store_true", help="also run 50000 services (slow)")
    ap.add_argument("--reps", type=int, default=None, help="repetitions per query (default 20 / 10 / 5 by size)")
    ap.add_argument("--no-http", action="store_true", help="skip gunicorn + wrk")
    ap.add_argument("--keep", action="store_true", help="keep the databases and indexes under bench/_work/")
    ap.add_argument("--profile", action="store_true", help="cProfile the search loop of the largest size")
    ap.add_argument("--content", default=str(ROOT / "content"), help="content folder to load (default content/)")
    ap.add_argument("--content-retries", type=int, default=2, help="retries while content/ is mid-edit")
    ap.add_argument("--content-wait", type=float, default=60.0, help="seconds between those retries")
    args = ap.parse_args(argv)
    sizes = sorted({int(x.replace("_", "").replace("k", "000")) for x in args.sizes.split(",") if x.strip()})
    if args.with_50k:
        sizes = sorted(set(sizes) | {50000})
    args.size_list = sizes
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    os.chdir(ROOT)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    WORK.mkdir(parents=True, exist_ok=True)
    from bench.content_source import resolve_content

    content = resolve_content(Path(args.content).resolve(), WORK, args.content_retries, args.content_wait)
    results: dict[str, Any] = {
        "machine": machine(),
        "args": {"sizes": args.size_list, "reps": args.reps, "http": not args.no_http},
        "content": content.as_json(),
        "sizes": [],
        "http": {},
    }
    failed = False
    largest_dir: Path | None = None
    dirs: list[Path] = []
    try:
        for n in args.size_list:
            work_dir = Path(tempfile.mkdtemp(prefix=f"n{n}-", dir=WORK)).resolve()
            dirs.append(work_dir)
            print(f"\n== {n:,} services ({work_dir.relative_to(ROOT)})")
            app, info = build_catalogue(n, work_dir, content.directory)
            print(f"   loaded content in {info['load_content_s']} s, generated {info['synthetic_services']:,} "
                  f"synthetic services in {info['generate_s']} s; indexed {info['n_indexed']:,} documents in "
                  f"{info['build_s']} s ({info['build_docs_per_s']} docs/s)")
            reps = args.reps or default_reps(n)
            profile_to = WORK / f"profile-{n}.txt" if args.profile and n == args.size_list[-1] else None
            t0 = time.perf_counter()
            info["search"] = measure_search(app, reps, profile_to)
            a = info["search"]["all"]
            print(f"   searched {len(QUERIES)} queries × {reps} in {time.perf_counter() - t0:.1f} s: "
                  f"p50 {a['p50_ms']} ms, p95 {a['p95_ms']} ms, p99 {a['p99_ms']} ms")
            if profile_to:
                print(f"   profile written to {profile_to.relative_to(ROOT)}")
            results["sizes"].append(info)
            largest_dir = work_dir
            with app.app_context():
                from sqlalchemy import select

                from finder.extensions import db
                from finder.models import Gemeente

                mix = search_mix(sorted(db.session.scalars(select(Gemeente.slug))))
                db.engine.dispose()  # no open SQLite connection left while gunicorn runs
        if args.no_http:
            results["http"] = {"skipped": True, "reason": "--no-http"}
        elif largest_dir is not None:
            from bench.e2e import run_http

            n = results["sizes"][-1]["n_services"]
            print(f"\n== HTTP: gunicorn -w 2 + wrk at {n:,} services")
            try:
                http = run_http(ROOT, largest_dir / "finder.sqlite3", largest_dir / "index",
                                largest_dir / "gunicorn.log", mix)
            except Exception as exc:
                failed = True
                log_tail = ""
                log_file = largest_dir / "gunicorn.log"
                if log_file.exists():
                    log_tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-20:])
                print(f"   HTTP benchmark failed: {exc}\n{log_tail}")
                http = {"skipped": False, "error": str(exc), "gunicorn_log_tail": log_tail}
            http["n_services"] = n
            results["http"] = http
    except Exception:
        traceback.print_exc()
        failed = True
    finally:
        if not args.keep:
            for d in dirs:
                shutil.rmtree(d, ignore_errors=True)
            shutil.rmtree(WORK / "content", ignore_errors=True)

    at_10k = next((s for s in results["sizes"] if s["n_target"] == 10000), None)
    p95 = at_10k["search"]["all"]["p95_ms"] if at_10k and "search" in at_10k else None
    ratio = results["http"].get("ratio")
    ratio_uncached = results["http"].get("ratio_uncached")
    results["targets"] = {
        "p95_at_10k_ms": {"value": p95, "limit": TARGET_P95_MS, "pass": None if p95 is None else p95 <= TARGET_P95_MS},
        "ratio": {"value": ratio, "limit": TARGET_RATIO, "pass": None if ratio is None else ratio >= TARGET_RATIO},
        # The same ratio with the search page cache off: what a page costs when it is not kept.
        "ratio_uncached": {"value": ratio_uncached, "limit": TARGET_RATIO,
                           "pass": None if ratio_uncached is None else ratio_uncached >= TARGET_RATIO},
    }
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if results["sizes"] and all("search" in s for s in results["sizes"]):
        print_table(results)
    else:
        print(f"\nno complete size; partial results in {RESULTS.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
