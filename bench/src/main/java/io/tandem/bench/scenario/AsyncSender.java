package io.tandem.bench.scenario;

import io.tandem.bench.BenchException;
import jakarta.jms.CompletionListener;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * JMS 2 asynchronous sends with at most {@code window} unacknowledged at once: how a client keeps a
 * durable broker busy without waiting for each acknowledgement. Used to fill queues and to pace
 * publishers.
 */
final class AsyncSender implements CompletionListener {
  static final int WINDOW = 1000;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final int window;
  private final Semaphore permits;
  private final AtomicLong completed = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  AsyncSender(int window) {
    this.window = window;
    this.permits = new Semaphore(window);
  }

  /** Sends once a slot in the window is free; fails if none frees within a minute. */
  void send(MessageProducer producer, Message message) throws jakarta.jms.JMSException {
    check();
    try {
      if (!permits.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new BenchException(
            BenchException.Category.TIMEOUT, "no send acknowledged for " + WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException(BenchException.Category.FAILED, "interrupted", e);
    }
    producer.send(message, this);
  }

  /** Waits until every send was acknowledged. */
  void awaitAll(Duration timeout) {
    try {
      if (!permits.tryAcquire(window, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new BenchException(
            BenchException.Category.TIMEOUT,
            (window - permits.availablePermits()) + " sends unacknowledged after " + timeout);
      }
      permits.release(window);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException(BenchException.Category.FAILED, "interrupted", e);
    }
    check();
  }

  long completed() {
    return completed.get();
  }

  private void check() {
    Exception e = failure.get();
    if (e != null) {
      throw new BenchException(BenchException.Category.FAILED, "a send failed: " + e, e);
    }
  }

  @Override
  public void onCompletion(Message message) {
    completed.incrementAndGet();
    permits.release();
  }

  @Override
  public void onException(Message message, Exception exception) {
    failure.compareAndSet(null, exception);
    permits.release();
  }
}
