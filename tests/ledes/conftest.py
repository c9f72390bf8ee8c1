"""Fixtures and builders for the LEDES tests (pure library: no Django). The hypothesis
profiles live in tests/conftest.py."""
