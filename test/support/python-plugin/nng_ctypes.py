"""A minimal ctypes binding to libnng (Debian's libnng1): REQ, PUSH and PULL sockets with timeouts.

Written for the project's tests: a Python portable plugin that speaks eKuiper's protocol the way plugins built
with eKuiper's Python SDK (on pynng, itself a wrapper of nng) do, without needing pynng.
"""
import ctypes
import ctypes.util

_lib = ctypes.CDLL(ctypes.util.find_library("nng") or "libnng.so.1")

NNG_FLAG_ALLOC = 1
NNG_ETIMEDOUT = 5
NNG_ECONNREFUSED = 6
NNG_ECLOSED = 7
NNG_ENOENT = 12

_lib.nng_strerror.restype = ctypes.c_char_p
_lib.nng_strerror.argtypes = [ctypes.c_int]
for _name in ("nng_req0_open", "nng_push0_open", "nng_pull0_open"):
    getattr(_lib, _name).argtypes = [ctypes.POINTER(ctypes.c_uint32)]
_lib.nng_dial.argtypes = [ctypes.c_uint32, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int]
_lib.nng_listen.argtypes = [ctypes.c_uint32, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int]
_lib.nng_send.argtypes = [ctypes.c_uint32, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
_lib.nng_recv.argtypes = [ctypes.c_uint32, ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t), ctypes.c_int]
_lib.nng_free.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
_lib.nng_socket_set_ms.argtypes = [ctypes.c_uint32, ctypes.c_char_p, ctypes.c_int32]
_lib.nng_close.argtypes = [ctypes.c_uint32]


class NngError(Exception):
    def __init__(self, code, what):
        super().__init__("%s: %s" % (what, _lib.nng_strerror(code).decode()))
        self.code = code


def _check(code, what):
    if code != 0:
        raise NngError(code, what)


class Socket:
    """One nng socket: open with a protocol, then dial or listen; send and recv bytes."""

    def __init__(self, protocol):
        self._id = ctypes.c_uint32()
        _check(getattr(_lib, "nng_%s0_open" % protocol)(ctypes.byref(self._id)), "open " + protocol)

    def set_ms(self, option, ms):
        _check(_lib.nng_socket_set_ms(self._id.value, option.encode(), int(ms)), "set " + option)

    def dial(self, url, retries=50, delay=0.1):
        import time

        for attempt in range(retries):
            code = _lib.nng_dial(self._id.value, url.encode(), None, 0)
            if code == 0:
                return
            if code not in (NNG_ECONNREFUSED, NNG_ENOENT) or attempt == retries - 1:
                raise NngError(code, "dial " + url)
            time.sleep(delay)

    def listen(self, url):
        _check(_lib.nng_listen(self._id.value, url.encode(), None, 0), "listen " + url)

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        buffer = ctypes.create_string_buffer(data, len(data))
        _check(_lib.nng_send(self._id.value, buffer, len(data), 0), "send")

    def recv(self):
        pointer = ctypes.c_void_p()
        size = ctypes.c_size_t()
        _check(_lib.nng_recv(self._id.value, ctypes.byref(pointer), ctypes.byref(size), NNG_FLAG_ALLOC), "recv")
        try:
            return ctypes.string_at(pointer, size.value)
        finally:
            _lib.nng_free(pointer, size.value)

    def close(self):
        _lib.nng_close(self._id.value)
