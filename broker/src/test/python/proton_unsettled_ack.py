#!/usr/bin/python3
"""Acknowledges one message without settling it, and reports when the broker settles it.

Usage: proton_unsettled_ack.py HOST:PORT ADDRESS
Sends one durable message, receives it, sends 'accepted' unsettled, prints 'ACCEPTED', then
'SETTLED' when the broker settles the delivery; exits 0 after that.
"""
import sys

from proton import Delivery, Message
from proton.handlers import MessagingHandler
from proton.reactor import Container


class UnsettledAck(MessagingHandler):
    def __init__(self, url, address):
        super().__init__(auto_accept=False, auto_settle=False)
        self.url = url
        self.address = address
        self.sent = False
        self.settled = False

    def on_start(self, event):
        event.container.schedule(60, self)
        conn = event.container.connect(self.url)
        event.container.create_sender(conn, self.address)
        event.container.create_receiver(conn, self.address)

    def on_timer_task(self, event):
        print("timed out", file=sys.stderr, flush=True)
        sys.exit(1)

    def on_sendable(self, event):
        if not self.sent:
            event.sender.send(Message(body="ack-me", durable=True))
            self.sent = True

    def on_message(self, event):
        event.delivery.update(Delivery.ACCEPTED)
        print("ACCEPTED", flush=True)

    def on_settled(self, event):
        if event.receiver is not None and not self.settled:
            self.settled = True
            print("SETTLED", flush=True)
            event.delivery.settle()
            event.connection.close()
            event.container.stop()


def main():
    url, address = sys.argv[1], sys.argv[2]
    handler = UnsettledAck(url, address)
    Container(handler).run()
    sys.exit(0 if handler.settled else 1)


if __name__ == "__main__":
    main()
