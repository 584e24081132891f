package dev.jobq.cli;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.InvalidJobException;
import dev.jobq.JobqException;
import java.io.PrintWriter;
import java.net.UnknownHostException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * Turns every error into one line on stderr, {@code jobq: <what went wrong>}, and an exit code:
 * 2 for what the user typed or fed in, 1 for everything else. Stack traces only with --verbose:
 * an operator needs the reason, not our call stack.
 */
final class Errors implements IExecutionExceptionHandler, IParameterExceptionHandler {
  static final int FAILED = 1;
  static final int USAGE = 2;

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("jobq: " + ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    if (root(cmd).verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    boolean verbose = root(cmd).verbose;
    err.println("jobq: " + message(ex, verbose));
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return exitCode(ex);
  }

  static int exitCode(Exception ex) {
    return ex instanceof UsageError || ex instanceof InvalidJobException ? USAGE : FAILED;
  }

  private static String message(Exception ex, boolean verbose) {
    if (ex instanceof BrokerUnavailableException unavailable) {
      return unavailable(unavailable);
    }
    if (ex instanceof UsageError || ex instanceof CommandFailed || ex instanceof JobqException) {
      return ex.getMessage();
    }
    // Not one of ours: a bug or an unforeseen failure, so name the exception type.
    return "unexpected error: " + ex + (verbose ? "" : " (run with --verbose for the stack trace)");
  }

  /**
   * The broker's message, plus the socket's own reason (connection refused, unknown host, timed
   * out) when Jedis keeps it only as a suppressed exception, which the message leaves out.
   */
  static String unavailable(BrokerUnavailableException ex) {
    String message = ex.getMessage();
    for (Throwable t = ex; t != null && t.getCause() != t; t = t.getCause()) {
      if (t.getSuppressed().length > 0) {
        String reason = reason(t.getSuppressed()[0]);
        return message.contains(reason) ? message : message + " (" + reason + ")";
      }
    }
    return message;
  }

  private static String reason(Throwable t) {
    if (t instanceof UnknownHostException) {
      return "unknown host " + t.getMessage();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  private static Jobq root(CommandLine cmd) {
    CommandLine c = cmd;
    while (c.getParent() != null) {
      c = c.getParent();
    }
    return (Jobq) c.getCommand();
  }
}
