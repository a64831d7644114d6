"""Shared pytest set-up: Sphinx's testing fixtures (``make_app``) for tests/test_sphinx.py.

pytest accepts ``pytest_plugins`` only in the root conftest, so it lives here.
"""
pytest_plugins = ("sphinx.testing.fixtures",)
