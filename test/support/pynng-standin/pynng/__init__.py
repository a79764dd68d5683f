"""A stand-in for pynng (PyPI only, not installable on these machines) over Debian's libnng1.

Only what eKuiper's Python SDK uses: `Req0`, `Push0` and `Pull0` with the `recv_timeout`, `send_timeout`,
`resend_time` and `recv_max_size` options, `dial(url, block=True)`, `listen`, `send`, `recv`, `close`, and the
`Timeout` and `exceptions.BadState` errors. It reuses the tests' ctypes binding (`nng_ctypes.py`), which the
plugin zip carries beside this package; pynng itself is a CFFI wrapper of the same library, so what goes on
the wire is the same.
"""
import ctypes

import nng_ctypes

from . import exceptions
from .exceptions import Timeout

__all__ = ["Req0", "Push0", "Pull0", "Timeout", "exceptions"]

nng_ctypes._lib.nng_socket_set_size.argtypes = [ctypes.c_uint32, ctypes.c_char_p, ctypes.c_size_t]


def _translate(error):
    return exceptions.from_code(error.code, str(error))


class _Socket:
    _protocol = ""

    def __init__(self, recv_timeout=None, send_timeout=None, resend_time=None):
        self._socket = nng_ctypes.Socket(self._protocol)
        if recv_timeout is not None:
            self._set_ms("recv-timeout", recv_timeout)
        if send_timeout is not None:
            self._set_ms("send-timeout", send_timeout)
        if resend_time is not None:
            self._set_ms("req:resend-time", resend_time)

    def _set_ms(self, option, ms):
        try:
            self._socket.set_ms(option, ms)
        except nng_ctypes.NngError as error:
            raise _translate(error) from None

    @property
    def recv_max_size(self):
        raise AttributeError("write-only in this stand-in")

    @recv_max_size.setter
    def recv_max_size(self, size):
        code = nng_ctypes._lib.nng_socket_set_size(self._socket._id.value, b"recv-size-max", int(size))
        if code != 0:
            raise exceptions.from_code(code, "set recv-size-max")

    def dial(self, url, block=True):
        # One blocking attempt, as pynng's dial(block=True): the SDK retries on its own.
        try:
            self._socket.dial(url, retries=1)
        except nng_ctypes.NngError as error:
            raise _translate(error) from None

    def listen(self, url):
        try:
            self._socket.listen(url)
        except nng_ctypes.NngError as error:
            raise _translate(error) from None

    def send(self, data):
        try:
            self._socket.send(data)
        except nng_ctypes.NngError as error:
            raise _translate(error) from None

    def recv(self):
        try:
            return self._socket.recv()
        except nng_ctypes.NngError as error:
            raise _translate(error) from None

    def close(self):
        self._socket.close()


class Req0(_Socket):
    _protocol = "req"


class Push0(_Socket):
    _protocol = "push"


class Pull0(_Socket):
    _protocol = "pull"
