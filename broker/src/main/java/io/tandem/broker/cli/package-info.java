/**
 * The {@code tandem} command line (Picocli): {@code tandem broker} runs a broker in the foreground;
 * later subcommands inspect stores, locks and running brokers. Owns process concerns only: logging
 * format, signals and exit codes.
 */
package io.tandem.broker.cli;
