"""See network/services/__init__.py."""
