/**
 * The comparison broker: a small main that embeds ActiveMQ Artemis with the durability Tandem
 * promises (persistence on, NIO journal, every send synced) and an AMQP acceptor, run by the bench
 * driver in its own JVM. It talks to nothing but its directory and its port.
 */
package io.tandem.bench.artemis;
