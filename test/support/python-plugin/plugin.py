"""A Python portable plugin for the project's tests, speaking eKuiper's plugin protocol on libnng (ctypes).

It behaves like a plugin built with eKuiper's Python SDK: the control and function channels are REQ sockets
with a receive timeout that drives a keep-alive `handshake`, sources PUSH their data, sinks listen with PULL and
PUSH acknowledgements. What it provides comes from `plugin-config.json` beside it; the keep-alive interval can
also come from the JSON argument (`keepAliveMs`).
"""
import json
import os
import sys
import threading
import time

from nng_ctypes import NNG_ETIMEDOUT, NngError, Socket

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "plugin-config.json")) as config_file:
    CONFIG = json.load(config_file)
ARGUMENT = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
KEEP_ALIVE_MS = ARGUMENT.get("keepAliveMs", CONFIG.get("keepAliveMs", 5000))
NAME = CONFIG["name"]


def log(text):
    print(text, flush=True)


def serve(url, handle):
    """The SDK's REQ loop: ask, wait a keep-alive for the host's word, greet again when it does not come."""
    sock = Socket("req")
    sock.set_ms("recv-timeout", KEEP_ALIVE_MS)
    sock.set_ms("send-timeout", 1000)
    sock.set_ms("req:resend-time", 0)
    sock.dial(url)
    answer = "handshake"
    while True:
        sock.send(answer)
        try:
            request = sock.recv().decode()
        except NngError as error:
            if error.code == NNG_ETIMEDOUT:
                answer = "handshake"
                continue
            raise
        answer = handle(request)


def call_function(kind, func, args):
    if func == "IsAggregate":
        return {"state": True, "result": False}
    if func == "Validate":
        return {"state": True, "result": ""} if len(args) == 1 else {"state": False, "result": "expect one argument"}
    if func != "Exec":
        return {"state": False, "result": "unknown function call " + func}
    meta = json.loads(args[-1])
    for key in ("ruleId", "opId", "instanceId", "funcId"):
        if key not in meta:
            return {"state": False, "result": "invalid function meta, missing " + key}
    values = args[:-1]
    if kind == "revert":
        if not isinstance(values[0], str):
            return {"state": False, "result": "revert needs a string"}
        return {"state": True, "result": values[0][::-1]}
    if kind == "echo":
        return {"state": True, "result": values[0]}
    return {"state": False, "result": "function failed on purpose"}


started_functions = set()
running = {}


def start_function(symbol, kind):
    if symbol in started_functions:
        return

    def handle(request):
        if request.startswith("h"):
            return "handshake"
        call = json.loads(request)
        return json.dumps(call_function(kind, call["func"], call["arg"] or []))

    started_functions.add(symbol)
    threading.Thread(target=serve, args=("ipc:///tmp/func_%s.ipc" % symbol, handle), daemon=True).start()


def data_url(control, suffix=""):
    meta = control["meta"]
    return "ipc:///tmp/%s_%s_%s%s.ipc" % (meta["ruleId"], meta["opId"], meta["instanceId"], suffix)


def start_source(control):
    config = control.get("config") or {}
    if "fail" in config:
        raise ValueError(config["fail"])
    interval = config.get("interval", 50) / 1000.0
    push = Socket("push")
    push.set_ms("send-timeout", 1000)
    push.dial(data_url(control))
    stop = threading.Event()

    def emit():
        n = 0
        while not stop.is_set():
            n += 1
            message = {"symbol": control["symbolName"], "n": n, "pid": os.getpid(), "datasource": control.get("datasource", "")}
            try:
                push.send(json.dumps({"message": message, "meta": {"n": n}}))
            except NngError:
                pass
            stop.wait(interval)
        push.close()

    threading.Thread(target=emit, daemon=True).start()
    return stop.set


def start_sink(control):
    config = control.get("config") or {}
    pull = Socket("pull")
    pull.set_ms("recv-timeout", 500)
    for attempt in range(10):
        try:
            pull.listen(data_url(control))
            break
        except NngError:
            if attempt == 9:
                raise
            time.sleep(0.05)
    ack = None
    if config.get("requireAck"):
        ack = Socket("push")
        ack.set_ms("send-timeout", 1000)
        ack.dial(data_url(control, "_ack"))
    stop = threading.Event()

    def collect():
        while not stop.is_set():
            try:
                data = pull.recv()
            except NngError as error:
                if error.code == NNG_ETIMEDOUT:
                    continue
                return
            log("sink %s got %s" % (control["symbolName"], data.decode()))
            try:
                row = json.loads(data)
                bad = isinstance(row, dict) and row.get("bad") is True
            except ValueError:
                bad = True
            if ack is not None:
                ack.send(json.dumps({"error": "bad row refused"} if bad else {}))
        pull.close()
        if ack is not None:
            ack.close()

    threading.Thread(target=collect, daemon=True).start()
    return stop.set


def command(text):
    if text.startswith("h"):
        return "handshake"
    try:
        request = json.loads(text)
        control = json.loads(request["arg"])
        symbol = control["symbolName"]
        kind = control["pluginType"]
        key = "%s_%s_%s_%s" % (control["meta"]["ruleId"], control["meta"]["opId"], control["meta"]["instanceId"], symbol)
        if request["cmd"] == "start":
            if kind == "func":
                if symbol not in CONFIG.get("functions", {}):
                    return "symbol %s not found" % symbol
                start_function(symbol, CONFIG["functions"][symbol])
            elif kind == "source":
                if symbol not in CONFIG.get("sources", []):
                    return "symbol %s not found" % symbol
                running[key] = start_source(control)
            elif kind == "sink":
                if symbol not in CONFIG.get("sinks", []):
                    return "symbol %s not found" % symbol
                running[key] = start_sink(control)
            else:
                return "invalid plugin type " + kind
            log("started %s %s" % (kind, symbol))
            return "ok"
        if request["cmd"] == "stop":
            stop = running.pop(key, None)
            if stop is not None:
                stop()
            return "ok"
        return "invalid command " + request["cmd"]
    except Exception as error:  # the SDK answers any failure with its text
        return "%s: %s" % (type(error).__name__, error)


if __name__ == "__main__":
    for module in CONFIG.get("imports", []):
        __import__(module)
    log("python plugin %s starting, keep-alive %d ms" % (NAME, KEEP_ALIVE_MS))
    serve("ipc:///tmp/plugin_%s.ipc" % NAME, command)
