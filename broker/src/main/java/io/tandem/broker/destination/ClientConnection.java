package io.tandem.broker.destination;

/**
 * The client connection a consumer, subscriber, publisher or temporary destination belongs to, as
 * the protocol layer hands it in. Destinations compare connections by identity only: to skip a
 * subscriber's own messages ({@code noLocal}) and to find the temporary destinations that end with
 * their connection.
 */
public interface ClientConnection {}
