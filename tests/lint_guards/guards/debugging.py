"""Debug branches under module constants: dead code as written, unless the constant can change."""

import tensorflow as tf

VERBOSE = False
CHECKED: bool = True
TRACE_LEVEL = 0
LOGGING = False
LOGGING = True  # bound twice: not a constant


@tf.function
def step(x):
    y = x * 2
    if VERBOSE:
        print("dead", y.numpy())
    if VERBOSE and x.shape[0]:
        print("dead too", y.numpy())
    if not CHECKED:
        print("dead as well", y.numpy())
    else:
        y = y + 1
    if CHECKED:
        y = y - 1
    else:
        print("the else of a true constant", y.numpy())
    z = y.numpy() if TRACE_LEVEL else y
    if LOGGING:
        print("may run", y.numpy())
    return y + z


@tf.function
def shadowed(x, VERBOSE=True):
    if VERBOSE:  # the parameter, not the module constant
        print("runs", x.numpy())
    return x
