#!/usr/bin/python3
"""Plain send and receive through Tandem with Python Qpid Proton (not a JMS client).

Usage: proton_send_receive.py HOST:PORT ADDRESS COUNT
Prints 'received N' and exits 0 when every message sent came back in order.
"""
import sys

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container


class SendReceive(MessagingHandler):
    def __init__(self, url, address, count):
        super().__init__()
        self.url = url
        self.address = address
        self.count = count
        self.sent = 0
        self.received = []

    def on_start(self, event):
        event.container.schedule(30, self)
        conn = event.container.connect(self.url)
        event.container.create_receiver(conn, self.address)
        event.container.create_sender(conn, self.address)

    def on_timer_task(self, event):
        print("timed out after receiving %d" % len(self.received), file=sys.stderr)
        sys.exit(1)

    def on_sendable(self, event):
        while event.sender.credit and self.sent < self.count:
            event.sender.send(Message(body="message-%d" % self.sent, durable=True))
            self.sent += 1

    def on_message(self, event):
        self.received.append(event.message.body)
        if len(self.received) == self.count:
            event.connection.close()
            event.container.stop()


def main():
    url, address, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    handler = SendReceive(url, address, count)
    Container(handler).run()
    expected = ["message-%d" % i for i in range(count)]
    if handler.received != expected:
        print("unexpected messages: %r" % handler.received[:5], file=sys.stderr)
        sys.exit(1)
    print("received %d" % len(handler.received))


if __name__ == "__main__":
    main()
