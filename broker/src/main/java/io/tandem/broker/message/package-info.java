/**
 * The broker's view of a message: the AMQP-encoded sections as the producer sent them, plus the few
 * header and property fields that routing, ordering, expiry, selectors and the store need. Decoding
 * stops before the body, so the body is never copied into Java objects.
 */
package io.tandem.broker.message;
