"""A service package: state on objects, closures and dicts, NumPy helpers."""
