"""Shared timing helpers for the benchmark scripts: medians of whole-command runs."""
import statistics
import subprocess
import time


def seconds(command, repeats=3, **kwargs):
    """Median wall time of running ``command`` to completion, and its last result."""
    times = []
    result = None
    for _ in range(repeats):
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, **kwargs)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result
