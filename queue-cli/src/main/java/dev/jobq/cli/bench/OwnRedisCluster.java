package dev.jobq.cli.bench;

import dev.jobq.cli.CommandFailed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Redis Cluster of {@code jobq bench --start-cluster}: masters without replicas, each a
 * {@link OwnRedisServer} with {@code --cluster-enabled yes} on a free port of 127.0.0.1 whose
 * bus port (+10000) is free too, joined by {@code redis-cli --cluster create}, each serving an
 * even share of the slots. Stopped and deleted by {@link #close}.
 */
public final class OwnRedisCluster implements AutoCloseable {
  /** The fewest masters {@code redis-cli --cluster create} accepts. */
  public static final int MIN_MASTERS = 3;
  private static final long START_DEADLINE_MS = 30_000;
  private static final int START_ATTEMPTS = 3;

  private final List<OwnRedisServer> servers = new ArrayList<>();

  private OwnRedisCluster() {}

  public static OwnRedisCluster start(int masters) {
    if (masters < MIN_MASTERS) {
      throw new IllegalArgumentException("masters < " + MIN_MASTERS + ": " + masters);
    }
    try {
      return startRetrying(masters);
    } catch (IOException | RuntimeException e) {
      throw new CommandFailed("could not start a Redis Cluster (" + e.getMessage() + "): install"
          + " redis-server and redis-tools (redis-cli), or give --redis-url"
          + " redis-cluster://host:port instead of --start-cluster");
    }
  }

  /**
   * A port found free can be taken by another process (an outgoing connection's ephemeral port,
   * often the bus port) before redis-server binds it: that node exits at once, and the cluster
   * is started again on other ports, a few times.
   */
  private static OwnRedisCluster startRetrying(int masters) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(masters);
      } catch (OwnRedisServer.Exited e) {
        if (attempt == START_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** Stops every server it started when anything goes wrong, whatever is thrown. */
  private static OwnRedisCluster startOnce(int masters) throws IOException {
    OwnRedisCluster cluster = new OwnRedisCluster();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < masters; i++) {
        ports.add(freePortWithBus(ports));
        cluster.servers.add(OwnRedisServer.start(ports.get(i), List.of("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes-" + ports.get(i) + ".conf")));
      }
      cluster.createAndAwaitOk();
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,…} */
  public String url() {
    return "redis-cluster://" + servers.stream().map(s -> "127.0.0.1:" + s.port())
        .collect(Collectors.joining(","));
  }

  /** A node that died meanwhile makes it an {@link OwnRedisServer.Exited}, to start again. */
  private void createAndAwaitOk() throws IOException {
    try {
      create();
      awaitOk();
    } catch (IOException e) {
      for (OwnRedisServer s : servers) {
        if (!s.alive()) {
          throw new OwnRedisServer.Exited("the redis-server on port " + s.port() + " exited ("
              + e.getMessage() + ")");
        }
      }
      throw e;
    }
  }

  private void create() throws IOException {
    List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    servers.forEach(s -> command.add("127.0.0.1:" + s.port()));
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    String output = run(command);
    if (!output.contains("[OK] All 16384 slots covered")) {
      throw new IOException("redis-cli --cluster create said: " + output.strip());
    }
  }

  /** Until every node says cluster_state:ok: it takes the nodes a moment to agree. */
  private void awaitOk() throws IOException {
    long deadline = System.currentTimeMillis() + START_DEADLINE_MS;
    for (OwnRedisServer s : servers) {
      List<String> info = List.of("redis-cli", "-p", Integer.toString(s.port()), "cluster", "info");
      while (!run(info).contains("cluster_state:ok")) {
        if (System.currentTimeMillis() > deadline) {
          throw new IOException("the node on port " + s.port() + " did not say cluster_state:ok"
              + " within " + START_DEADLINE_MS + " ms");
        }
        try {
          Thread.sleep(50); // polling processes we just started: there is nothing to wait on
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while the cluster started");
        }
      }
    }
  }

  /**
   * The command's output, once it exits 0 within the deadline. The output goes to a file, not
   * a pipe read before waiting: a redis-cli that hangs is then stopped at the deadline.
   */
  private static String run(List<String> command) throws IOException {
    Path output = Files.createTempFile("jobq-bench-redis-cli", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      boolean exited = waitFor(p, command);
      String said = Files.readString(output, StandardCharsets.UTF_8);
      if (!exited) {
        throw new IOException(String.join(" ", command) + " did not finish within "
            + START_DEADLINE_MS + " ms: " + said.strip());
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + said.strip());
      }
      return said;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** Whether it exited within the deadline; stopped if not. */
  private static boolean waitFor(Process p, List<String> command) throws IOException {
    try {
      if (p.waitFor(START_DEADLINE_MS, TimeUnit.MILLISECONDS)) {
        return true;
      }
      p.destroyForcibly();
      return false;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0));
    }
  }

  /** A free port whose cluster bus port (+10000) is free too. */
  private static int freePortWithBus(List<Integer> taken) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = OwnRedisServer.freePort();
      if (port + 10_000 > 65_535 || taken.contains(port) || taken.contains(port + 10_000)) {
        continue;
      }
      try (ServerSocket bus =
          new ServerSocket(port + 10_000, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException inUse) {
        // try another
      }
    }
    throw new IOException("found no free port whose port + 10000 is free too");
  }

  @Override
  public void close() {
    servers.forEach(OwnRedisServer::close);
  }
}
