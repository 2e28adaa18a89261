/**
 * What every Tandem daemon (the broker and ha-agent) presents to an operator and a supervisor the
 * same way. Each subpackage holds one part of that contract: {@code time} the clock every timeout
 * and heartbeat is measured with, {@code config} the configuration file reader and its values,
 * {@code log} the logging pipeline and line format, {@code exit} the shared exit statuses, {@code
 * endpoint} how a local client reaches a listener, {@code disk} the store benchmarks' disk
 * measurement. This package holds the module's one exception type.
 */
package io.tandem.process;
