"""The sample gallery (``autoconv docs``) and the machinery it shares with the Sphinx extension.

``compute`` converts (in the ``collect`` child process) and checks what changed; ``cache``
decides what changed and writes files safely; ``model`` is the gallery as plain data; ``build``
puts them together; ``pages`` renders the result.
"""
