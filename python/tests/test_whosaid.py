"""Tests of the installed `whosaid` wheel (scripts/python_test.sh installs it into a fresh
virtualenv and runs these from outside the repo, so the package under test is the wheel's).

WHOSAID_CLI names the CLI binary built from the same tree and WHOSAID_CORPUS a folder of
articles: the package must give the CLI's rows byte for byte.
"""

import csv
import io
import os
import resource
import subprocess
import threading
import time
import warnings

import pytest

import whosaid

CLI = os.environ.get("WHOSAID_CLI")
CORPUS = os.environ.get("WHOSAID_CORPUS")
NEEDS_CLI = pytest.mark.skipif(not (CLI and CORPUS), reason="WHOSAID_CLI and WHOSAID_CORPUS not set")

QUOTE = '"We will not back down," Mayor Ana Ruiz told reporters on Tuesday. Ruiz rejected the offer.'


@pytest.fixture(scope="module")
def nlp():
    return whosaid.Pipeline()


def test_the_package_is_the_installed_wheel_not_the_source_tree():
    assert "site-packages" in whosaid.__file__, whosaid.__file__


def test_claims_are_rows_with_str_offsets(nlp):
    text = "Zoë Müller (née Ñúñez) said the café would close. " + QUOTE
    claims = nlp.claims(text, article="a1")
    assert claims, "a quote and an action are in the text"
    assert {c.kind for c in claims} >= {"direct_quote", "action"}
    for c in claims:
        assert c.article == "a1"
        assert tuple(c._fields) == whosaid.COLUMNS
        for field, (start, end) in [
            ("who", (c.who_start, c.who_end)),
            ("verb", (c.verb_start, c.verb_end)),
            ("what", (c.what_start, c.what_end)),
        ]:
            if start is None:
                assert end is None and getattr(c, field) == ""
            else:
                assert text[start:end] == getattr(c, field), (field, c)
    assert any("Müller" in c.who for c in claims), claims


@NEEDS_CLI
def test_dataframe_of_a_folder_gives_the_cli_rows_byte_for_byte(nlp, tmp_path):
    expected = subprocess.run(
        [CLI, "run", CORPUS, "--quiet"], check=True, capture_output=True
    ).stdout
    df = nlp.dataframe(CORPUS)
    # the CLI writes RFC 4180 CSV: CRLF line ends
    got = df.to_csv(index=False, lineterminator="\r\n").encode("utf-8")
    assert got == expected
    out = tmp_path / "claims.csv"
    summary = whosaid.run(CORPUS, out)
    assert out.read_bytes() == expected
    assert summary.rows == len(df) and summary.failed == 0


@NEEDS_CLI
def test_run_writes_jsonl_and_xlsx_as_the_cli(nlp, tmp_path):
    for fmt in ("jsonl", "xlsx"):
        mine, theirs = tmp_path / f"mine.{fmt}", tmp_path / f"cli.{fmt}"
        nlp.run([CORPUS], mine, format=fmt)
        subprocess.run([CLI, "run", CORPUS, "--quiet", "--format", fmt, "-o", str(theirs)], check=True)
        if fmt == "jsonl":
            assert mine.read_bytes() == theirs.read_bytes()
        else:
            assert mine.read_bytes()[:2] == b"PK" and theirs.stat().st_size > 0
    with pytest.raises(ValueError, match="format"):
        nlp.run([CORPUS], tmp_path / "x", format="parquet")


def test_dataframe_columns_and_nullable_offsets(nlp):
    df = nlp.dataframe({"q": QUOTE, "none": "Nothing was said here at all."})
    assert list(df.columns) == list(whosaid.COLUMNS)
    assert str(df["who_start"].dtype) == "Int64" and str(df["sentence"].dtype) == "int64"
    assert set(df["article"]) == {"q"}
    assert df["verb_start"].notna().all()
    one = whosaid.Pipeline(include_agentless=True).dataframe(["The bridge was closed on Monday."])
    assert one["who_start"].isna().any(), one


def test_arrow_table_types(nlp):
    import pyarrow as pa

    table = nlp.arrow([QUOTE, "The bridge was closed."])
    assert table.column_names == list(whosaid.COLUMNS)
    assert table.schema.field("what_end").type == pa.int64()
    assert table.schema.field("who").type == pa.string()
    assert table.num_rows == len(nlp.dataframe([QUOTE, "The bridge was closed."]))


def test_pipe_keeps_order_and_names(nlp):
    texts = [QUOTE, "Police believe the fire was started deliberately.", QUOTE]
    arts = list(nlp.pipe(texts, batch_size=2))
    assert [a.article for a in arts] == ["0", "1", "2"]
    assert arts[0].claims == [c._replace(article="0") for c in nlp.claims(QUOTE, "0")]
    pairs = list(nlp.pipe([("x", QUOTE), ("y", texts[1])]))
    assert [a.article for a in pairs] == ["x", "y"] and all(a.error is None for a in pairs)
    assert {c.kind for c in pairs[1].claims} == {"belief"}


