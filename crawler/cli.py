"""The ``kammerwatch`` command line.

Each subcommand lives in a module with a ``register(subparsers)`` function that
adds its parser and sets ``func`` (called with the parsed namespace, returns an
exit code).  The crawl commands are in :mod:`crawler.commands`; later stages
(NLP extraction, timeline) register theirs from their own packages.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from crawler import __version__

COMMAND_MODULES = (
    "crawler.commands",
    "pipelines.nlp.cli",
    "pipelines.timeline.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kammerwatch",
        description="Crawl articles and reader comments about a cyber incident "
        "and turn them into an evidence-backed timeline.",
    )
    parser.add_argument("--version", action="version", version=f"kammerwatch {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # stage not installed in this build
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command not in ("crawl", "run"):  # Scrapy configures logging for crawls
        logging.basicConfig(
            level=logging.DEBUG if args.verbose else logging.INFO,
            format="%(levelname)s %(name)s: %(message)s",
        )
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
