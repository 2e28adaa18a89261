/**
 * Fenced locks: an exclusive lock that comes with an epoch strictly greater than any earlier
 * holder's, and that tells its holder the moment it can no longer be sure it holds the lock.
 *
 * <p>Two kinds sit behind {@link io.tandem.lock.FencedLock}, both reached through {@link
 * io.tandem.lock.FencedLocks}: an open-file-description lock ({@code fcntl F_OFD_SETLK} through
 * JNA) on {@code <store>/lock} for a hot-warm pair on shared storage, with the epoch in {@code
 * <store>/lock.epoch} and the holder's identity in {@code <store>/lock.holder}; and a ZooKeeper
 * lock (Curator {@code InterProcessMutex}) with the epoch in {@code <path>/epoch} and the holder in
 * {@code <path>/holder}, whose znodes can be given to the client's identity alone ({@link
 * io.tandem.lock.ZooKeeperSecurity}: digest or SASL authentication, ACLs, TLS). This package talks
 * to the kernel and to ZooKeeper, nothing else; what a holder does with its epoch (the broker's
 * {@code fence} file) is the caller's business.
 */
package io.tandem.lock;
