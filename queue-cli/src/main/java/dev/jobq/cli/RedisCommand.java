package dev.jobq.cli;

import dev.jobq.internal.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that talks to Redis: opens a session, runs, closes it. Output goes through the
 * command line's writers, so that tests capture it; errors are thrown and become one line on
 * stderr in {@link Errors}.
 */
abstract class RedisCommand implements Callable<Integer> {
  /** Redis connections of a command that is not a worker: it makes a few calls in turn. */
  private static final int POOL_SIZE = 4;

  @ParentCommand Jobq jobq;
  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    prepare();
    return inSession(this::run);
  }

  /** Runs {@code work} with a session of its own: for subcommands written as methods. */
  int inSession(SessionWork work) throws Exception {
    try (Session session = Session.open(jobq.redisConfig(poolSize()))) {
      return work.run(session);
    }
  }

  interface SessionWork {
    int run(Session session) throws Exception;
  }

  abstract int run(Session session) throws Exception;

  /** Runs before Redis is connected: settings that must be in place first. */
  void prepare() {}

  int poolSize() {
    return POOL_SIZE;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** One JSON document on one line, so that --watch output is JSON lines. */
  void printJson(Object value) {
    out().println(Json.encode(value));
    out().flush();
  }
}
