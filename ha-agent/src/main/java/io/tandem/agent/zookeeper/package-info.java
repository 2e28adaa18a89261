/**
 * The agent's ZooKeeper session: the lock manager's fenced lock on a Curator client this package
 * owns, the record of which node is active ({@code <lock_path>/active-node}), and the reconnect
 * grace that keeps a brief move from one ZooKeeper server to another from ending the lease.
 *
 * <p>Talks to ZooKeeper (through Curator and {@code io.tandem.lock}) and to nothing else.
 */
package io.tandem.agent.zookeeper;
