/**
 * The reader of Tandem's {@code key = value} configuration files ({@code tandem.conf}, {@code
 * agent.conf}) and of the value syntaxes in them. Every error is a {@link
 * io.tandem.process.ProcessException} of category CONFIG whose message starts with {@code
 * file:line:}; each daemon's loader turns it into its own exception. Talks to nothing but the file
 * system.
 */
package io.tandem.process.config;
