package io.tandem.lock;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;

/*
 * A Curator mutex used for exactly one acquisition, exposing the node it created.
 *
 * InterProcessMutex ties ownership to the acquiring thread and releases only from it. A lease
 * may end on any thread (its holder's, the connection-event thread's), so the lease instead deletes
 * the node itself and this mutex object is dropped; the next acquisition makes a new one.
 */
final class OwnedMutex extends InterProcessMutex {

  OwnedMutex(CuratorFramework client, String path) {
    super(client, path);
  }

  // The calling thread's lock node; call on the thread that acquired.
  String ownNode() {
    String node = getLockPath();
    if (node == null) {
      throw new IllegalStateException("the calling thread does not hold this mutex");
    }
    return node;
  }
}
