"""Generators of complete fake sites (served by tests.httpserver) with ground truth."""
