package io.tandem.broker.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A value read from files that is read again when any of the files changes (by {@link FileStamp}).
 * {@link #current} costs one stat per file; a read that fails keeps the previous value and logs a
 * warning once per change of the files.
 */
final class Reloadable<T> {
  private static final Logger LOG = Logger.getLogger(Reloadable.class.getName());

  private final String what;
  private final List<Path> files;
  private final Supplier<T> loader;
  private final java.util.function.Function<T, String> describe;
  private volatile Loaded<T> loaded;
  private List<FileStamp> lastAttempt;

  private record Loaded<T>(T value, List<FileStamp> stamps) {}

  /** Reads the files now; a failure here is thrown, as the configuration is refused. */
  Reloadable(
      String what,
      List<Path> files,
      Supplier<T> loader,
      java.util.function.Function<T, String> describe) {
    this.what = what;
    this.files = files;
    this.loader = loader;
    this.describe = describe;
    List<FileStamp> stamps = FileStamp.of(files);
    this.loaded = new Loaded<>(loader.get(), stamps);
    this.lastAttempt = stamps;
  }

  T current() {
    Loaded<T> l = loaded;
    List<FileStamp> now = FileStamp.of(files);
    if (now.equals(l.stamps())) {
      return l.value();
    }
    synchronized (this) {
      if (now.equals(lastAttempt)) {
        return loaded.value();
      }
      lastAttempt = now;
      try {
        T fresh = loader.get();
        loaded = new Loaded<>(fresh, now);
        LOG.info("reloaded " + what + " from " + files + ": " + describe.apply(fresh));
        return fresh;
      } catch (RuntimeException e) {
        LOG.warning(
            "cannot reload "
                + what
                + " ("
                + e.getMessage()
                + "); keeping the previous one until the files change again");
        return loaded.value();
      }
    }
  }
}
