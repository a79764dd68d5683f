"""A portable plugin built on eKuiper's real Python SDK (`ekuiper`, vendored into the zip as eKuiper's own
build does), for the project's tests: a function, a source and a sink written against the SDK's `Function`,
`Source` and `Sink` interfaces and started with `plugin.start(...)`. Its names come from `names.json` beside
it, so parallel tests never share a socket path (function channels are named after the symbol alone).
"""
import json
import os
import threading

from ekuiper import Function, PluginConfig, Sink, Source, plugin

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "names.json")) as names_file:
    NAMES = json.load(names_file)


class UpperFunction(Function):
    def validate(self, args):
        return "" if len(args) == 1 else "upper takes one argument"

    def exec(self, args, ctx):
        return str(args[0]).upper()

    def is_aggregate(self):
        return False


class CounterSource(Source):
    def __init__(self):
        self.interval = 0.05
        self.datasource = ""
        self.stopped = threading.Event()

    def configure(self, datasource, conf):
        self.datasource = datasource
        self.interval = conf.get("interval", 50) / 1000.0

    def open(self, ctx):
        n = 0
        while not self.stopped.is_set():
            n += 1
            ctx.emit({"n": n, "datasource": self.datasource}, {"source": "counter"})
            self.stopped.wait(self.interval)

    def close(self, ctx):
        self.stopped.set()


class JsonLinesSink(Sink):
    """Appends each row to the file named by `path`; acknowledges unless `ack` is false; refuses {"bad": true}."""

    def __init__(self):
        self.path = ""
        self.ack = True
        self.file = None

    def configure(self, conf):
        self.path = conf["path"]
        self.ack = conf.get("ack", True)

    def open(self, ctx):
        self.file = open(self.path, "a")

    def collect(self, ctx, data):
        row = json.loads(data)
        if isinstance(row, dict) and row.get("bad") is True:
            if self.ack:
                ctx.ack_error("bad row refused")
            return
        self.file.write(json.dumps(row) + "\n")
        self.file.flush()
        if self.ack:
            ctx.ack_ok()

    def close(self, ctx):
        if self.file is not None:
            self.file.close()


if __name__ == "__main__":
    plugin.start(
        PluginConfig(
            NAMES["plugin"],
            {NAMES["source"]: lambda: CounterSource()},
            {NAMES["sink"]: lambda: JsonLinesSink()},
            {NAMES["function"]: lambda: UpperFunction()},
        )
    )
