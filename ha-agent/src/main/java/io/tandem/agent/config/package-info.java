/**
 * {@code agent.conf}: read once at startup, every key validated, every problem reported with file,
 * line and reason in the same {@code key = value} style as the broker's {@code tandem.conf}. Owns
 * the keys and their defaults; hands the rest of the agent typed records.
 */
package io.tandem.agent.config;
