"""The sample gallery (``autoconv docs``) and the machinery it shares with the Sphinx extension.

``compute`` describes, converts and checks what changed on the check's workers (other targets
in the ``collect`` child process); ``cache``
decides what changed and writes files safely; ``model`` is the gallery as plain data; ``build``
puts them together; ``pages`` renders the result.
"""
