"""Shim for ``scrapyd-deploy``: it runs ``setup.py bdist_egg``; all metadata is in pyproject.toml.

Without this file scrapyd-deploy writes its own setup.py (every package, no package data,
name "project"), which would ship an egg without crawler/data and pipelines/**/data.
"""

from setuptools import setup

setup()
