"""The check protocol with no isolation, no workers and no reports: the baseline for bench_check.

One process imports TensorFlow once, then for every case and side: loads the samples file
afresh, seeds with 0, builds the inputs, calls the function (eagerly or as a tf.function)
``calls`` times with fd-level capture, and compares values and output. It deliberately uses
nothing from autoconv except ``sample`` (the sample files need it to import).

    python benchmarks/bare_protocol.py SAMPLES_FILE_OR_DIR...
"""
import importlib.util
import itertools
import os
import random
import sys
import tempfile
from pathlib import Path

import numpy as np
import tensorflow as tf

from autoconv import samples as declarations

counter = itertools.count()


def fresh(path):
    name = f"bare_{next(counter)}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return declarations.declared_in(name)


def captured_call(function, case):
    files = [tempfile.TemporaryFile() for _ in range(2)]
    saved = [os.dup(1), os.dup(2)]
    os.dup2(files[0].fileno(), 1)
    os.dup2(files[1].fileno(), 2)
    try:
        value, error = function(*case.args, **case.kwargs), None
    except Exception as raised:
        value, error = None, type(raised).__name__
    finally:
        sys.stdout.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
    outputs = []
    for file in files:
        file.seek(0)
        outputs.append(file.read())
    value = tf.nest.map_structure(lambda v: v.numpy() if hasattr(v, "numpy") else v, value)
    return value, error, outputs


def side(path, name, index, calls, graph):
    declared = next(s for s in fresh(path) if s.name == name)
    random.seed(0)
    np.random.seed(0)
    tf.random.set_seed(0)
    case = declared.cases()[index]
    function = declared.obj
    if graph and not hasattr(function, "python_function"):
        function = tf.function(function)
    if not graph and hasattr(function, "python_function"):
        function = function.python_function
    return [captured_call(function, case) for _ in range(calls)]


def main(paths):
    files = []
    for path in map(Path, paths):
        files += sorted(p for p in path.glob("*.py") if not p.name.startswith("_")) if path.is_dir() else [path]
    agree = cases = 0
    for path in files:
        for declared in fresh(path):
            for index in range(len(declared.cases())):
                native = side(path, declared.name, index, declared.calls, graph=False)
                graph = side(path, declared.name, index, declared.calls, graph=True)
                same = all(
                    n[1] == g[1] and n[2] == g[2] and (n[1] is not None or _equal(n[0], g[0]))
                    for n, g in zip(native, graph, strict=True)
                )
                cases += 1
                agree += same
    print(f"{cases} cases, {agree} agree")


def _equal(a, b):
    try:
        return all(np.allclose(x, y, equal_nan=True) if np.asarray(x).dtype.kind in "fc" else np.array_equal(x, y)
                   for x, y in zip(tf.nest.flatten(a), tf.nest.flatten(b), strict=True))
    except Exception:
        return a == b


if __name__ == "__main__":
    main(sys.argv[1:])
