package dev.jobq.cli;

import dev.jobq.redis.RedisConfig;
import dev.jobq.worker.Worker;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The {@code jobq} command. Run it with {@link #main}; tests run it in process through {@link
 * #commandLine(Jobq)}, giving it an environment of their own.
 *
 * <p>Static initialisation stays light on purpose: {@code jobq --help} and {@code --version}
 * neither connect to Redis nor start Logback.
 */
@Command(
    name = "jobq",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Operates jobq, the Redis-backed job queue: runs workers, enqueues jobs, shows and repairs"
          + " queues.",
      "",
      "Every command takes the Redis options below; the environment gives their defaults."
    },
    subcommands = {
      WorkerCommand.class,
      ServeCommand.class,
      EnqueueCommand.class,
      MonitorCommand.class,
      StatsCommand.class,
      WorkersCommand.class,
      ListCommand.class,
      ShowCommand.class,
      WatchCommand.class,
      EventsCommand.class,
      ScheduleCommand.class,
      LimitsCommand.class,
      CancelCommand.class,
      RetryFailedCommand.class,
      ClearCommand.class,
      PurgeCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      DoctorCommand.class,
      BenchCommand.class,
      AutoComplete.GenerateCompletion.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the operation failed (the reason is on stderr), or Redis could not be reached",
      "2:usage error: a bad option, value, Redis URL or input line; nothing was changed"
    },
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  REDIS_URL       default for --redis-url; without it the URL is built from",
      "                  REDIS_HOST, REDIS_PORT, REDIS_PASSWORD and REDIS_DB",
      "  JOBQ_PREFIX     default for --prefix",
      "  REDIS_CA_FILE   default for --redis-ca-file",
      "  JOBQ_*          worker settings: see 'jobq worker --help'",
      "",
      "Example:",
      "  jobq --redis-url redis://localhost:6379 enqueue jobq.echo --payload '{\"hi\":1}'",
      "  jobq monitor --watch"
    })
public final class Jobq {
  @Mixin RedisOptions redis;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;

  private final Map<String, String> env;
  private InputStream stdin = System.in;
  private Consumer<Worker> workerStarting = w -> {};

  /** Reads its defaults from the process environment. */
  public Jobq() {
    this(System.getenv());
  }

  /** Reads its defaults from {@code env} instead of the process environment. */
  public Jobq(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
  }

  public static void main(String[] args) {
    System.exit(commandLine(new Jobq()).execute(args));
  }

  /** A command line for {@code jobq} with its error handling: one line per error, exit 1 or 2. */
  public static CommandLine commandLine(Jobq jobq) {
    CommandLine cmd = new CommandLine(jobq);
    // "@file" is ours (enqueue --payload @file), not picocli's argument files
    cmd.setExpandAtFiles(false);
    Errors errors = new Errors();
    cmd.setExecutionExceptionHandler(errors);
    cmd.setParameterExceptionHandler(errors);
    // picocli's own subcommand: give it the example every other command has
    cmd.getSubcommands().get("generate-completion").getCommandSpec().usageMessage()
        .footer("", "Example:", "  source <(jobq generate-completion)");
    return cmd;
  }

  Env env() {
    return new Env(env);
  }

  /** The Redis settings from the flags, else the environment. */
  RedisConfig redisConfig(int poolSize) {
    return redis.config(env, poolSize);
  }

  InputStream stdin() {
    return stdin;
  }

  /** Tests feed {@code enqueue --stdin} from here. */
  Jobq stdin(InputStream in) {
    this.stdin = Objects.requireNonNull(in, "stdin");
    return this;
  }

  /** Called with the built worker before it starts: tests keep it to stop it. */
  Jobq onWorkerStarting(Consumer<Worker> hook) {
    this.workerStarting = Objects.requireNonNull(hook, "hook");
    return this;
  }

  Consumer<Worker> workerStarting() {
    return workerStarting;
  }
}
