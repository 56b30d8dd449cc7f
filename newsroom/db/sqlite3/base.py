"""Django's SQLite backend, with the transactions of one process served in turn.

Every transaction on the embedded SQLite begins IMMEDIATE (see the settings): it takes the
database's single write lock at BEGIN. SQLite's own waiting is polling that sleeps up to 100 ms
between tries, so under a crowd a newcomer often wins over someone who has waited long, and a
few requests wait many seconds. The demo's web server serves everybody from the threads of one
process; there, transactions first queue on a lock of the process, which wakes them in turn, and
SQLite's polling is left to settle only between processes (the web server and the worker).
"""

import threading

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

# One per process: the threads of a process write one after the other.
_TURN = threading.Lock()
DEFAULT_TIMEOUT_S = 5.0  # Python's sqlite3 default, when OPTIONS has no "timeout"


class DatabaseWrapper(base.DatabaseWrapper):
    _has_turn = False

    def _start_transaction_under_autocommit(self):
        timeout = self.settings_dict["OPTIONS"].get("timeout", DEFAULT_TIMEOUT_S)
        if not _TURN.acquire(timeout=timeout):
            raise OperationalError(f"database is locked (waited {timeout:g} s for another transaction)")
        self._has_turn = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._end_turn()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._end_turn()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._end_turn()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._end_turn()

    def _end_turn(self) -> None:
        if self._has_turn:
            self._has_turn = False
            _TURN.release()
