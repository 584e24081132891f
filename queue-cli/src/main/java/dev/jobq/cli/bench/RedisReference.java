package dev.jobq.cli.bench;

import dev.jobq.redis.RedisConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What the Redis under test does on this machine without jobq: {@code redis-benchmark} calling
 * {@code EVALSHA} of a script that returns 1, the cheapest script call there is, with and
 * without pipelining. jobq's figures are read against these.
 */
public final class RedisReference {
  private static final String SCRIPT = "return 1";
  public static final int CLIENTS = 50;
  public static final int PIPELINE = 16;

  /** Operations per second; both absent when {@code redis-benchmark} is not installed. */
  public record Figures(Double evalshaPerSecond, Double evalshaPipelinedPerSecond, String missing) {}

  private final RedisConfig config;

  RedisReference(RedisConfig config) {
    this.config = config;
  }

  Figures measure(int requests) {
    if (config.sentinel()) {
      return new Figures(null, null, "redis-benchmark is not run through Sentinel; run it"
          + " against the master");
    }
    try {
      load(SCRIPT);
      String sha = sha1(SCRIPT);
      double plain = run(requests, 1, "EVALSHA", sha, "0");
      double pipelined = run(requests * 4, PIPELINE, "EVALSHA", sha, "0");
      return new Figures(plain, pipelined, null);
    } catch (IOException e) {
      return new Figures(null, null, "redis-benchmark did not run (" + e.getMessage()
          + "); it comes with Debian's redis-tools package");
    }
  }

  /** SCRIPT LOAD through redis-benchmark itself, so that it needs no other client. */
  private void load(String script) throws IOException {
    output(1, 1, "SCRIPT", "LOAD", script);
  }

  private double run(int requests, int pipeline, String... command) throws IOException {
    return requestsPerSecond(output(requests, pipeline, command));
  }

  private String output(int requests, int pipeline, String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("redis-benchmark", "-h", config.host(),
        "-p", Integer.toString(config.port()), "-c", Integer.toString(CLIENTS),
        "-n", Integer.toString(requests), "-P", Integer.toString(pipeline), "--csv"));
    if (config.password() != null) {
      cmd.addAll(List.of("-a", config.password()));
      if (config.user() != null) {
        cmd.addAll(List.of("--user", config.user()));
      }
    }
    if (config.tls()) {
      cmd.add("--tls");
      if (config.caFile() != null) {
        cmd.addAll(List.of("--cacert", config.caFile().toString()));
      }
    }
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException("exit " + p.exitValue() + ": " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    return output;
  }

  /** The rps column of the CSV's one data row: {@code "EVALSHA …","96153.85",…}. */
  private static double requestsPerSecond(String csv) throws IOException {
    for (String line : csv.split("\\r?\\n")) {
      String[] cells = line.split("\",\"");
      if (cells.length > 1 && !cells[0].equals("\"test")) {
        try {
          return Double.parseDouble(cells[1].replace("\"", ""));
        } catch (NumberFormatException e) {
          break;
        }
      }
    }
    throw new IOException("unexpected output: " + csv.strip());
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
          .digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-1", e);
    }
  }
}
