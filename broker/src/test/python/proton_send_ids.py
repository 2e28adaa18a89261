#!/usr/bin/python3
"""Sends durable messages with the given AMQP message-ids, as a client resending after a
reconnect does, and waits until the broker accepted each.

Usage: proton_send_ids.py HOST:PORT ADDRESS ID [ID...]
Prints 'accepted N' and exits 0 when every message was accepted.
"""
import sys

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container


class SendIds(MessagingHandler):
    def __init__(self, url, address, ids):
        super().__init__()
        self.url = url
        self.address = address
        self.ids = ids
        self.sent = 0
        self.accepted = 0

    def on_start(self, event):
        event.container.schedule(30, self)
        conn = event.container.connect(self.url)
        event.container.create_sender(conn, self.address)

    def on_timer_task(self, event):
        print("timed out after %d accepted" % self.accepted, file=sys.stderr)
        sys.exit(1)

    def on_sendable(self, event):
        while event.sender.credit and self.sent < len(self.ids):
            msg_id = self.ids[self.sent]
            event.sender.send(Message(id=msg_id, body="body-" + msg_id, durable=True))
            self.sent += 1

    def on_accepted(self, event):
        self.accepted += 1
        if self.accepted == len(self.ids):
            event.connection.close()
            event.container.stop()

    def on_rejected(self, event):
        print("rejected", file=sys.stderr)
        sys.exit(1)


def main():
    url, address, ids = sys.argv[1], sys.argv[2], sys.argv[3:]
    handler = SendIds(url, address, ids)
    Container(handler).run()
    print("accepted %d" % handler.accepted)
    sys.exit(0 if handler.accepted == len(ids) else 1)


if __name__ == "__main__":
    main()
