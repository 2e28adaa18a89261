/**
 * The ha-agent's cycle on one host: wait for the cluster's ZooKeeper lock, mount the store, write
 * the lock's epoch to the store's fence, start the broker in {@code ha} mode with that epoch,
 * monitor its {@code /health}, restart it locally on repeated failures, and stop it, unmount and
 * give the lock up when the lease turns suspect, when restarts are exhausted or when an operator
 * asks for a switchover.
 *
 * <p>{@link io.tandem.agent.Agent} runs the cycle on one thread through the ports it is given
 * ({@link io.tandem.agent.Election}, {@link io.tandem.agent.BrokerRunner}, {@link
 * io.tandem.agent.HostHooks}), so the cycle itself knows nothing of ZooKeeper, processes or shells.
 * Its state is one {@link io.tandem.agent.AgentState} machine; every transition is logged with its
 * reason and published as an {@link io.tandem.agent.AgentStatus}.
 */
package io.tandem.agent;
