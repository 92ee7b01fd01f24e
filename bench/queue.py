"""``python bench/queue.py``: the queue and API benchmark (the code and its options: bench/queue_bench.py).

A script named ``queue.py`` shadows the standard library's ``queue`` module: Python puts the script's
folder first on ``sys.path``, and Celery, kombu, logging and concurrent.futures all ``import queue``.
So this file, before any other import:

* run as a script: takes its own folder off ``sys.path``, then runs queue_bench's ``main``;
* imported as ``queue`` (another script in bench/ put this folder on ``sys.path``): replaces itself
  in ``sys.modules`` with the standard library's module, which the import statement then returns.
"""

import os
import sys

_HERE = os.path.dirname(os.path.realpath(__file__))


def _not_here(entry: str) -> bool:
    return os.path.realpath(entry or ".") != _HERE


if __name__ == "__main__":
    sys.path[:] = [entry for entry in sys.path if _not_here(entry)]
    import runpy

    runpy.run_path(os.path.join(_HERE, "queue_bench.py"), run_name="__main__")
else:
    import importlib

    _saved = sys.path[:]
    sys.path[:] = [entry for entry in _saved if _not_here(entry)]
    try:
        del sys.modules[__name__]
        importlib.import_module(__name__)  # the standard library's queue, now in sys.modules
    finally:
        sys.path[:] = _saved
