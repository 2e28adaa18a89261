package io.tandem.lock;

import com.sun.jna.Library;
import com.sun.jna.Native;

// SIGSTOP and SIGCONT for the tests, through libc's kill(2).
final class Signals {

  private static final int SIGCONT = 18;
  private static final int SIGSTOP = 19;

  // kill(2).
  interface Kill extends Library {
    int kill(int pid, int signal);
  }

  private static final Kill LIBC = Native.load("c", Kill.class);

  private Signals() {}

  static void stop(long pid) {
    send(pid, SIGSTOP);
  }

  static void resume(long pid) {
    send(pid, SIGCONT);
  }

  private static void send(long pid, int signal) {
    if (LIBC.kill(Math.toIntExact(pid), signal) != 0 && Native.getLastError() != 3) {
      throw new IllegalStateException(
          "kill(" + pid + ", " + signal + ") failed: " + Native.getLastError());
    }
  }
}
