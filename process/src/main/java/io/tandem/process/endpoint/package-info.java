/**
 * Rules about the addresses a daemon listens on, as its local clients (the CLI, the cluster agents,
 * a probe) use them: a wildcard listen address is reached on loopback.
 */
package io.tandem.process.endpoint;
