package io.tandem.lock;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Structure;

/*
 * The libc calls the file lock needs, with the Linux constants for them.
 * Open-file-description locks (Linux 3.15+) belong to the open file description, not to the
 * process: closing another descriptor of the same file in the same process does not drop them,
 * unlike classic POSIX F_SETLK locks and therefore unlike FileChannel.lock.
 */
interface LibC extends Library {

  int O_RDONLY = 0;
  int O_RDWR = 2;
  int O_CREAT = 0100;
  int O_CLOEXEC = 02000000;

  int F_OFD_GETLK = 36;
  int F_OFD_SETLK = 37;

  short F_WRLCK = 1;
  short F_UNLCK = 2;
  short SEEK_SET = 0;

  int open(String path, int flags, int mode);

  int close(int fd);

  int fcntl(int fd, int command, Flock lock);

  String strerror(int errno);

  int geteuid();

  // Loads libc once, after checking that this platform can have the lock at all.
  static LibC instance() {
    if (!Platform.isLinux() || !Platform.is64Bit()) {
      throw new LockException(
          LockException.Category.UNSUPPORTED,
          "open-file-description locks are implemented for 64-bit Linux only, not "
              + System.getProperty("os.name")
              + "/"
              + System.getProperty("os.arch")
              + "; use a ZooKeeper lock on this platform");
    }
    return Loaded.INSTANCE;
  }

  /*
   * struct flock on 64-bit Linux: two shorts, two 64-bit offsets, the pid, and padding to 32
   * bytes, which JNA's default alignment reproduces. Public only because JNA reads the fields by
   * reflection; the enclosing package-private interface keeps it out of the API.
   */
  @Structure.FieldOrder({"l_type", "l_whence", "l_start", "l_len", "l_pid"})
  final class Flock extends Structure {
    public short l_type;
    public short l_whence;
    public long l_start;
    public long l_len;
    public int l_pid;

    // A whole-file lock request of the given type; l_pid must be 0 for OFD commands.
    static Flock wholeFile(short type) {
      Flock flock = new Flock();
      flock.l_type = type;
      flock.l_whence = SEEK_SET;
      flock.l_start = 0;
      flock.l_len = 0;
      flock.l_pid = 0;
      return flock;
    }
  }

  // Holder of the loaded library, initialised on first use.
  final class Loaded {
    static final LibC INSTANCE = Native.load("c", LibC.class);

    private Loaded() {}
  }
}
