"""Rolwijzer: structured social-safety policy sources -> role-based websites and exports."""

__version__ = "0.1.0"
