/**
 * The {@code ha-agent} command line (Picocli): {@code run} builds the agent from {@code agent.conf}
 * and runs it until SIGTERM; {@code status}, {@code release} and {@code resume} talk to a running
 * agent over its control socket, and {@code status} also reads the lock from ZooKeeper itself, so
 * it works when no agent runs.
 */
package io.tandem.agent.cli;
