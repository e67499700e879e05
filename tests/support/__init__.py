"""Helpers the tests share: local sites, sample knowledge bases, a browser; fixtures are in conftest.py."""
