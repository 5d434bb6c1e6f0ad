"""Run one request from many threads at the same moment, each thread with its own test client
(its own cookies and app context), the way a double-click or parallel API calls arrive."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor


def at_once(n: int, call):
    """call(i) from n threads released together by a barrier; the results in order."""
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait(timeout=30)
        return call(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))
