"""essmap: find the structures that support France's social and solidarity economy."""

__version__ = "0.1.0"
