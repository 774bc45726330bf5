"""Kammerwatch: crawl reporting about a cyber incident into an evidence-backed timeline."""

__version__ = "0.1.0"
