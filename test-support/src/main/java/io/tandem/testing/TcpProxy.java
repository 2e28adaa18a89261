package io.tandem.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP proxy in front of one server (a ZooKeeper server, in the lock and agent tests), to
 * partition a single client. {@link #freeze} discards everything in both directions and refuses new
 * connections, as a partition would: the client hears nothing and the server hears nothing. {@link
 * #thaw} ends the partition and resets the connections it silenced. {@link #dropConnections} resets
 * every connection at once, as a server crash would.
 */
public final class TcpProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread thread = new Thread(r, "tcp-proxy");
            thread.setDaemon(true);
            return thread;
          });
  private final Object gate = new Object();
  private boolean frozen;
  private volatile boolean closed;

  public TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    threads.execute(this::accept);
  }

  public String connectString() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  public void freeze() {
    synchronized (gate) {
      frozen = true;
    }
  }

  public void thaw() {
    synchronized (gate) {
      frozen = false;
    }
    dropConnections();
  }

  public void dropConnections() {
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    dropConnections();
    threads.shutdownNow();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        if (isFrozen()) {
          client.close();
          continue;
        }
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(server);
        threads.execute(() -> pump(client, server));
        threads.execute(() -> pump(server, client));
      } catch (IOException e) {
        // listener closed, or the server refused: the client will retry
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[8192];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (!isFrozen()) {
          out.write(buffer, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // one side closed: close the other below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private boolean isFrozen() {
    synchronized (gate) {
      return frozen;
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
