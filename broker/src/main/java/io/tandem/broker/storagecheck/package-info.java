/**
 * {@code tandem storage-check}: qualifies a directory on shared storage for a Tandem store by
 * testing, measured, the four criteria EMS names (write order, synchronous write persistence,
 * distributed file locking, unique write ownership), plus fdatasync latency, sequential bandwidth
 * and lock acquire latency. Two participants take part, the checking process and a peer: a child
 * process on the same host, or {@code tandem storage-check --peer} on another host. They coordinate
 * only through files in the checked directory, so a peer that never answers is itself evidence that
 * the two hosts do not share the storage. Uses the lock manager's file lock and the store's fence
 * exactly as a broker does.
 */
package io.tandem.broker.storagecheck;
