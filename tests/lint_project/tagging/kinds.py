import enum


class Kind(enum.Enum):
    WORD = 1
    NUMBER = 2
