/**
 * What every Tandem daemon (the broker and ha-agent) presents to an operator and a supervisor the
 * same way. Each subpackage holds one part of that contract: {@code time} the clock every timeout
 * and heartbeat is measured with.
 */
package io.tandem.process;
