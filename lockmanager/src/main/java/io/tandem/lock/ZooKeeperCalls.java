package io.tandem.lock;

import org.apache.zookeeper.KeeperException;

// The one place where Curator's checked Exception becomes a LockException.
final class ZooKeeperCalls {

  // A Curator operation.
  @FunctionalInterface
  interface Call<T> {
    T run() throws Exception;
  }

  private ZooKeeperCalls() {}

  static <T> T run(String what, Call<T> call) {
    try {
      return call.run();
    } catch (LockException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LockException(LockException.Category.INTERRUPTED, "interrupted while " + what, e);
    } catch (KeeperException.NoAuthException
        | KeeperException.AuthFailedException
        | KeeperException.InvalidACLException e) {
      throw new LockException(
          LockException.Category.DENIED,
          what
              + " failed: "
              + e
              + "; ZooKeeper does not let this client's identity do it (see the auth and acl"
              + " settings)",
          e);
    } catch (Exception e) {
      throw new LockException(LockException.Category.ZOOKEEPER, what + " failed: " + e, e);
    }
  }
}
