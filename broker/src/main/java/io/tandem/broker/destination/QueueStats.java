package io.tandem.broker.destination;

/**
 * Counters of one queue or subscription.
 *
 * @param name the queue or subscription name
 * @param pending messages waiting for a consumer
 * @param unacknowledged messages delivered and not yet settled
 * @param messages pending plus unacknowledged
 * @param bytes message bytes held
 * @param consumers attached consumers
 * @param enqueued messages added since start
 * @param dequeued messages removed since start (consumed, expired, discarded, dead-lettered)
 */
public record QueueStats(
    String name,
    long pending,
    long unacknowledged,
    long messages,
    long bytes,
    int consumers,
    long enqueued,
    long dequeued) {}
