#!/usr/bin/env bash
# The Spark job, tested in local mode: sets up PySpark (PyPI, in a cached venv) and Java 17
# (Debian openjdk-17-jre-headless, as root) when missing, builds the bundle, then runs
# spark/whosaid_spark.py with local[2] and 3 partitions on corpus/ plus a JSONL file holding two
# articles and one bad record. Passes when the job's rows, sorted, are byte for byte (as CSV) the
# rows of `whosaid run` (the full build) on the same inputs, sorted, and the bad record (only it) is in _errors.
# Windows of 2 articles (`--window 2`, in both) so that these 10 articles make 3 partitions of
# whole windows (the job's default window, like run's, is 32).
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${WHOSAID_CACHE:-$HOME/.cache/whosaid}"
VENV="$CACHE/spark-venv"
PYSPARK_VERSION=4.0.1

# Java 17 or later: a java on PATH that is new enough, else Debian's openjdk-17-jre-headless.
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if command -v java >/dev/null && [ "$(java_major java)" -ge 17 ] 2>/dev/null; then
  :
else
  jdk=$(ls -d /usr/lib/jvm/java-17-openjdk-* 2>/dev/null | head -1 || true)
  if [ -z "$jdk" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "spark_test: Java 17 is missing; install Debian's openjdk-17-jre-headless" >&2
      exit 1
    fi
    echo "spark_test: installing openjdk-17-jre-headless from Debian" >&2
    apt-get install -y -qq openjdk-17-jre-headless >/dev/null 2>&1 || {
      apt-get update -qq >/dev/null && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
    }
    jdk=$(ls -d /usr/lib/jvm/java-17-openjdk-* | head -1)
  fi
  export JAVA_HOME="$jdk" PATH="$jdk/bin:$PATH"
fi

if ! "$VENV/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
  echo "spark_test: installing pyspark $PYSPARK_VERSION into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "pyspark==$PYSPARK_VERSION"
fi

# The bundle is the lean build; the plain runs it is compared with are the full build's.
bundle=$(bash scripts/bundle.sh | tail -1)
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/whosaid"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# two articles as records, and one record with no text
"$VENV/bin/python" - "$tmp/in.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for name in ("council_bridge_vote.txt", "ceasefire_talks.txt"):
        text = open(f"corpus/{name}", encoding="utf-8").read()
        f.write(json.dumps({"id": f"records/{name}", "text": text, "source": "test"}) + "\n")
    f.write(json.dumps({"id": "records/bad", "body": "no text field"}) + "\n")
PY

start=$(date +%s.%N)
"$bin" run --quiet --window 2 corpus -o "$tmp/run.csv"
set +e
"$bin" run --quiet --window 2 --input-format jsonl "$tmp/in.jsonl" -o "$tmp/run_records.csv" 2>"$tmp/run_records.err"
code=$?
set -e
[ "$code" = 1 ] || { echo "spark_test: whosaid run on the records exited $code, want 1" >&2; exit 1; }
mid=$(date +%s.%N)
PYSPARK_PYTHON="$VENV/bin/python" "$VENV/bin/python" spark/whosaid_spark.py --master 'local[2]' \
  --bundle "$bundle" corpus "$tmp/in.jsonl" --output "$tmp/out" --partitions 3 --window 2 2>"$tmp/spark.log" || {
  tail -40 "$tmp/spark.log" >&2
  exit 1
}
end=$(date +%s.%N)
grep 'whosaid_spark:' "$tmp/spark.log" >&2
grep -q 'whosaid_spark: .* 3 whosaid processes' "$tmp/spark.log" || {
  echo "spark_test: the job did not run 3 whosaid processes (one per partition)" >&2
  exit 1
}

"$VENV/bin/python" - "$tmp" <<'PY'
import csv, glob, io, json, sys
tmp = sys.argv[1]
HEADER = ("article,sentence,kind,who,entity,entity_type,verb,what,"
          "who_start,who_end,verb_start,verb_end,what_start,what_end").split(",")

def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        recs = list(csv.reader(f))
    assert recs and recs[0] == HEADER, f"{path}: header {recs[:1]}"
    return recs[1:]

def as_csv(recs):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(sorted(recs))
    return out.getvalue().encode("utf-8")

parts = glob.glob(f"{tmp}/out/part-*.csv")
assert len(parts) == 1, f"one CSV file, got {parts}"
want = rows(f"{tmp}/run.csv") + rows(f"{tmp}/run_records.csv")
got = rows(parts[0])
assert len(want) > 100, f"only {len(want)} rows from whosaid run"
if as_csv(got) != as_csv(want):
    missing = [r for r in want if r not in got][:3]
    extra = [r for r in got if r not in want][:3]
    sys.exit(f"spark_test: rows differ ({len(got)} from Spark, {len(want)} from run)\n"
             f"  only in run: {missing}\n  only in Spark: {extra}")
errors = [json.loads(l) for p in glob.glob(f"{tmp}/out/_errors/part-*.json") for l in open(p)]
assert len(errors) == 1, f"one error, got {errors}"
assert errors[0]["article"] == "records/bad" and 'no "text" field' in errors[0]["reason"], errors
assert errors[0]["line"] == 3 and errors[0]["input"].endswith("in.jsonl"), errors
print(f"spark_test: {len(got)} rows identical to whosaid run's; the bad record is in _errors")
PY
awk -v a="$start" -v b="$mid" -v c="$end" \
  'BEGIN { printf "spark_test: whosaid run %.1f s, Spark job (local[2], 3 partitions) %.1f s\n", b - a, c - b }' >&2
