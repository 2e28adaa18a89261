/**
 * How {@code ha-agent status}, {@code release} and {@code resume} reach a running agent: a Unix
 * domain socket {@code <run_dir>/agent.sock}, readable and writable by the agent's user only. One
 * request line per connection ({@code status}, {@code release [MILLIS]}, {@code resume}); the
 * answer is {@code ok} or {@code error: REASON}, then the body, then the agent closes the
 * connection. The client bounds connecting, sending and reading with one deadline, so a stopped or
 * hung agent shows as a timeout rather than blocking the caller.
 */
package io.tandem.agent.control;
