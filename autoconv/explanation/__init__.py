"""``autoconv explain``: what AutoGraph and tracing did, line by line, for given inputs.

``trace_hooks`` gathers facts while the function traces, ``model`` holds them as plain data, ``api``
runs the calls; the views live in ``autoconv/render/explain_*.py``.
"""
