/**
 * The {@code tandem} command line (Picocli): {@code tandem broker} runs a broker in the foreground;
 * {@code store}, {@code lock} and {@code storage-check} inspect and qualify stores and locks;
 * {@code status}, {@code queues}, {@code topics}, {@code durables}, {@code connections}, {@code
 * purge}, {@code create}, {@code delete} and {@code shutdown} call a running broker's admin
 * endpoint; {@code config} answers what a broker would read from a tandem.conf, for the cluster
 * agents, and checks one without starting anything. Owns process concerns only: logging format,
 * signals and exit codes (and the exit status file that records them for an agent).
 */
package io.tandem.broker.cli;
