"""Spiders: scheduling and routing only; parsing lives in :mod:`crawler.parsers`."""
