"""legalops: an open-source, self-hosted legal operations platform."""

__version__ = "0.1.0"
