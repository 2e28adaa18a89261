#!/usr/bin/python3
"""Sends one durable message of SIZE bytes, streamed in transfer frames as Proton does for any
large message, but without holding it in memory: the encoded message (a header section that says
durable, then one data section) is produced chunk by chunk while the session's outgoing buffer
stays small.

Usage: proton_send_large.py HOST:PORT ADDRESS SIZE
Prints 'refused CONDITION DESCRIPTION', 'accepted' or 'rejected CONDITION', and the number of
bytes streamed. Exits 0 when the broker refused the link with amqp:link:message-size-exceeded.
"""
import struct
import sys

from proton import Endpoint
from proton.handlers import MessagingHandler
from proton.reactor import Container

CHUNK = 1024 * 1024
BUFFERED = 4 * CHUNK
# header section {durable: true}, then the data section's descriptor and vbin32 constructor
HEADER = bytes([0x00, 0x53, 0x70, 0xC0, 0x02, 0x01, 0x41, 0x00, 0x53, 0x75, 0xB0])


class Pump:
    def __init__(self, sender_handler):
        self.h = sender_handler

    def on_timer_task(self, event):
        self.h.pump(event.container)


class SendLarge(MessagingHandler):
    def __init__(self, url, address, size):
        super().__init__()
        self.url = url
        self.address = address
        self.size = size
        self.streamed = 0
        self.sender = None
        self.started = False
        self.outcome = None
        self.chunk = b"x" * CHUNK
        self.pumper = Pump(self)

    def on_start(self, event):
        event.container.schedule(240, self)
        conn = event.container.connect(self.url)
        self.sender = event.container.create_sender(conn, self.address)

    def on_timer_task(self, event):
        self.finish(event.container, "timed out after %d bytes" % self.streamed)

    def on_sendable(self, event):
        if self.started:
            return
        self.started = True
        self.sender.delivery("large")
        self.sender.stream(HEADER + struct.pack(">I", self.size))
        self.pump(event.container)

    def pump(self, container):
        if self.outcome is not None or self.sender.state & Endpoint.REMOTE_CLOSED:
            return
        while self.streamed < self.size and self.sender.session.outgoing_bytes < BUFFERED:
            n = min(CHUNK, self.size - self.streamed)
            self.sender.stream(self.chunk[:n])
            self.streamed += n
        if self.streamed < self.size:
            container.schedule(0.002, self.pumper)
        else:
            self.sender.advance()

    def finish(self, container, outcome):
        if self.outcome is None:
            self.outcome = outcome
            print("outcome after streaming %d bytes" % self.streamed)
        if self.sender is not None:
            self.sender.connection.close()
        container.stop()

    def on_link_error(self, event):
        c = event.link.remote_condition
        self.finish(event.container, "refused %s %s" % (c.name, c.description))

    def on_link_closed(self, event):
        c = event.link.remote_condition
        if c is not None:
            self.finish(event.container, "refused %s %s" % (c.name, c.description))

    def on_accepted(self, event):
        self.finish(event.container, "accepted")

    def on_rejected(self, event):
        c = event.delivery.remote.condition
        self.finish(event.container, "rejected %s" % (c.name if c else None))


def main():
    url, address, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    handler = SendLarge(url, address, size)
    Container(handler).run()
    print(handler.outcome)
    print("streamed %d bytes" % handler.streamed)
    ok = handler.outcome is not None and "amqp:link:message-size-exceeded" in handler.outcome
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
