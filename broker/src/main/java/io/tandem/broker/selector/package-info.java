/**
 * JMS message selectors: parses the SQL-92 conditional-expression subset defined by the JMS 2.0
 * specification into an immutable {@link io.tandem.broker.selector.Selector} and evaluates it
 * against a message's headers and properties. The package knows nothing about AMQP or queues; the
 * broker adapts each message to a {@link io.tandem.broker.selector.PropertySource} and reports
 * refused selectors from {@link io.tandem.broker.selector.SelectorException} to the client.
 */
package io.tandem.broker.selector;
