#!/usr/bin/python3
"""Opens a connection to Tandem without any SASL layer (plain AMQP header).

Usage: proton_no_sasl.py HOST:PORT
Prints 'opened' when the broker accepted the connection, or 'refused CONDITION: DESCRIPTION'.
"""
import sys

from proton.handlers import MessagingHandler
from proton.reactor import Container


class NoSasl(MessagingHandler):
    def __init__(self, url):
        super().__init__()
        self.url = url
        self.result = None

    def on_start(self, event):
        self.timer = event.container.schedule(20, self)
        self.conn = event.container.connect(self.url, sasl_enabled=False, reconnect=False)

    def on_connection_opened(self, event):
        if self.result is None and event.connection.remote_condition is None:
            self.finish("opened")

    def on_connection_error(self, event):
        self.refused(event.connection.remote_condition)

    def on_transport_error(self, event):
        self.refused(event.transport.condition or event.connection.remote_condition)

    def refused(self, c):
        self.finish("refused %s: %s" % (c.name, c.description) if c else "refused")

    def finish(self, result):
        if self.result is None or self.result == "opened":
            self.result = result
        self.timer.cancel()
        self.conn.close()

    def on_timer_task(self, event):
        if self.result is None:
            self.result = "timed out"
        event.container.stop()


def main():
    handler = NoSasl(sys.argv[1])
    Container(handler).run()
    print(handler.result)


if __name__ == "__main__":
    main()
