package io.tandem.process.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The logging pipeline of every Tandem daemon: java.util.logging, one handler on stderr in {@link
 * LineFormat}, and the libraries' SLF4J lines routed into it by {@code slf4j-jdk14} (a runtime
 * dependency of each daemon). ZooKeeper's and Curator's INFO lines (every connection attempt, every
 * session event) are noise next to the lock manager's own lease lines, so both start at WARNING;
 * Netty and Qpid at INFO. {@link #apply} then sets the levels the configuration names.
 */
public final class ProcessLogging {
  /** The libraries' levels before the configuration speaks; never below the daemon's level. */
  private static final Map<String, Level> LIBRARIES =
      Map.of(
          "io.netty", Level.INFO,
          "org.apache.qpid", Level.INFO,
          "org.apache.zookeeper", Level.WARNING,
          "org.apache.curator", Level.WARNING);

  /**
   * Loggers whose level is set here. java.util.logging holds loggers weakly, so a level set on a
   * logger nobody references is lost when it is collected; these stay referenced.
   */
  private static final List<Logger> TUNED = new ArrayList<>();

  private static ConsoleHandler console;

  private ProcessLogging() {}

  /**
   * Names {@link ShutdownSafeLogManager} as the JVM's log manager; call first thing in {@code
   * main}, before anything logs. It lives here and not on the manager: calling a static method of a
   * {@code LogManager} subclass initializes {@code LogManager} first, which reads the property
   * before it is set and installs the JDK's manager, whose shutdown hook drops the stop's lines.
   */
  public static void selectLogManager() {
    System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
  }

  /** Sends all logging to stderr in the one format, at {@code level}. */
  public static synchronized void install(Level level) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    console = new ConsoleHandler();
    console.setFormatter(new LineFormat());
    console.setLevel(level);
    root.addHandler(console);
    root.setLevel(level);
    TUNED.clear();
    for (Map.Entry<String, Level> library : LIBRARIES.entrySet()) {
      Level quieter = library.getValue().intValue() > level.intValue() ? library.getValue() : level;
      tune(library.getKey(), quieter);
    }
  }

  /**
   * Sets the configured levels; a logger set below the daemon's level is let through the handler
   * too, so {@code io.tandem.broker.store=FINE} shows the store's FINE lines and no one else's.
   */
  public static synchronized void apply(LogLevels levels) {
    for (Map.Entry<String, Level> e : levels.levels().entrySet()) {
      tune(e.getKey(), e.getValue());
      if (console != null && e.getValue().intValue() < console.getLevel().intValue()) {
        console.setLevel(e.getValue());
      }
    }
  }

  private static void tune(String name, Level level) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(level);
    TUNED.add(logger);
  }
}
