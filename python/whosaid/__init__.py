"""Who said what, and who did what, in news articles.

The same pipeline and rows as the ``whosaid`` command line, for notebooks and pipelines::

    import whosaid

    nlp = whosaid.Pipeline()                     # loads the model once; reusable, thread-safe
    nlp.claims('"We will win," she said.')       # -> [Claim(kind='direct_quote', who='she', ...)]
    for art in nlp.pipe(texts, batch_size=32):   # a generator, one Article per text, in order
        ...
    df = nlp.dataframe("articles/")              # pandas (the ``pandas`` extra)
    table = nlp.arrow({"a1": text})              # pyarrow (the ``arrow`` extra)
    whosaid.run(["articles/"], "claims.csv")     # the CLI's ``run``

Rows follow the CSV contract (:data:`COLUMNS`); offsets are Python ``str`` indices into the
article's text (end exclusive), ``None`` where a row has no such span. The model runs with the GIL
released, so other Python threads go on meanwhile.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple, Union

from . import _whosaid

__all__ = [
    "COLUMNS",
    "Article",
    "ArticleError",
    "ArticleWarning",
    "Claim",
    "Pipeline",
    "RunSummary",
    "run",
]

#: The CSV contract's columns, in order: the fields of :class:`Claim` (the CLI's CSV header).
COLUMNS: Tuple[str, ...] = tuple(_whosaid.COLUMNS)

_OFFSETS = COLUMNS[8:]

#: Articles run through the model together by default: the CLI's window.
BATCH_SIZE = 32

Source = Union[str, "os.PathLike[str]", Dict[Any, Any], Iterable[Any]]


class Claim(NamedTuple):
    """One row: who said (or believes, or did) what, as the CLI's CSV writes it."""

    article: str
    #: Index of the sentence in the article.
    sentence: int
    #: ``direct_quote``, ``indirect_quote``, ``mixed_quote``, ``belief``, ``evidence`` or ``action``.
    kind: str
    #: The speaker or agent as written (empty when there is none).
    who: str
    #: ``who`` resolved to the fullest name in the article.
    entity: str
    entity_type: str
    #: The cue or verb group.
    verb: str
    #: The content or object.
    what: str
    who_start: Optional[int]
    who_end: Optional[int]
    verb_start: Optional[int]
    verb_end: Optional[int]
    what_start: Optional[int]
    what_end: Optional[int]


class Article(NamedTuple):
    """What :meth:`Pipeline.pipe` yields for each input: its claims, or why it has none."""

    article: str
    claims: List[Claim]
    #: ``None``, or why the article could not be processed (its ``claims`` are then empty).
    error: Optional[str]


class ArticleError(ValueError):
    """An article that could not be processed (not text, empty, too large, ...), by name."""

    def __init__(self, article: str, reason: str) -> None:
        super().__init__(f"{article or '<text>'}: {reason}")
        self.article = article
        self.reason = reason


class ArticleWarning(UserWarning):
    """An article skipped by :meth:`Pipeline.dataframe` or :meth:`Pipeline.arrow`."""


class RunSummary(NamedTuple):
    """What :func:`run` did."""

    articles: int
    #: Articles (or inputs) that could not be read or processed, each named on stderr.
    failed: int
    rows: int


#: The models a wheel carries, by name.
_WEIGHTS = {"accurate": "whosaid.safetensors", "fast": "whosaid-fast.safetensors"}


def _data_dir(model_dir: Optional[Union[str, "os.PathLike[str]"]]) -> Path:
    data = Path(model_dir) if model_dir is not None else Path(__file__).parent / "data"
    if not (data / "models" / "whosaid.safetensors").is_file():
        raise FileNotFoundError(
            f"no whosaid model in {data} (a wheel built by scripts/wheel.sh carries it)"
        )
    return data


