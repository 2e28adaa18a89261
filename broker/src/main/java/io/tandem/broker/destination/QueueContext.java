package io.tandem.broker.destination;

import io.tandem.broker.store.MessageStore;
import java.util.function.LongSupplier;

/**
 * What every queue shares: the store, the memory budget, the clock and the dead-letter route.
 *
 * @param store durable storage
 * @param memory the broker-wide message memory budget
 * @param clock epoch milliseconds
 * @param deadLetters where given-up messages go
 */
record QueueContext(
    MessageStore store, MemoryBudget memory, LongSupplier clock, DeadLetters deadLetters) {}
