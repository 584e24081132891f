package dev.jobq.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.Locale;
import java.util.Set;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the worker's log format and level through system properties that Logback reads when it
 * starts (which configuration file; the level in it). They must be set before the first logger
 * starts Logback, so commands hold no static loggers, and the worker calls this first thing.
 * Other commands keep logback.xml's WARN.
 */
final class Logging {
  /** Logback's own property naming its configuration file (or classpath resource). */
  private static final String CONFIG_FILE = "logback.configurationFile";
  private static final String JSON_CONFIG = "dev/jobq/cli/logback-json.xml";
  private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");

  private Logging() {}

  static void configureWorker(boolean json, String level) {
    String lvl = level.toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(lvl)) {
      throw new UsageError("invalid log level '" + level + "': use one of error, warn, info,"
          + " debug, trace");
    }
    if (json && System.getProperty(CONFIG_FILE) == null) {
      System.setProperty(CONFIG_FILE, JSON_CONFIG);
    }
    System.setProperty("jobq.log.level", lvl);
    // When Logback had started already (several commands in one JVM, as in tests), the level
    // still applies; the format stays as it was.
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(lvl));
    }
  }
}