class Pipeline:
    """The whole whosaid pipeline, loaded once.

    :param threads: threads the model and the rules run on; ``None`` for every core this process
        may use. The rows never depend on it.
    :param kinds: the kinds of rows kept, comma-separated, as the CLI's ``--kinds``: ``all``,
        ``quotes`` (reported speech), ``claims`` (every kind but actions), ``beliefs``,
        ``evidence``, ``actions``, ``direct``, ``indirect``, ``mixed``.
    :param include_agentless: agentless passives as actions with an empty ``who``.
    :param actions_in_quotes: actions inside quoted or reported content too.
    :param max_mb: the largest article taken, in megabytes (larger ones are errors).
    :param model: ``"accurate"`` (6 encoder layers) or ``"fast"`` (the distilled 3-layer
        student, as the CLI's ``--model fast``).
    :param model_dir: a folder with ``models/whosaid.safetensors`` and ``encoder/``; by default
        the model inside this package.

    One pipeline may be shared by several Python threads.
    """

    def __init__(
        self,
        threads: Optional[int] = None,
        kinds: str = "all",
        include_agentless: bool = False,
        actions_in_quotes: bool = False,
        max_mb: float = 10.0,
        model: str = "accurate",
        model_dir: Optional[Union[str, "os.PathLike[str]"]] = None,
    ) -> None:
        data = _data_dir(model_dir)
        weights = _WEIGHTS.get(model)
        if weights is None:
            raise ValueError(f"model must be one of {sorted(_WEIGHTS)}, not {model!r}")
        self._core = _whosaid.Core(
            str(data / "models" / weights),
            str(data / "encoder"),
            threads,
            kinds,
            include_agentless,
            actions_in_quotes,
            max_mb,
        )
        self._options = dict(
            model=model,
            kinds=kinds,
            include_agentless=include_agentless,
            actions_in_quotes=actions_in_quotes,
            max_mb=max_mb,
        )

    @property
    def threads(self) -> int:
        """Threads the pipeline runs on."""
        return self._core.threads

    def __repr__(self) -> str:
        opts = ", ".join(f"{k}={v!r}" for k, v in self._options.items())
        return f"whosaid.Pipeline(threads={self.threads}, {opts})"

    def claims(self, text: str, article: str = "") -> List[Claim]:
        """The claims of one article, in text order.

        :raises ArticleError: the text is not a ``str``, is empty or over ``max_mb``.
        """
        ((name, rows, error),) = self._core.process_texts([(article, text)])
        if error is not None:
            raise ArticleError(name, error)
        return [Claim._make(r) for r in rows]

    def pipe(
        self, texts: Iterable[Union[str, Tuple[Any, str]]], batch_size: int = BATCH_SIZE
    ) -> Iterator[Article]:
        """One :class:`Article` per input, in input order, as a generator.

        ``texts`` yields texts (named ``"0"``, ``"1"``, ... by position) or ``(id, text)`` pairs.
        ``batch_size`` texts are read from it and run through the model together, so memory stays
        bounded however many there are. A bad item (not text, empty, too large) comes out as an
        Article with its ``error`` set; the others go on.
        """
        yield from self._articles(self._text_batches(texts, batch_size))

    def dataframe(self, source: Source, batch_size: int = BATCH_SIZE, errors: str = "warn"):
        """The claims of ``source`` as a pandas DataFrame with the columns of :data:`COLUMNS`.

        ``source`` is a folder or file path (``str`` or ``Path``: ``.txt`` files read as the CLI
        reads them, articles named alike), a dict of ``{id: text}``, or an iterable as
        :meth:`pipe` takes. Offsets are nullable integers (``Int64``).

        :param errors: a failed article ``"warn"`` s (:class:`ArticleWarning`, then goes on),
            ``"raise"`` s :class:`ArticleError` or is ``"ignore"`` d.
        """
        import pandas as pd

        columns = self._columns(source, batch_size, errors)
        data = {}
        for name, values in columns.items():
            if name in _OFFSETS:
                data[name] = pd.array(values, dtype="Int64")
            elif name == "sentence":
                data[name] = pd.array(values, dtype="int64")
            else:
                data[name] = pd.array(values, dtype=object)
        return pd.DataFrame(data, columns=list(COLUMNS))

    def arrow(self, source: Source, batch_size: int = BATCH_SIZE, errors: str = "warn"):
        """The claims of ``source`` (as :meth:`dataframe` takes it) as a pyarrow Table:
        strings, ``int64`` sentence and nullable ``int64`` offsets."""
        import pyarrow as pa

        columns = self._columns(source, batch_size, errors)
        fields = [
            pa.field(n, pa.int64(), nullable=n in _OFFSETS)
            if n == "sentence" or n in _OFFSETS
            else pa.field(n, pa.string(), nullable=False)
            for n in COLUMNS
        ]
        schema = pa.schema(fields)
        return pa.table({f.name: pa.array(columns[f.name], type=f.type) for f in fields}, schema=schema)

    def run(
        self,
        inputs: Union[str, "os.PathLike[str]", Sequence[Union[str, "os.PathLike[str]"]]],
        output: Union[str, "os.PathLike[str]"] = "claims.csv",
        format: str = "csv",
        ext: Sequence[str] = ("txt",),
    ) -> RunSummary:
        """The CLI's ``run``: the articles under ``inputs`` (folders, recursively, and files)
        written to ``output`` as ``csv``, ``jsonl`` or ``xlsx``, byte for byte as the CLI writes
        them. A failed article is named on stderr and counted; the others are written."""
        if isinstance(inputs, (str, os.PathLike)):
            inputs = [inputs]
        done = self._core.run_to_file([os.fspath(i) for i in inputs], os.fspath(output), format, list(ext))
        return RunSummary(*done)

    def _articles(self, batches: Iterator[Tuple[str, list]]) -> Iterator[Article]:
        for how, batch in batches:
            process = self._core.process_files if how == "files" else self._core.process_texts
            for name, rows, error in process(batch):
                yield Article(name, [Claim._make(r) for r in rows] if rows is not None else [], error)

    @staticmethod
    def _text_batches(texts: Iterable[Any], batch_size: int) -> Iterator[Tuple[str, list]]:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        if isinstance(texts, (str, bytes)):
            raise TypeError("pipe takes an iterable of texts or (id, text) pairs, not one text")
        batch = []
        for i, item in enumerate(texts):
            if isinstance(item, tuple) and len(item) == 2:
                batch.append((str(item[0]), item[1]))
            else:
                batch.append((str(i), item))
            if len(batch) == batch_size:
                yield "texts", batch
                batch = []
        if batch:
            yield "texts", batch

    def _batches(self, source: Source, batch_size: int) -> Iterator[Tuple[str, list]]:
        if isinstance(source, (str, os.PathLike)):
            files, missing = _whosaid.discover([os.fspath(source)], ["txt"])
            if missing:
                raise FileNotFoundError(f"{missing[0][0]}: {missing[0][1]}")
            for at in range(0, len(files), batch_size):
                yield "files", files[at : at + batch_size]
        elif isinstance(source, dict):
            yield from self._text_batches(source.items(), batch_size)
        else:
            yield from self._text_batches(source, batch_size)

    def _columns(self, source: Source, batch_size: int, errors: str) -> Dict[str, list]:
        if errors not in ("warn", "raise", "ignore"):
            raise ValueError(f'errors must be "warn", "raise" or "ignore", not {errors!r}')
        rows: List[Claim] = []
        for art in self._articles(self._batches(source, batch_size)):
            if art.error is not None:
                if errors == "raise":
                    raise ArticleError(art.article, art.error)
                if errors == "warn":
                    warnings.warn(f"whosaid: {art.article}: {art.error}", ArticleWarning, stacklevel=3)
            rows.extend(art.claims)
        return {name: [r[i] for r in rows] for i, name in enumerate(COLUMNS)}


def run(
    inputs: Union[str, "os.PathLike[str]", Sequence[Union[str, "os.PathLike[str]"]]],
    output: Union[str, "os.PathLike[str]"] = "claims.csv",
    format: str = "csv",
    threads: Optional[int] = None,
    kinds: str = "all",
    include_agentless: bool = False,
    actions_in_quotes: bool = False,
    max_mb: float = 10.0,
    ext: Sequence[str] = ("txt",),
    model: str = "accurate",
) -> RunSummary:
    """``whosaid run INPUTS -o OUTPUT --format FORMAT``: loads a :class:`Pipeline` with these
    options and runs :meth:`Pipeline.run`."""
    nlp = Pipeline(
        threads=threads,
        kinds=kinds,
        include_agentless=include_agentless,
        actions_in_quotes=actions_in_quotes,
        max_mb=max_mb,
        model=model,
    )
    return nlp.run(inputs, output, format, ext)
