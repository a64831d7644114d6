import time


def scale(x):
    # a namespace package (no __init__.py): traced from app/main.py, another folder
    return x * time.time()
