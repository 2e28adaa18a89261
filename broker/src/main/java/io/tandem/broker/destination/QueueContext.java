package io.tandem.broker.destination;

import io.tandem.broker.store.MessageStore;
import io.tandem.process.time.Clock;

/**
 * What every queue shares: the store, the memory budget, the clock and the dead-letter route.
 *
 * @param store durable storage
 * @param memory the broker-wide message memory budget
 * @param clock the broker's clock; message expiry is in its wall time
 * @param deadLetters where given-up messages go
 */
record QueueContext(
    MessageStore store, MemoryBudget memory, Clock clock, DeadLetters deadLetters) {}
