"""amtui: a keyboard-first terminal assistant for a B2B key-account manager."""

__version__ = "0.1.0"
