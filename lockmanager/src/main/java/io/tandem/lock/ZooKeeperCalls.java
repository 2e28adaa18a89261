package io.tandem.lock;

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
    } catch (Exception e) {
      throw new LockException(LockException.Category.ZOOKEEPER, what + " failed: " + e, e);
    }
  }
}
