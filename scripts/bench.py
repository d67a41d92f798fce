#!/usr/bin/env python3
"""whosaid next to spaCy en_core_web_sm at equal cores (called by scripts/bench.sh).

Each pipeline runs as a whole process over FOLDER, ROUNDS times, the pipelines taking turns so
that a passing load falls on all of them alike:
- whosaid: `whosaid bench FOLDER --threads N` (N = the cores whosaid uses);
- spaCy: bench_spacy.py with `nlp.pipe(..., n_process=N)`, and with one process (the old yardstick).
Words are counted once, here: whitespace-separated words of the input texts, the same number for
every pipeline. Whole process = wall time from start to exit (model load included); processing =
what the process reports for reading and processing the folder after its load. Peak RSS is the
largest sum of resident memory over the process and its children, sampled every 20 ms (a forked
worker's pages shared with its parent are counted in each), and never below the exact peak of the
largest single process (getrusage).

Usage: bench.py FOLDER ROUNDS WHOSAID_BINARY SPACY_PYTHON
"""
import glob
import os
import resource
import statistics
import subprocess
import sys
import time

FLAGS = ("fma", "avx2", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512_vnni", "avx512_bf16", "avx_vnni")


def tree_rss_kib(root):
    """Resident memory of `root` and its descendants, in KiB."""
    children = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.split("/")[2]))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except OSError:
            pass
    return total


def measure(cmd):
    """(wall seconds, peak RSS MiB, stdout) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kib(proc.pid))
        time.sleep(0.02)
    wall = time.perf_counter() - start
    out = proc.stdout.read()
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} exited {proc.returncode}")
    # ru_maxrss covers every child waited for so far: only a new maximum is this run's
    single = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak = max(peak, single if single > before else 0)
    return wall, peak / 1024, out


def field(out, name):
    """The value after `name` on the first line that starts with it."""
    for line in out.splitlines():
        if line.startswith(name + " "):
            return line[len(name) :].strip()
    sys.exit(f"bench: no `{name}` in\n{out}")


def main():
    folder, rounds, whosaid, spacy_python = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    paths = sorted(glob.glob(os.path.join(folder, "**", "*.txt"), recursive=True))
    words = sum(len(open(p, encoding="utf-8").read().split()) for p in paths)
    cores = len(os.sched_getaffinity(0))
    here = os.path.dirname(os.path.abspath(__file__))
    spacy = [spacy_python, os.path.join(here, "bench_spacy.py"), folder]
    pipelines = [
        (f"whosaid default, {cores} threads", cores, [whosaid, "bench", folder, "--threads", str(cores)]),
        (f"whosaid --model fast, {cores} threads", cores,
         [whosaid, "--model", "fast", "bench", folder, "--threads", str(cores)]),
        (f"spaCy en_core_web_sm, n_process={cores}", cores, spacy + [str(cores)]),
        ("spaCy en_core_web_sm, 1 process", 1, spacy + ["1"]),
    ]

    cpu = open("/proc/cpuinfo").read()
    model = next(line.split(":", 1)[1].strip() for line in cpu.splitlines() if line.startswith("model name"))
    flags = next(line.split(":", 1)[1].split() for line in cpu.splitlines() if line.startswith("flags"))
    print("== machine ==")
    print(f"cpu             {model}")
    print(f"cores           {cores}")
    print(f"cpu flags       {' '.join(f for f in FLAGS if f in flags)}")
    print(f"load before     {open('/proc/loadavg').read().split()[:3]}")
    print(f"folder          {folder}: {len(paths)} articles, {words} whitespace words")

    results = {name: [] for name, _, _ in pipelines}
    for r in range(rounds):
        for name, _, cmd in pipelines:
            wall, rss, out = measure(cmd)
            results[name].append((wall, float(field(out, "processing").split()[0]), rss, out))
            print(f"round {r + 1} {name}: {wall:.2f} s whole, {rss:.0f} MiB", file=sys.stderr)
    print(f"load after      {open('/proc/loadavg').read().split()[:3]}")

    first = results[pipelines[0][0]][0][3]
    print(f"whosaid kernels {field(first, 'kernels')} (precision {field(first, 'precision')})")
    print(f"spaCy           {field(results[pipelines[2][0]][0][3], 'spacy')}")
    print(f"\nmedian of {rounds} rounds, {words} words; words/s = whitespace words / seconds\n")
    print("| pipeline | cores | words/s, whole process | words/s, processing only | whole process s | peak RSS |")
    print("|---|---|---|---|---|---|")
    for name, used, _ in pipelines:
        runs = results[name]
        wall = statistics.median(r[0] for r in runs)
        proc = statistics.median(r[1] for r in runs)
        rss = max(r[2] for r in runs)
        print(f"| {name} | {used} | {words / wall:,.0f} | {words / proc:,.0f} | {wall:.2f} | {rss:.0f} MiB |")

    # The judged figure: whosaid against spaCy with as many processes as whosaid has threads.
    spacy_name = pipelines[2][0]
    spacy_wall = statistics.median(r[0] for r in results[spacy_name])
    spacy_proc = statistics.median(r[1] for r in results[spacy_name])
    print()
    for name, _, _ in pipelines[:2]:
        wall = statistics.median(r[0] for r in results[name])
        proc = statistics.median(r[1] for r in results[name])
        print(f"{name}: {spacy_wall / wall:.2f}x {spacy_name} whole process, "
              f"{spacy_proc / proc:.2f}x processing only")


if __name__ == "__main__":
    main()
