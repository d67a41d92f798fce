#!/usr/bin/env python3
"""whosaid on Apache Spark: the rows of `whosaid run`, computed by one whosaid process per partition.

    python spark/whosaid_spark.py [--master URL] --bundle dist/whosaid-<v>-linux-x86_64.tar.gz \
        INPUT... --output DIR [--format csv|jsonl|parquet] [--partitions N]

(or the same arguments after `spark-submit spark/whosaid_spark.py`, which then sets the master).

INPUT is a folder of text files (walked recursively, `--ext` files kept; `article` is the path
relative to the folder, as in `whosaid run`), or a JSONL file (`.jsonl`, `.json`, `.ndjson`) or
Parquet file/folder (`.parquet`) of records with string `id` and `text` (`article` = id).
Local folders are listed on the driver the way `run` lists them and read by the executors (local
mode, or a file system mounted at the same path everywhere); `hdfs://`, `s3a://`... folders are
listed and read by Spark.

The bundle (scripts/bundle.sh) is shipped to the executors with `SparkContext.addArchive`. Each
partition streams its records as JSON lines into one `whosaid run --input-format jsonl -`
process (the model is loaded once per partition) and reads its rows back. Rows are written to
DIR sorted by input, then article (folders: by name, as `run` orders them; records: by line),
then text order: CSV as one file with one header, JSONL and Parquet as part files in that order.
Offsets and `sentence` are integers, absent values null. A bad article never fails the job:
it goes to DIR/_errors (JSON lines: article, input, line, reason), and so do all the articles
of a partition whose whosaid process dies.
"""

import argparse
import json
import os
import subprocess
import sys
import threading

from pyspark import SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    BinaryType,
    BooleanType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
)

# The CSV contract's columns, in order; the *_start/*_end offsets and sentence are integers.
CONTRACT = [
    "article", "sentence", "kind", "who", "entity", "entity_type", "verb", "what",
    "who_start", "who_end", "verb_start", "verb_end", "what_start", "what_end",
]
INT_COLUMNS = {"sentence", "who_start", "who_end", "verb_start", "verb_end", "what_start", "what_end"}

# What each partition works on: where the record sorts (input index, line for records, name
# for files) and its payload: a file's path or bytes, or a JSON line.
RECORDS = StructType([
    StructField("inp", IntegerType(), False),
    StructField("seq", LongType(), False),
    StructField("name", StringType(), False),
    StructField("path", StringType(), True),
    StructField("content", BinaryType(), True),
    StructField("line", StringType(), True),
])

# What each partition gives back: a row of the contract, or an error (article, input, line,
# reason), with the sort keys (row = position of the row in its article).
RESULTS = StructType(
    [
        StructField("is_error", BooleanType(), False),
        StructField("inp", IntegerType(), False),
        StructField("seq", LongType(), False),
        StructField("name", StringType(), False),
        StructField("row", IntegerType(), False),
    ]
    + [StructField(c, LongType() if c in INT_COLUMNS else StringType(), True) for c in CONTRACT]
    + [
        StructField("input", StringType(), True),
        StructField("line", LongType(), True),
        StructField("reason", StringType(), True),
    ]
)

JSONL_EXTS = (".jsonl", ".json", ".ndjson")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--bundle", required=True, help="dist/whosaid-<version>-linux-x86_64.tar.gz")
    p.add_argument("--output", required=True, metavar="DIR")
    p.add_argument("--format", choices=["csv", "jsonl", "parquet"], default="csv")
    p.add_argument("--partitions", type=int, default=None,
                   help="partitions (whosaid processes); default: Spark's default parallelism")
    p.add_argument("--master", default=None, help="Spark master (default: spark-submit's, or local[*])")
    p.add_argument("--ext", default="txt", help="file extensions taken from folders, comma-separated")
    p.add_argument("--max-mb", type=float, default=10.0, help="largest article, in MB")
    p.add_argument("--threads", type=int, default=1,
                   help="threads of each whosaid process (Spark runs one task per core)")
    p.add_argument("--window", type=int, default=32,
                   help="articles whosaid batches together (its --window; default, as in whosaid run, 32)")
    p.add_argument("--overwrite", action="store_true", help="replace DIR if it exists")
    return p.parse_args(argv)


