#!/usr/bin/python3
"""Send and receive over amqps:// with Python Qpid Proton, verifying the broker's certificate.

Usage: proton_tls_send_receive.py amqps://HOST:PORT ADDRESS CA_FILE (name|chain)
'name' verifies the chain and that the certificate names HOST; 'chain' only the chain.
Prints 'received 1' and exits 0 on success; prints the TLS error and exits 2 if it is refused.
"""
import sys

from proton import Message, SSLDomain
from proton.handlers import MessagingHandler
from proton.reactor import Container


class SendReceive(MessagingHandler):
    def __init__(self, url, address, domain):
        super().__init__()
        self.url = url
        self.address = address
        self.domain = domain
        self.sent = False
        self.received = None
        self.error = None

    def on_start(self, event):
        event.container.schedule(30, self)
        conn = event.container.connect(self.url, ssl_domain=self.domain, reconnect=False)
        event.container.create_receiver(conn, self.address)
        event.container.create_sender(conn, self.address)

    def on_timer_task(self, event):
        self.error = "timed out"
        event.container.stop()

    def on_transport_error(self, event):
        self.error = str(event.transport.condition)
        event.container.stop()

    def on_sendable(self, event):
        if not self.sent:
            event.sender.send(Message(body="over tls"))
            self.sent = True

    def on_message(self, event):
        self.received = event.message.body
        event.connection.close()
        event.container.stop()


def main():
    url, address, ca, mode = sys.argv[1:5]
    domain = SSLDomain(SSLDomain.MODE_CLIENT)
    domain.set_trusted_ca_db(ca)
    domain.set_peer_authentication(
        SSLDomain.VERIFY_PEER_NAME if mode == "name" else SSLDomain.VERIFY_PEER, ca)
    handler = SendReceive(url, address, domain)
    Container(handler).run()
    if handler.received == "over tls":
        print("received 1")
        return
    print("refused: %s" % handler.error)
    sys.exit(2)


if __name__ == "__main__":
    main()
