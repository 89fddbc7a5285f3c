"""inspect-kit: score on-site inspections from the terminal."""

__version__ = "0.1.0"
