/**
 * Who may do what: the users file (salted SCRAM credentials, {@link
 * io.tandem.broker.security.Users}), groups ({@link io.tandem.broker.security.Groups}), EMS-style
 * access control lists ({@link io.tandem.broker.security.Acl}) and the one rule that combines them
 * ({@link io.tandem.broker.security.AccessControl}); and the SCRAM exchange ({@link
 * io.tandem.broker.security.ScramServer}, {@link io.tandem.broker.security.ScramClient}) used by
 * SASL, the admin endpoint and the FT peers. It reads files and does arithmetic; it talks to no
 * network and no store.
 */
package io.tandem.broker.security;
