/**
 * The seam between the broker and durable storage, and the journal store behind it. The broker
 * describes every change as a {@link io.tandem.broker.store.StoreBatch} and waits for the returned
 * future before it tells a client that a message or an acknowledgement is stored; {@link
 * io.tandem.broker.store.MessageStore#recover} rebuilds the broker's durable state at startup.
 *
 * <p>{@link io.tandem.broker.store.Stores#open} gives the journal store: {@code meta.db}, {@code
 * sync-msgs.db} and {@code async-msgs.db} are directories of per-epoch segment files of CRC32C
 * framed records, written by one thread with group commit and guarded by the {@code fence} file (an
 * epoch written before recovery and re-read after every flush). This package talks to the file
 * system only; the epoch comes from the caller (the lock manager). {@link
 * io.tandem.broker.store.Stores#inspect} and {@link io.tandem.broker.store.Stores#dump} read a
 * store without changing it, for {@code tandem store}.
 *
 * <p>Inside, one step applies records to the index (the writer's commits and recovery alike), one
 * method re-reads the fence, and the writer stops on one signal, the close of the store. All time
 * the package reads comes from the {@link io.tandem.process.time.Clock} in {@link
 * io.tandem.broker.store.StoreOptions} and {@link io.tandem.broker.store.StoreIo}: deadlines on its
 * monotonic time, only the duplicate window's retention on wall time.
 */
package io.tandem.broker.store;