def test_pipe_is_lazy_and_bounded_over_10000_short_texts(nlp):
    pulled = 0

    def texts():
        nonlocal pulled
        for i in range(10_000):
            pulled += 1
            yield f"Ruiz rejected offer {i}."

    gen = nlp.pipe(texts(), batch_size=64)
    first = next(gen)
    assert first.article == "0" and pulled <= 64, pulled
    rss = []
    n = 1
    for art in gen:
        n += 1
        assert art.article == str(n - 1) and art.error is None
        if n in (1_000, 10_000):
            rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    assert n == 10_000
    # Peak memory after 1,000 texts and after 10,000: a pipe that kept its results (or read the
    # input ahead) would grow with the count.
    assert rss[1] - rss[0] < 64, rss


def test_bad_articles_are_named_and_the_others_go_on(nlp, tmp_path):
    small = whosaid.Pipeline(max_mb=0.001)
    arts = list(small.pipe([QUOTE, b"bytes are not text", "", None, "x " * 2000, QUOTE]))
    assert [a.article for a in arts] == ["0", "1", "2", "3", "4", "5"]
    assert arts[0].claims and arts[5].claims
    assert "not text: a bytes" in arts[1].error
    assert "empty" in arts[2].error
    assert "not text: a NoneType" in arts[3].error
    assert "too large" in arts[4].error
    with pytest.raises(whosaid.ArticleError, match="^doc7: .*empty"):
        nlp.claims("   \n", article="doc7")
    with pytest.raises(whosaid.ArticleError, match="NUL"):
        nlp.claims("a\0b", article="nul")

    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.txt").write_text(QUOTE)
    (folder / "b.txt").write_bytes(b"\x00\x01binary")
    (folder / "c.txt").write_bytes("caf\xe9".encode("latin-1"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = nlp.dataframe(folder)
    assert set(df["article"]) == {"a.txt"}
    messages = sorted(str(w.message) for w in caught if issubclass(w.category, whosaid.ArticleWarning))
    assert len(messages) == 2 and "b.txt: binary" in messages[0] and "c.txt: not valid UTF-8" in messages[1], messages
    with pytest.raises(whosaid.ArticleError, match="b.txt"):
        nlp.dataframe(folder, errors="raise")
    with pytest.raises(FileNotFoundError):
        nlp.dataframe(tmp_path / "missing")


@NEEDS_CLI
def test_the_fast_model_gives_the_cli_fast_rows(tmp_path):
    expected = subprocess.run(
        [CLI, "--model", "fast", "run", CORPUS, "--quiet"], check=True, capture_output=True
    ).stdout
    out = tmp_path / "fast.csv"
    whosaid.run(CORPUS, out, model="fast")
    assert out.read_bytes() == expected
    default = subprocess.run([CLI, "run", CORPUS, "--quiet"], check=True, capture_output=True)
    assert expected != default.stdout


def test_bad_options_are_refused(nlp):
    with pytest.raises(ValueError, match="unknown kind"):
        whosaid.Pipeline(kinds="quotes,gossip")
    with pytest.raises(ValueError, match="threads"):
        whosaid.Pipeline(threads=0)
    with pytest.raises(ValueError, match="model must be one of"):
        whosaid.Pipeline(model="tiny")
    with pytest.raises(FileNotFoundError, match="no whosaid model"):
        whosaid.Pipeline(model_dir="/nonexistent")
    with pytest.raises(TypeError):
        list(nlp.pipe("one text"))


def test_kinds_filter_rows():
    quotes = whosaid.Pipeline(kinds="quotes").claims(QUOTE)
    assert quotes and {c.kind for c in quotes} <= {"direct_quote", "indirect_quote", "mixed_quote"}


def test_threads_give_the_same_rows_and_the_gil_is_released(nlp):
    texts = [f"{QUOTE} Official {i} said the talks would go on." for i in range(64)]
    one = whosaid.Pipeline(threads=1)
    assert one.threads == 1
    expected = list(one.pipe(texts))
    assert list(whosaid.Pipeline(threads=2).pipe(texts)) == expected

    # Several Python threads share one pipeline; a pure-Python counter keeps running meanwhile.
    results, ticks, stop = {}, [0], threading.Event()

    def count():
        while not stop.is_set():
            ticks[0] += 1

    def work(k):
        results[k] = list(nlp.pipe(texts))

    counter = threading.Thread(target=count)
    counter.start()
    workers = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - start
    stop.set()
    counter.join()
    assert all(results[k] == expected for k in range(3))
    # With the GIL held through the model pass the counter would stall for the whole of it.
    assert ticks[0] > 10_000 * elapsed, (ticks[0], elapsed)


def test_claims_round_trip_through_csv(nlp):
    rows = nlp.claims(QUOTE, article="a")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(whosaid.COLUMNS)
    w.writerows(["" if v is None else v for v in r] for r in rows)
    back = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert [b["what"] for b in back] == [r.what for r in rows]
