/**
 * The broker as the agent sees it: a child process started through {@code bin/tandem broker --mode
 * ha --epoch E}, the store fence written through {@code bin/tandem store fence}, and {@code GET
 * /health}. Going through the {@code tandem} launcher keeps the agent free of the broker's code:
 * the agent, the OCF agent and the VCS agent fence the store the same way.
 *
 * <p>A pid file in the run directory lets a restarted agent find and stop a broker its previous
 * process left behind.
 */
package io.tandem.agent.broker;
