"""The exceptions of pynng that eKuiper's Python SDK catches, raised by the stand-in for nng's error codes."""


class NNGException(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.errno = code


class Timeout(NNGException):
    pass


class ConnectionRefused(NNGException):
    pass


class Closed(NNGException):
    pass


class AddressInUse(NNGException):
    pass


class BadState(NNGException):
    pass


# nng's error numbers (nng.h) for the errors above.
_BY_CODE = {5: Timeout, 6: ConnectionRefused, 7: Closed, 10: AddressInUse, 11: BadState}


def from_code(code, message):
    return _BY_CODE.get(code, NNGException)(message, code)
