package dev.jobq.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real Redis Cluster for tests: three masters ({@code redis-server --cluster-enabled yes}) on
 * free ports, joined by {@code redis-cli --cluster create}, each serving a third of the slots,
 * with no replicas or one each ({@link #withReplicas}, promoted two seconds after their master
 * stops answering; without replicas the nodes wait Redis's default 15 s before they deem one
 * failed, so that a loaded test machine does not take the cluster down). Closing it stops the servers and deletes their files.
 */
public final class TestCluster implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final int MASTERS = 3;

  private final Path dir;
  private final List<Integer> ports;
  private final List<Process> servers;
  private final int replicas;

  private TestCluster(Path dir, List<Integer> ports, List<Process> servers, int replicas) {
    this.dir = dir;
    this.ports = ports;
    this.servers = servers;
    this.replicas = replicas;
  }

  /** Three masters, no replicas. */
  public static TestCluster start() {
    return start(0);
  }

  /** Three masters with a replica each. */
  public static TestCluster withReplicas() {
    return start(1);
  }

  /**
   * A port found free can be taken by another process (an outgoing connection's ephemeral port,
   * often the bus port) before redis-server binds it: that node exits at once, and the cluster
   * is started again on other ports, a few times.
   */
  private static TestCluster start(int replicas) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(replicas);
      } catch (NodeExitedException e) {
        if (attempt == 3) {
          throw new IllegalStateException("could not start a Redis Cluster: " + e.getMessage(), e);
        }
      }
    }
  }

  private static final class NodeExitedException extends RuntimeException {
    NodeExitedException(String message) {
      super(message);
    }
  }

  private static TestCluster startOnce(int replicas) {
    String server = binary("redis-server");
    String cli = binary("redis-cli");
    List<Process> servers = new ArrayList<>();
    try {
      Path dir = Files.createTempDirectory("jobq-cluster-");
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < MASTERS * (1 + replicas); i++) {
        int port = freePortWithBus(ports);
        ports.add(port);
        Path node = Files.createDirectories(dir.resolve("node-" + port));
        servers.add(new ProcessBuilder(server, "--port", Integer.toString(port),
            "--bind", "127.0.0.1", "--cluster-enabled", "yes",
            "--cluster-node-timeout", replicas > 0 ? "2000" : "15000",
            "--cluster-config-file", node.resolve("nodes.conf").toString(),
            "--dir", node.toString(), "--save", "", "--appendonly", "no",
            "--logfile", node.resolve("redis.log").toString())
            .redirectErrorStream(true).redirectOutput(node.resolve("stdout.log").toFile())
            .start());
      }
      TestCluster cluster = new TestCluster(dir, List.copyOf(ports), servers, replicas);
      cluster.create(cli);
      return cluster;
    } catch (NodeExitedException e) {
      servers.forEach(Process::destroyForcibly);
      throw e;
    } catch (IOException | RuntimeException e) {
      servers.forEach(Process::destroyForcibly);
      throw new IllegalStateException("could not start a Redis Cluster: " + e.getMessage(), e);
    }
  }

  /** The seed nodes as a URL names them: {@code 127.0.0.1:p1,127.0.0.1:p2,…}. */
  public String addresses() {
    return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  public String url() {
    return "redis-cluster://" + addresses();
  }

  public List<Integer> ports() {
    return ports;
  }

  /** The port of the master that serves the key's slot, as the masters themselves say. */
  public int portOf(String key) {
    int slot = JedisClusterCRC16.getSlot(key);
    for (int port : ports) {
      try (Jedis jedis = new Jedis("127.0.0.1", port)) {
        for (String line : jedis.clusterNodes().split("\n")) {
          if (line.contains("myself") && serves(line, slot)) {
            return port;
          }
        }
      } catch (JedisConnectionException killed) {
        // a node this test killed holds nothing now
      }
    }
    throw new IllegalStateException("no master serves slot " + slot);
  }

  /** The port of the master that holds the queue (all its keys are in one slot). */
  public int portOfQueue(String prefix, String queue) {
    return portOf(new Keys(prefix, queue).base);
  }

  /**
   * The first queues named q0, q1, … whose slots are on different masters, one per master:
   * queue name to the master's port.
   */
  public Map<String, Integer> queuePerMaster(String prefix) {
    Map<String, Integer> found = new LinkedHashMap<>();
    for (int i = 0; found.size() < MASTERS; i++) {
      int port = portOfQueue(prefix, "q" + i);
      if (!found.containsValue(port)) {
        found.put("q" + i, port);
      }
    }
    return found;
  }

  /**
   * Moves the queue's slot, and its keys, to the master on {@code toPort}, as {@code redis-cli
   * --cluster reshard} does (see {@link SlotMove}). Clients that knew the old owner are answered
   * MOVED there.
   */
  public void moveQueue(String prefix, String queue, int toPort) {
    startMove(prefix, queue, toPort).finish();
  }

  /** Starts moving the queue's slot to the master on {@code toPort}; the test takes the steps. */
  public SlotMove startMove(String prefix, String queue, int toPort) {
    String key = new Keys(prefix, queue).base;
    return SlotMove.start(masterPorts(), JedisClusterCRC16.getSlot(key), portOf(key), toPort);
  }

  /** The ports of the nodes that are masters now (a killed node is none). */
  public List<Integer> masterPorts() {
    List<Integer> masters = new ArrayList<>();
    for (int port : ports) {
      if (check(port, jedis -> jedis.info("replication").contains("role:master"))) {
        masters.add(port);
      }
    }
    return masters;
  }

  /** A connection to one node, for looking at what it holds. */
  public Jedis node(int port) {
    return new Jedis("127.0.0.1", port);
  }

  private static boolean serves(String nodesLine, int slot) {
    String[] fields = nodesLine.trim().split(" ");
    for (int i = 8; i < fields.length; i++) {
      if (fields[i].startsWith("[")) {
        continue; // a slot being migrated
      }
      String[] range = fields[i].split("-");
      int from = Integer.parseInt(range[0]);
      int to = Integer.parseInt(range[range.length - 1]);
      if (slot >= from && slot <= to) {
        return true;
      }
    }
    return false;
  }

  private void create(String cli) throws IOException {
    awaitAll("answers PING", jedis -> "PONG".equals(jedis.ping()));
    List<String> command = new ArrayList<>(List.of(cli, "--cluster", "create"));
    ports.forEach(p -> command.add("127.0.0.1:" + p));
    command.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
    Process create = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("create.log").toFile()).start();
    try {
      if (!create.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || create.exitValue() != 0) {
        throw new IOException("redis-cli --cluster create failed: "
            + Files.readString(dir.resolve("create.log")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while creating the cluster", e);
    }
    awaitAll("says cluster_state:ok",
        jedis -> jedis.clusterInfo().contains("cluster_state:ok"));
    awaitAll("is a master or a replica in sync", jedis -> {
      String info = jedis.info("replication");
      return info.contains("role:master") || info.contains("master_link_status:up");
    });
  }

  /** Kills the node on the port with SIGKILL, as a crash would: no goodbye to the cluster. */
  public void kill(int port) {
    Process p = servers.get(ports.indexOf(port));
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitAll(String what, java.util.function.Predicate<Jedis> ready) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    for (int port : ports) {
      while (!check(port, ready)) {
        if (!servers.get(ports.indexOf(port)).isAlive()) {
          throw new NodeExitedException("the node on port " + port + " exited: " + logTail(port));
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("the node on port " + port + " never " + what + " within "
              + START_TIMEOUT);
        }
        try {
          Thread.sleep(20); // polling processes we just started: there is nothing to wait on
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while starting the cluster", e);
        }
      }
    }
  }

  private String logTail(int port) {
    return RawServer.tail(dir.resolve("node-" + port).resolve("redis.log"));
  }

  private static boolean check(int port, java.util.function.Predicate<Jedis> ready) {
    try (Jedis jedis = new Jedis("127.0.0.1", port)) {
      return ready.test(jedis);
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  @Override
  public void close() {
    for (Process p : servers) {
      p.destroyForcibly();
    }
    for (Process p : servers) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }

  /** A free port whose cluster bus port (+10000) is free too. */
  private static int freePortWithBus(List<Integer> taken) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
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

  private static String binary(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    if (Boolean.getBoolean("redis.required")) {
      throw new IllegalStateException(name + " is not on PATH (redis.required=true): run"
          + " scripts/test");
    }
    Assumptions.abort(name + " is not on PATH: install redis-server (redis-cli comes with it)");
    throw new AssertionError();
  }
}
