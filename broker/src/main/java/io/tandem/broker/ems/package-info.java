/**
 * {@code tandem config import-ems}: a TIBCO EMS configuration directory (tibemsd.conf, queues.conf,
 * topics.conf, users.conf, groups.conf, acl.conf) turned into a Tandem one ({@link
 * io.tandem.broker.ems.EmsImport}). Every EMS line either becomes Tandem lines or is reported as
 * {@code file:line: reason}; what is written is loaded with the broker's own readers ({@code
 * config}, {@code security}) before it is called done. It reads and writes files only.
 */
package io.tandem.broker.ems;
