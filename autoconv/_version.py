"""The version, in a module of its own so that no part of the package imports the package's
``__init__`` for it (setup.cfg reads it from here too)."""

__version__ = "0.1.0"
