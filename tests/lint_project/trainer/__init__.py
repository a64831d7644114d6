"""A package whose pitfalls are only traced through other files."""
