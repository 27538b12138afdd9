"""Process checks shared by the tests of the private server (test_make, test_compilergym_ported)."""
import os
import time
from pathlib import Path


def alive(pid: int) -> bool:
    """True while process ``pid`` runs (a zombie, exited but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pid: int, seconds: float = 15.0) -> bool:
    """Waits up to ``seconds`` for process ``pid`` to end; True when it did."""
    end = time.time() + seconds
    while time.time() < end:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False
