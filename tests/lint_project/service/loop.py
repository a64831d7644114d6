import tensorflow as tf

registry = {"last": None}


@tf.function
def record(x):
    registry["last"] = x  # AC301: an outer dict, mutated only while tracing
    return x


@tf.function
def record_fixed(x, last):
    return x if last is None else x + last


def run(datasets):
    scale = 1.0

    @tf.function
    def step(x):
        return x * scale  # AC306: the loop below rebinds scale for each dataset

    results = []
    for ds in datasets:
        scale = float(len(ds))
        results.append(step(ds))
    return results


def run_fixed(datasets):
    scale = 2.0

    @tf.function
    def step(x):
        return x * scale  # bound once, before: not stale

    return [step(ds) for ds in datasets]
