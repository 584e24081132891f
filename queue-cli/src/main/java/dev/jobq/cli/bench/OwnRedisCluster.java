package dev.jobq.cli.bench;

import dev.jobq.cli.CommandFailed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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

  private final List<OwnRedisServer> servers = new ArrayList<>();

  private OwnRedisCluster() {}

  public static OwnRedisCluster start(int masters) {
    if (masters < MIN_MASTERS) {
      throw new IllegalArgumentException("masters < " + MIN_MASTERS + ": " + masters);
    }
    OwnRedisCluster cluster = new OwnRedisCluster();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < masters; i++) {
        ports.add(freePortWithBus(ports));
        cluster.servers.add(OwnRedisServer.start(ports.get(i), List.of("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes-" + ports.get(i) + ".conf")));
      }
      cluster.create();
      cluster.awaitOk();
      return cluster;
    } catch (IOException e) {
      cluster.close();
      throw new CommandFailed("could not start a Redis Cluster (" + e.getMessage() + "): install"
          + " redis-server and redis-tools (redis-cli), or give --redis-url"
          + " redis-cluster://host:port instead of --start-cluster");
    }
  }

  /** {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,…} */
  public String url() {
    return "redis-cluster://" + servers.stream().map(s -> "127.0.0.1:" + s.port())
        .collect(Collectors.joining(","));
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

  private static String run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(START_DEADLINE_MS, TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0));
    }
    return output;
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
