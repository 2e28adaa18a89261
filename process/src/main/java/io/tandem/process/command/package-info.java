/**
 * The top of each daemon's command line ({@code tandem}, {@code ha-agent}), built on Picocli: a
 * group of subcommands that refuses to run without one, the version line both print, and the start
 * of the process (log manager first, then the command, then its exit status).
 */
package io.tandem.process.command;
