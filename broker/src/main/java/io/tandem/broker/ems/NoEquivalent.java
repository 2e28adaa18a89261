package io.tandem.broker.ems;

import java.util.Map;

/**
 * The tibemsd.conf parameters Tandem has no key for, each with the reason an operator reads in the
 * report: what Tandem does instead.
 */
final class NoEquivalent {
  private static final String LOGS =
      "Tandem logs one line per event on stderr (the systemd journal under the packaged unit);"
          + " set levels by package with log_levels";
  private static final String STATS =
      "Tandem's statistics are always on: the /metrics families of the admin endpoint"
          + " (docs/monitoring.md)";
  private static final String MEMORY =
      "Tandem holds waiting messages in memory up to max_msg_memory and then gives producers no"
          + " more credit; it neither swaps messages to disk nor reserves memory";
  private static final String ROUTES =
      "Tandem has no routes, bridges, Rendezvous, SmartSockets or multicast: one broker (or one"
          + " pair) per store";
  private static final String THREADS =
      "Tandem sizes its network threads and socket buffers itself";
  private static final String CIPHERS =
      "EMS names OpenSSL cipher suites; set Tandem's ssl_ciphers (IANA names as the JDK spells"
          + " them), which applies to every TLS channel";
  private static final String AUTH =
      "Tandem authenticates against its users file and TLS client certificates only (no LDAP, no"
          + " JAAS modules)";

  private static final Map<String, String> KEYS =
      Map.ofEntries(
          Map.entry("logfile", LOGS),
          Map.entry("logfile_max_size", LOGS),
          Map.entry("log_trace", LOGS),
          Map.entry("log_debug", LOGS),
          Map.entry("console_trace", LOGS),
          Map.entry("console_debug", LOGS),
          Map.entry("client_trace", LOGS),
          Map.entry("trace_client_host", LOGS),
          Map.entry("secondary_logfile", LOGS),
          Map.entry("statistics", STATS),
          Map.entry("detailed_statistics", STATS),
          Map.entry("rate_interval", STATS),
          Map.entry("server_rate_interval", STATS),
          Map.entry("statistics_cleanup_interval", STATS),
          Map.entry("max_stat_memory", STATS),
          Map.entry("msg_swapping", MEMORY),
          Map.entry("reserve_memory", MEMORY),
          Map.entry("destination_backlog_swapping", MEMORY),
          Map.entry("large_destination_memory", MEMORY),
          Map.entry("large_destination_count", MEMORY),
          Map.entry("routing", ROUTES),
          Map.entry("routes", ROUTES),
          Map.entry("bridges", ROUTES),
          Map.entry("transports", ROUTES),
          Map.entry("channels", ROUTES),
          Map.entry("tibrv_transports", ROUTES),
          Map.entry("server_heartbeat_server", ROUTES),
          Map.entry("server_timeout_server_connection", ROUTES),
          Map.entry(
              "factories",
              "connection factories are objects of EMS's JNDI; a Qpid JMS application names the"
                  + " broker in its connection URI or jndi.properties (docs/clients.md)"),
          Map.entry(
              "durables",
              "Tandem creates a durable subscription when a client first subscribes with its name;"
                  + " it has no static durables"),
          Map.entry(
              "stores",
              "Tandem has one store per broker (store); the failsafe destination property decides"
                  + " which messages are flushed before the producer is told"),
          Map.entry("store_truncate", "Tandem deletes a store segment once nothing in it is live"),
          Map.entry(
              "store_minimum_sync",
              "Tandem preallocates every store file's segments with the one store_minimum"),
          Map.entry(
              "store_minimum_async",
              "Tandem preallocates every store file's segments with the one store_minimum"),
          Map.entry("network_thread_count", THREADS),
          Map.entry("processor_ids", THREADS),
          Map.entry("socket_send_buffer_size", THREADS),
          Map.entry("socket_receive_buffer_size", THREADS),
          Map.entry(
              "server_heartbeat_client",
              "Tandem sends heartbeats at half the idle timeout each client announces"),
          Map.entry(
              "client_heartbeat_server",
              "a client's heartbeats are the client's own setting (Qpid JMS: amqp.idleTimeout)"),
          Map.entry(
              "client_timeout_server_connection",
              "a client's timeout is the client's own setting (Qpid JMS: amqp.idleTimeout)"),
          Map.entry(
              "disconnect_non_acking_consumers",
              "Tandem does not disconnect consumers that do not acknowledge; max_msg_memory and"
                  + " the destination limits bound what they hold back"),
          Map.entry(
              "flow_control",
              "Tandem always flow-controls producers (max_msg_memory, maxbytes and maxmsgs)"),
          Map.entry(
              "track_message_ids", "Tandem keeps no index of messages by message id for admins"),
          Map.entry(
              "track_correlation_ids",
              "Tandem keeps no index of messages by correlation id for admins"),
          Map.entry("ssl_server_ciphers", CIPHERS),
          Map.entry("ft_ssl_ciphers", CIPHERS),
          Map.entry(
              "ft_ssl_verify_host",
              "Tandem always verifies the peer's certificate chain (ft_ssl_verify_hostname only"
                  + " turns off the name check)"),
          Map.entry(
              "ft_ssl_issuer", "put the intermediate CAs into ft_ssl_identity's PEM file instead"),
          Map.entry(
              "ssl_server_issuer",
              "put the intermediate CAs into ssl_server_identity's PEM file instead"),
          Map.entry("ssl_dh_size", "the JDK chooses the key exchange groups"),
          Map.entry("ssl_rand_egd", "the JDK seeds its own random numbers"),
          Map.entry("ft_ssl_rand_egd", "the JDK seeds its own random numbers"),
          Map.entry("ssl_crl_path", "Tandem does not read certificate revocation lists"),
          Map.entry("ssl_crl_update_interval", "Tandem does not read certificate revocation lists"),
          Map.entry(
              "ssl_use_cert_username",
              "a client that authenticates with SASL EXTERNAL is the user its certificate's CN"
                  + " names; the client chooses the mechanism"),
          Map.entry(
              "ssl_cert_user_specname",
              "the user of a certificate is always its subject's CN (SASL EXTERNAL)"),
          Map.entry("user_auth", AUTH),
          Map.entry("jre_library", "Tandem runs in its own JVM; it loads no extensions"),
          Map.entry("jre_option", "set JVM options in the environment of bin/tandem"),
          Map.entry("module_path", "Tandem loads no modules"));

  private static final Map<String, String> PREFIXES =
      Map.of(
          "ldap_", AUTH,
          "jaas_", AUTH,
          "dbstore_", "Tandem stores messages in its own files only (store), no database",
          "multicast", ROUTES,
          "tibrv", ROUTES,
          "tibss", ROUTES);

  private NoEquivalent() {}

  /** Why {@code key} is not mapped. */
  static String reason(String key) {
    String known = KEYS.get(key);
    if (known != null) {
      return key + " has no equivalent: " + known;
    }
    for (Map.Entry<String, String> p : PREFIXES.entrySet()) {
      if (key.startsWith(p.getKey())) {
        return key + " has no equivalent: " + p.getValue();
      }
    }
    return key + " is not a parameter this import maps to Tandem (no equivalent key)";
  }
}
