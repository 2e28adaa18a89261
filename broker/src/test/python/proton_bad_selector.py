#!/usr/bin/python3
"""Attaches a receiver with an invalid JMS selector; expects the broker to refuse the link.

Usage: proton_bad_selector.py HOST:PORT ADDRESS
Prints the error condition and exits 0 when it is amqp:invalid-field.
"""
import sys

from proton.handlers import MessagingHandler
from proton.reactor import Container, Selector


class BadSelector(MessagingHandler):
    def __init__(self, url, address):
        super().__init__()
        self.url = url
        self.address = address
        self.condition = None

    def on_start(self, event):
        event.container.schedule(30, self)
        conn = event.container.connect(self.url)
        event.container.create_receiver(conn, self.address, options=Selector("color = "))

    def on_timer_task(self, event):
        print("timed out", file=sys.stderr)
        sys.exit(1)

    def on_link_error(self, event):
        self.condition = event.link.remote_condition
        event.connection.close()
        event.container.stop()

    def on_link_closed(self, event):
        if self.condition is None:
            self.condition = event.link.remote_condition
        event.connection.close()
        event.container.stop()


def main():
    handler = BadSelector(sys.argv[1], sys.argv[2])
    Container(handler).run()
    cond = handler.condition
    print("condition: %s %s" % (cond.name if cond else None, cond.description if cond else ""))
    sys.exit(0 if cond is not None and cond.name == "amqp:invalid-field" else 1)


if __name__ == "__main__":
    main()
