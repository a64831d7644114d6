"""``autoconv serve``: a live explorer, as Compiler Explorer is for compilers (a front-end).

``server`` is the web server and its guards, ``explorer`` answers the page's edits with the check's
worker processes and draws the answers with the HTML renderer; ``static/`` holds the page's script
and the CodeMirror bundle built from ``editor/`` at the repository's root.
"""
