# Names that only look like threads: a thread-safe lock, a Process model, cpu_count
import multiprocessing
import threading

lock = threading.Lock()
workers = max(multiprocessing.cpu_count(), 1)


class Process:
    pass


def make():
    return Process()
# ruff: noqa  (audited code: fixtures keep the patterns of the real code they come from)
