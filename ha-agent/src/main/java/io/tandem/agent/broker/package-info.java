/**
 * The broker as the agent sees it: a child process started through {@code bin/tandem broker --mode
 * ha --epoch E}, or, with {@code standby = warm}, a {@code --standby} JVM started beforehand and
 * activated through its standard input; the store fence written in the agent's own process through
 * the lock manager's {@code StoreFence}; and {@code GET /health}. Going through the {@code tandem}
 * launcher keeps the agent free of the broker's code.
 *
 * <p>A pid file in the run directory lets a restarted agent find and stop a broker its previous
 * process left behind. A standby needs none: it exits by itself when the agent's end of its
 * standard input closes.
 */
package io.tandem.agent.broker;
