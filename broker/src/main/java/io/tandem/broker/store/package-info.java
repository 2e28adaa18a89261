/**
 * The seam between the broker and durable storage: the broker describes every change as a {@link
 * io.tandem.broker.store.StoreBatch} and waits for the returned future before it tells a client
 * that a message or an acknowledgement is stored. {@link
 * io.tandem.broker.store.MessageStore#recover} rebuilds the broker's durable state at startup.
 */
package io.tandem.broker.store;
