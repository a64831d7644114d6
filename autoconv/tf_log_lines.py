"""TensorFlow's C++ and absl log lines, told apart from a program's own output on fd 2.

TensorFlow writes them straight to fd 2 (``I0000 00:00:... port.cc:153] oneDNN custom
operations...``, ``WARNING: All log messages before absl::InitializeLog()...``, ``failed call to
cuInit``), between whatever the user's code prints there. The check moves them from a call's
stderr into its warnings (``protocol.split_tf_log_lines``) and a notebook kernel drops them from
its cells' outputs (``notebook.keep_tensorflow_logs_out``); both read the lines with this one rule.
Nothing here imports TensorFlow.
"""
from __future__ import annotations

import re

TF_LOG_LINE = re.compile(
    r"^(?:[IWEF]\d{4} \d\d:\d\d:\d+\.\d+\s+\d+ \S+:\d+\]"
    r"|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWEF] \S+"
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called)"
)
# cpu_feature_guard's message goes on, untabbed, on a second line of its own
_SECOND_LINE = "To enable the following instructions:"


def is_log_line(text: str, after_log_line: bool) -> bool:
    """Whether ``text`` is (part of) a TensorFlow log message; ``after_log_line`` when the line
    before it was: a tab-indented line then is the message's node context, and cpu_feature_guard's
    ``To enable the following instructions:`` its second line."""
    if TF_LOG_LINE.match(text):
        return True
    return after_log_line and (text.startswith("\t") or text.startswith(_SECOND_LINE))
