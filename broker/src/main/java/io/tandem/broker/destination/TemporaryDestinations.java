package io.tandem.broker.destination;

import io.tandem.broker.config.DestinationProperties;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temporary queues and topics: named uniquely for this broker run, owned by the connection that
 * created them, never stored, gone with their owner. Only the owner learns the name, so they are
 * never secure and always use the default properties.
 */
final class TemporaryDestinations {
  /** One temporary destination: its owner and, for a queue, where its messages wait. */
  private record Temporary(ClientConnection owner, MessageQueue queue) {}

  private final String prefix;
  private final IdSource ids;
  private final QueueContext context;
  private final Map<String, Temporary> temporaries = new ConcurrentHashMap<>();

  /**
   * @param server this broker's name, part of every temporary name
   * @param ids numbers the names
   * @param context what a temporary queue shares with every queue; its clock's start time makes
   *     names unique across restarts
   */
  TemporaryDestinations(String server, IdSource ids, QueueContext context) {
    this.prefix = "$tmp." + server + "." + Long.toHexString(context.clock().wallMillis()) + ".";
    this.ids = ids;
    this.context = context;
  }

  String create(DestinationKind kind, ClientConnection owner) {
    String name =
        prefix + (kind == DestinationKind.QUEUE ? "queue." : "topic.") + ids.nextLocalId();
    MessageQueue q =
        kind == DestinationKind.QUEUE
            ? new MessageQueue(name, null, DestinationProperties.DEFAULTS, context)
            : null;
    temporaries.put(name, new Temporary(owner, q));
    return name;
  }

  boolean contains(String name) {
    return temporaries.containsKey(name);
  }

  /** The connection that created {@code name}, or {@code null} if it is not temporary. */
  ClientConnection owner(String name) {
    Temporary t = temporaries.get(name);
    return t == null ? null : t.owner();
  }

  /** The temporary queue {@code name}, or {@code null}. */
  MessageQueue queue(String name) {
    Temporary t = temporaries.get(name);
    return t == null ? null : t.queue();
  }

  /** Every temporary queue, for the stats. */
  Map<String, MessageQueue> queues() {
    Map<String, MessageQueue> result = new HashMap<>();
    temporaries.forEach(
        (name, t) -> {
          if (t.queue() != null) {
            result.put(name, t.queue());
          }
        });
    return result;
  }

  /** Deletes {@code name} and drops anything waiting in it; nothing if it is not temporary. */
  void delete(String name) {
    Temporary t = temporaries.remove(name);
    if (t != null && t.queue() != null) {
      t.queue().drop();
    }
  }

  /** Deletes every temporary destination {@code owner} created. */
  void deleteOwnedBy(ClientConnection owner) {
    List<String> owned =
        temporaries.entrySet().stream()
            .filter(e -> e.getValue().owner() == owner)
            .map(Map.Entry::getKey)
            .toList();
    owned.forEach(this::delete);
  }
}
