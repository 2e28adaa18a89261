package io.tandem.broker.storagecheck;

import io.tandem.broker.BrokerException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** One run of a check as its criteria see it: the options, the peer's channel, child processes. */
final class Session implements AutoCloseable {
  private final CheckOptions options;
  private final Rendezvous run;
  private final Random random = new Random();
  private final List<ChildProcess> children = new ArrayList<>();
  private int step;

  Session(CheckOptions options, Rendezvous run) {
    this.options = options;
    this.run = run;
  }

  CheckOptions options() {
    return options;
  }

  Path runDir() {
    return run.dir();
  }

  Random random() {
    return random;
  }

  Rendezvous rendezvous() {
    return run;
  }

  /** Sends a request to the peer; returns its step number. */
  int ask(Map<String, String> request) {
    run.request(++step, request);
    return step;
  }

  /**
   * The peer's answer to {@code step}; fails if none came in time or the peer reported an error.
   */
  Map<String, String> answer(int step, Duration timeout) {
    Map<String, String> res = run.awaitResult(step, timeout);
    if (res == null) {
      throw new BrokerException(
          BrokerException.Category.STORE_IO,
          "the peer did not answer request " + step + " within " + timeout.toSeconds() + " s");
    }
    String error = res.get("error");
    if (error != null && !error.isEmpty() && !res.containsKey("grants")) {
      throw new BrokerException(BrokerException.Category.STORE_IO, "the peer failed: " + error);
    }
    return res;
  }

  /** Starts an agent child whose stderr goes to {@code name}.log in the run directory. */
  ChildProcess child(String name, String... args) {
    ChildProcess c = ChildProcess.start(run.dir().resolve(name + ".log"), args);
    children.add(c);
    return c;
  }

  /** Kills every child still running. */
  @Override
  public void close() {
    for (ChildProcess c : children) {
      c.close();
    }
  }
}
