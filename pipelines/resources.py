"""A package's data files as a directory on disk, also when the package is zipped.

The NLP pipeline hands directories to spaCy's config and reads its gazetteers
by path.  Installed as files (a checkout, a wheel) a package's own directory
is that; imported from a zipped egg (as Scrapyd runs a deployed project) it is
not a directory, so the package's files are copied once per process into a
temporary directory, removed when the process exits.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from importlib import import_module, resources
from importlib.resources.abc import Traversable
from pathlib import Path


def _copy(source: Traversable, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.is_dir():
            if entry.name != "__pycache__":
                _copy(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


@cache
def package_dir(package: str) -> Path:
    """The directory of ``package`` on disk (a temporary copy when it is zipped)."""
    module = import_module(package)
    here = Path(module.__file__ or "").resolve().parent
    if here.is_dir():
        return here
    copy = Path(tempfile.mkdtemp(prefix="kammerwatch-")) / package.replace(".", "/")
    _copy(resources.files(package), copy)
    atexit.register(shutil.rmtree, copy.parents[package.count(".")], True)
    return copy
