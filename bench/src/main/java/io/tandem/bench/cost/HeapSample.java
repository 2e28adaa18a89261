package io.tandem.bench.cost;

/**
 * One consistent reading of a JVM's young-generation counters: taken while no collection was in
 * progress, so that the eden occupancy belongs to the collection counts beside it.
 *
 * @param youngCollections young collections so far ({@code sun.gc.collector.0.invocations})
 * @param fullCollections full collections so far ({@code sun.gc.collector.1.invocations})
 * @param edenUsed bytes in eden ({@code sun.gc.generation.0.space.0.used}); the JVM refreshes it
 *     every 50 ms ({@code -XX:PerfDataSamplingInterval}) and at the end of each collection
 * @param edenCapacity eden's size in bytes ({@code sun.gc.generation.0.space.0.capacity})
 */
record HeapSample(long youngCollections, long fullCollections, long edenUsed, long edenCapacity) {}
