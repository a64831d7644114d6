"""The sample gallery (``autoconv docs``) and the machinery it shares with the Sphinx extension.

``compute`` converts and checks what changed, in child processes; ``cache`` decides what changed
and writes files safely; ``build`` puts them together; ``pages`` renders the result.
"""
