"""End to end: gunicorn (2 workers) on loopback, loaded with wrk."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

WRK_ARGS = ("-t2", "-c8", "-d10s", "--latency")
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ms(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not m:
        raise ValueError(f"unexpected wrk duration {value!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse_wrk(output: str) -> dict[str, Any]:
    """Requests/sec, latency (avg, max, percentiles) and errors from wrk's text output."""
    out: dict[str, Any] = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", output)
    out["rps"] = float(m.group(1)) if m else None
    m = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", output)
    if m:
        out["latency_avg_ms"], out["latency_stdev_ms"], out["latency_max_ms"] = (_ms(x) for x in m.groups())
    for pct, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.MULTILINE):
        out[f"latency_p{pct}_ms"] = _ms(value)
    m = re.search(r"(\d+) requests in", output)
    out["requests"] = int(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    out["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors:\s+(.*)", output)
    out["socket_errors"] = m.group(1).strip() if m else None
    return out


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {proc.returncode} before /healthz answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - loopback only
                if resp.status == 200:
                    return
                last = f"HTTP {resp.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.25)
    raise RuntimeError(f"/healthz did not answer 200 within {timeout:.0f}s ({last})")


def _mix_script(paths: list[str], directory: Path) -> Path:
    """A wrk Lua script that requests `paths` in turn (each wrk thread starts at its own offset)."""
    quoted = ",\n  ".join(json.dumps(p) for p in paths)
    script = directory / "mix.lua"
    script.write_text(
        f"local paths = {{\n  {quoted}\n}}\n"
        "local i = math.random(#paths)\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        "  return wrk.format(\"GET\", paths[i])\n"
        "end\n"
    )
    return script


def _run_wrk(wrk: str, url: str, script: Path | None = None) -> dict[str, Any]:
    args = [wrk, *WRK_ARGS, *(["-s", str(script)] if script else []), url]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
    result = parse_wrk(proc.stdout)
    result["url"] = url + (f" (mix: {script.name})" if script else "")
    result["raw"] = proc.stdout.strip().splitlines()
    if result["rps"] is None:
        raise RuntimeError(f"could not read Requests/sec from wrk output:\n{proc.stdout}")
    return result


def _check(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:  # noqa: S310 - loopback only
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _serve_and_load(
    root: Path, env: dict[str, str], log_path: Path, wrk: str, gunicorn: Path, mix: list[str], script: Path
) -> dict[str, Any]:
    """One gunicorn run: warm up on every URL of the mix, then wrk on /healthz, one search, the mix."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "finder:create_app()"]
    with log_path.open("ab") as log:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            t0 = time.monotonic()
            _wait_healthy(f"{base}/healthz", proc, timeout=90)
            startup = time.monotonic() - t0
            statuses = sorted({_check(base + path) for path in mix for _ in range(2)})  # both workers, roughly
            healthz = _run_wrk(wrk, f"{base}/healthz")
            single = _run_wrk(wrk, base + mix[0])
            mixed = _run_wrk(wrk, base + "/", script)
        finally:
            _stop(proc)
    out: dict[str, Any] = {"startup_s": round(startup, 2), "statuses": statuses,
                           "healthz": healthz, "search": single, "search_mix": mixed}
    for name in ("search", "search_mix"):
        rps = out[name]["rps"]
        out[f"ratio_{name}"] = round(rps / healthz["rps"], 3) if healthz["rps"] else None
    return out


def run_http(root: Path, db_path: Path, index_dir: Path, log_path: Path, search_paths: list[str]) -> dict[str, Any]:
    """gunicorn on the given database and index, loaded with wrk: /healthz, one search page, and
    a mix of search pages; once as deployed (search page cache on) and once with it off."""
    wrk = shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)
    if not wrk:
        print("wrk not found (looked in PATH and /usr/bin/wrk): skipping the HTTP benchmark")
        return {"skipped": True, "reason": "wrk not found"}
    gunicorn = root / ".venv" / "bin" / "gunicorn"
    if not gunicorn.exists():
        gunicorn_cmd = shutil.which("gunicorn")
        if not gunicorn_cmd:
            print("gunicorn not found: skipping the HTTP benchmark")
            return {"skipped": True, "reason": "gunicorn not found"}
        gunicorn = Path(gunicorn_cmd)
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": f"sqlite:///{db_path}",
        "SEARCH_INDEX_DIR": str(index_dir),
        "SECRET_KEY": "bench-only",
        "PYTHONPATH": str(root),
    })
    script = _mix_script(search_paths, log_path.parent)
    runs: dict[str, Any] = {}
    for name, cache_size in (("cached", None), ("uncached", "0")):
        run_env = dict(env)
        if cache_size is not None:
            run_env["SEARCH_PAGE_CACHE_SIZE"] = cache_size
        else:
            run_env.pop("SEARCH_PAGE_CACHE_SIZE", None)
        runs[name] = _serve_and_load(root, run_env, log_path, wrk, gunicorn, search_paths, script)
    cached, uncached = runs["cached"], runs["uncached"]
    return {
        "skipped": False, "workers": 2, "wrk_args": " ".join(WRK_ARGS),
        "search_path": search_paths[0], "mix_size": len(search_paths), "mix": search_paths,
        "cached": cached, "uncached": uncached,
        # The headline numbers: the default configuration, on the mix of search pages.
        "healthz_rps": cached["healthz"]["rps"], "search_rps": cached["search_mix"]["rps"],
        "ratio": cached["ratio_search_mix"],
        "ratio_uncached": uncached["ratio_search_mix"],
    }


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate gunicorn (its own process group: the master and its workers)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
