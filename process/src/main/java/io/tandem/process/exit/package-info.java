/**
 * The exit statuses every Tandem daemon shares, and where each daemon's own begin. A supervisor
 * maps them to "stopped", "failed" and "misconfigured" without knowing which daemon it ran.
 */
package io.tandem.process.exit;
