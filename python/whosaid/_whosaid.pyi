"""The compiled half of whosaid (python/src/lib.rs); whosaid/__init__.py wraps it."""

from os import PathLike
from typing import Any, List, Optional, Sequence, Tuple, Union

_Path = Union[str, PathLike[str]]
#: The 14 fields of the CSV contract, in order (whosaid.COLUMNS).
_Row = Tuple[str, int, str, str, str, str, str, str, Optional[int], Optional[int], Optional[int], Optional[int], Optional[int], Optional[int]]
#: (article, rows or None, error or None)
_Outcome = Tuple[str, Optional[List[_Row]], Optional[str]]

#: The CSV header, in contract order.
COLUMNS: List[str]

class Core:
    """A loaded pipeline with its own thread pool; every call releases the GIL while it runs."""

    def __init__(
        self,
        weights: _Path,
        encoder_dir: _Path,
        threads: Optional[int],
        kinds: str,
        include_agentless: bool,
        actions_in_quotes: bool,
        max_mb: float,
    ) -> None: ...
    @property
    def threads(self) -> int: ...
    def process_texts(self, items: Sequence[Tuple[str, Any]]) -> List[_Outcome]:
        """Rows of each (article, text), in order; a bad text gets an error, the others go on."""
    def process_files(self, items: Sequence[Tuple[str, _Path]]) -> List[_Outcome]:
        """Rows of each (article, path) file, read with the CLI's checks, in order."""
    def run_to_file(self, inputs: Sequence[_Path], output: _Path, format: str, ext: Sequence[str]) -> Tuple[int, int, int]:
        """The CLI's run into `output`: (articles, failed, rows)."""

def discover(inputs: Sequence[_Path], ext: Sequence[str]) -> Tuple[List[Tuple[str, _Path]], List[Tuple[str, str]]]:
    """The articles under `inputs` as (name, path), named as the CLI names them, and the inputs
    that could not be read as (input, reason)."""