def list_local_folder(folder, exts):
    """Files under `folder` with one of `exts` (any case), as (article, path), sorted by article:
    the same set and order as `whosaid run` (symlinks followed, hidden files included)."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=True):
        for f in files:
            ext = f.rsplit(".", 1)[1].lower() if "." in f[1:] else ""
            if ext in exts:
                path = os.path.join(root, f)
                if os.path.isfile(path):
                    found.append((os.path.relpath(path, folder).replace(os.sep, "/"), path))
    found.sort()
    return found


def is_remote(path):
    return "://" in path


def records_frame(spark, inputs, exts):
    """All inputs as one DataFrame of RECORDS."""
    frames = []
    for i, inp in enumerate(inputs):
        low = inp.lower().rstrip("/")
        if low.endswith(JSONL_EXTS):
            lines = spark.sparkContext.textFile(inp).zipWithIndex()
            # blank lines carry no record (whosaid skips them too); line numbers stay the file's
            rows = lines.filter(lambda t: t[0].strip()).map(
                lambda t, i=i: (i, t[1] + 1, "", None, None, t[0]))
            frames.append(spark.createDataFrame(rows, RECORDS))
        elif low.endswith(".parquet"):
            df = spark.read.parquet(inp)
            missing = {"id", "text"} - set(df.columns)
            if missing:
                sys.exit(f"whosaid_spark: {inp}: no column {', '.join(sorted(missing))}")
            # as JSON, so whosaid checks the types (a null or numeric id is a bad record)
            lines = df.select(F.to_json(F.struct("id", "text"))).rdd.map(lambda r: r[0]).zipWithIndex()
            rows = lines.map(lambda t, i=i: (i, t[1] + 1, "", None, None, t[0]))
            frames.append(spark.createDataFrame(rows, RECORDS))
        elif is_remote(inp):
            jpath = spark._jvm.org.apache.hadoop.fs.Path(inp)
            fs = jpath.getFileSystem(spark._jsc.hadoopConfiguration())
            prefix = fs.makeQualified(jpath).toString().rstrip("/") + "/"
            glob = "*.{" + ",".join("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in e)
                                    for e in sorted(exts)) + "}"
            df = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
                  .option("pathGlobFilter", glob).load(inp))
            frames.append(df.select(
                F.lit(i).alias("inp"), F.lit(0).cast("long").alias("seq"),
                F.expr(f"substring(path, {len(prefix) + 1})").alias("name"),
                F.lit(None).cast("string").alias("path"), F.col("content"),
                F.lit(None).cast("string").alias("line")))
        elif os.path.isdir(inp):
            files = list_local_folder(inp, exts)
            rows = [(i, 0, name, os.path.abspath(path), None, None) for name, path in files]
            frames.append(spark.createDataFrame(rows, RECORDS))
        elif os.path.isfile(inp):
            # a single text file: named as given, as `run` names it
            frames.append(spark.createDataFrame([(i, 0, inp, os.path.abspath(inp), None, None)], RECORDS))
        else:
            sys.exit(f"whosaid_spark: {inp}: no such file or folder")
    df = frames[0]
    for f in frames[1:]:
        df = df.unionByName(f)
    return df


def text_record(name, content, limit):
    """The JSON line of one text file, or why `whosaid run` would refuse the file, checked in
    its order (size, NUL, UTF-8); the text checks (empty...) are left to whosaid."""
    if len(content) > limit:
        return None, (f"too large: {len(content) / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB "
                      "limit (--max-mb)")
    if b"\0" in content:
        return None, "binary file (contains NUL bytes), skipped"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, f"not valid UTF-8 (first bad byte at offset {e.start})"
    return json.dumps({"id": name, "text": text}, ensure_ascii=False), None


def make_partition_runner(bundle_name, inputs, max_mb, threads, window, launches):
    """The function each partition runs (only plain values and the `launches` accumulator,
    which counts whosaid processes, are captured, for pickling)."""
    limit = int(max_mb * 1e6)

    def error(key, article, line, reason):
        inp, seq, name = key
        vals = {"article": article}
        return (True, inp, seq, name, 0, *[vals.get(c) for c in CONTRACT], inputs[inp], line, reason)

    def run(records):
        exe = find_executable(bundle_name)
        sent = []  # per JSON line sent: (sort key, article if known, input line, known failure)
        lines = []

        for r in records:
            key = (r.inp, r.seq, r.name)
            if r.line is not None:
                # the id, to match whosaid's rows to this record (whosaid itself judges the line)
                try:
                    rid = json.loads(r.line).get("id")
                except (ValueError, AttributeError):
                    rid = None
                sent.append((key, rid if isinstance(rid, str) else None, r.seq, None))
                lines.append(r.line)
                continue
            content = r.content
            if content is None:
                try:
                    with open(r.path, "rb") as f:
                        content = f.read(limit + 1)
                except OSError as e:
                    content, why = None, f"cannot read: {e}"
            if content is not None:
                line, why = text_record(r.name, content, limit)
            if why:
                # still sent, as a record whosaid refuses: it takes its place in the window, as
                # the unreadable file does in `run`, so the windows (and batches) stay `run`'s
                line = json.dumps({"id": r.name, "text": ""})
            sent.append((key, r.name, None, why))
            lines.append(line)
        if not lines:
            return iter([])
        return run_whosaid(exe, lines, sent)

    def run_whosaid(exe, lines, sent):
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            errors_path = os.path.join(tmp, "errors.jsonl")
            cmd = [exe, "run", "--input-format", "jsonl", "-", "--format", "jsonl", "--quiet",
                   "--errors", errors_path, "--threads", str(threads), "--max-mb", str(max_mb),
                   "--window", str(window)]
            launches.add(1)
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)

            def feed():
                try:
                    for ln in lines:
                        proc.stdin.write(ln.encode("utf-8"))
                        proc.stdin.write(b"\n")
                    proc.stdin.close()
                except (BrokenPipeError, OSError):
                    pass  # whosaid died; its exit status says so below

            stderr_chunks = []
            feeder = threading.Thread(target=feed, daemon=True)
            drain = threading.Thread(target=lambda: stderr_chunks.append(proc.stderr.read()), daemon=True)
            feeder.start()
            drain.start()
            out_rows = []
            bad_output = None
            for raw in proc.stdout:
                try:
                    out_rows.append(json.loads(raw))
                except ValueError as e:
                    bad_output = f"unreadable output line: {e}"
            code = proc.wait()
            feeder.join()
            drain.join()
            failed = {}
            if code in (0, 1) and bad_output is None:
                try:
                    with open(errors_path, encoding="utf-8") as f:
                        for ln in f:
                            e = json.loads(ln)
                            failed[e["line"]] = e
                except (OSError, ValueError, KeyError) as e:
                    bad_output = f"unreadable --errors file: {e}"
            if code not in (0, 1) or bad_output is not None:
                # the process died (or wrote garbage): none of its rows are trusted
                tail = b"".join(stderr_chunks).decode("utf-8", "replace").strip().splitlines()[-3:]
                why = bad_output or f"whosaid exited with status {code}"
                reason = f"{why}: {' | '.join(tail)}" if tail else why
                for key, article, in_line, why in sent:
                    yield error(key, article, in_line, why or reason)
                return
            for n, (key, article, in_line, why) in enumerate(sent, start=1):
                if why or n in failed:
                    e = failed.get(n, {})
                    yield error(key, article if article is not None else e.get("article"), in_line,
                                why or e.get("reason", "failed"))
            # rows come in record order, each record's rows together: walk the records forward
            ok = [(key, article) for n, (key, article, _, why) in enumerate(sent, start=1)
                  if n not in failed and not why]
            at, row_no, last = 0, 0, None
            for r in out_rows:
                while at < len(ok) and ok[at][1] != r["article"]:
                    at += 1
                if at == len(ok):
                    raise RuntimeError(f"row for article {r['article']!r} matches no record sent")
                row_no = row_no + 1 if last == at else 0
                last = at
                key = ok[at][0]
                vals = [None if r.get(c) == "" else r.get(c) for c in CONTRACT]
                yield (False, key[0], key[1], key[2], row_no, *vals, None, None, None)

    return run


def find_executable(bundle_name):
    """bin/whosaid of the unpacked bundle (at its root, or one folder down)."""
    root = SparkFiles.get(bundle_name)
    for cand in (os.path.join(root, "bin", "whosaid"),):
        if os.path.isfile(cand):
            return cand
    for sub in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        cand = os.path.join(root, sub, "bin", "whosaid")
        if os.path.isfile(cand):
            return cand
    raise FileNotFoundError(f"no bin/whosaid in the unpacked bundle at {root}")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    exts = {e.strip().lower() for e in args.ext.split(",") if e.strip()}
    # local runs: the executors' Python is this one (with pyspark), whatever is on PATH
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # no console progress bar: it shares stderr with the summary line
    builder = SparkSession.builder.appName("whosaid").config("spark.ui.showConsoleProgress", "false")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    sc.addArchive(args.bundle)
    bundle_name = os.path.basename(args.bundle)

    records = records_frame(spark, args.inputs, exts)
    # Each partition gets a contiguous run of whole windows of the input order: whosaid then
    # reads the same windows as `whosaid run` on the same inputs, so the model sees the same
    # batches and the rows are run's exactly.
    indexed = records.orderBy("inp", "seq", "name").rdd.zipWithIndex().map(lambda t: (t[1], t[0]))
    total = indexed.count()
    n = args.partitions or sc.defaultParallelism
    per = args.window * max(1, -(-total // (n * args.window)))
    parts = max(1, -(-total // per))
    ordered = indexed.repartitionAndSortWithinPartitions(parts, partitionFunc=lambda i, per=per: i // per)
    launches = sc.accumulator(0)
    runner = make_partition_runner(bundle_name, args.inputs, args.max_mb, args.threads, args.window,
                                   launches)
    results = spark.createDataFrame(ordered.map(lambda kv: kv[1]).mapPartitions(runner), RESULTS).persist()

    order = ["inp", "seq", "name", "row"]
    rows = results.filter(~F.col("is_error"))
    errors = results.filter(F.col("is_error"))
    mode = "overwrite" if args.overwrite else "errorifexists"
    if args.format == "csv":
        # one file, one header, in order
        (rows.repartition(1).sortWithinPartitions(*order).select(*CONTRACT).write.mode(mode)
         .option("header", "true").option("escape", '"').option("emptyValue", "")
         .option("nullValue", "").option("ignoreLeadingWhiteSpace", "false")
         .option("ignoreTrailingWhiteSpace", "false").csv(args.output))
    else:
        out = rows.orderBy(*order).select(*CONTRACT).write.mode(mode)
        (out.json if args.format == "jsonl" else out.parquet)(args.output)
    (errors.repartition(1).sortWithinPartitions(*order).select("article", "input", "line", "reason")
     .write.mode("overwrite").json(os.path.join(args.output, "_errors")))
    counts = results.groupBy("is_error").count().collect()
    by = {r["is_error"]: r["count"] for r in counts}
    print(f"whosaid_spark: {by.get(False, 0)} rows, {by.get(True, 0)} failed articles "
          f"(see {os.path.join(args.output, '_errors')}), {launches.value} whosaid processes",
          file=sys.stderr)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
