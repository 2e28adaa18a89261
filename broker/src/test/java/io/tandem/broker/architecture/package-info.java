/** Tests of the broker's structure: which package may use which (docs/architecture.md). */
package io.tandem.broker.architecture;
