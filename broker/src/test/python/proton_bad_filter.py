#!/usr/bin/python3
"""Attaches a receiver whose source filter map has a string (not symbol) key, then checks that
the broker refused only that link: a send on the same connection still succeeds.

Usage: proton_bad_filter.py HOST:PORT ADDRESS
Prints the error condition and 'sent after refusal', and exits 0 when the condition is
amqp:invalid-field and the send was accepted.
"""
import sys

from proton import Described, Message, symbol
from proton.handlers import MessagingHandler
from proton.reactor import Container, Filter


class BadFilter(MessagingHandler):
    def __init__(self, url, address):
        super().__init__()
        self.url = url
        self.address = address
        self.condition = None
        self.accepted = False
        self.conn = None

    def on_start(self, event):
        event.container.schedule(30, self)
        self.conn = event.container.connect(self.url)
        selector = Described(symbol("apache.org:selector-filter:string"), "a = 1")
        # a str key is encoded as an AMQP string; the filter-set wants symbols
        event.container.create_receiver(
            self.conn, self.address, options=Filter({"not-a-symbol": selector}))

    def on_timer_task(self, event):
        print("timed out", file=sys.stderr)
        sys.exit(1)

    def refused(self, event):
        if self.condition is not None:
            return
        self.condition = event.link.remote_condition
        event.container.create_sender(self.conn, self.address)

    def on_link_error(self, event):
        self.refused(event)

    def on_link_closed(self, event):
        self.refused(event)

    def on_sendable(self, event):
        if event.sender.credit and not self.accepted and event.sender.queued == 0:
            event.sender.send(Message(body="after refusal"))

    def on_accepted(self, event):
        self.accepted = True
        print("sent after refusal")
        event.connection.close()
        event.container.stop()


def main():
    handler = BadFilter(sys.argv[1], sys.argv[2])
    Container(handler).run()
    cond = handler.condition
    print("condition: %s %s" % (cond.name if cond else None, cond.description if cond else ""))
    ok = cond is not None and cond.name == "amqp:invalid-field" and handler.accepted
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
