package dev.jobq.redis;

import java.util.List;
import java.util.Map;

/**
 * What only a Redis broker offers beyond {@link dev.jobq.spi.Broker}, for operators' tools and
 * benchmarks: the doctor, Redis's INFO and the settings that put jobs at risk, how many events
 * a queue keeps, and wiping a throwaway prefix. From {@link RedisBroker#tools()}.
 */
public final class RedisTools {
  private final RedisParts parts;

  RedisTools(RedisParts parts) {
    this.parts = parts;
  }

  /**
   * Settings of the Redis server that put jobs at risk, each a sentence saying what to change;
   * empty when there are none or the server does not let us read its configuration.
   */
  public List<String> serverWarnings() {
    return parts.server.warnings();
  }

  /**
   * One section of Redis's {@code INFO} ({@code memory}, {@code cpu}, {@code commandstats}, …)
   * as field to value, for benchmarks and diagnostics. Under a cluster, of the one master that
   * holds the keys of no queue (registries): see {@link #serverInfoByNode} for every master.
   */
  public Map<String, String> serverInfo(String section) {
    return parts.server.info(section);
  }

  /**
   * As {@link #serverWarnings}, per node: under a cluster each master's by its {@code host:port}
   * (sorted), a master without any under an empty list; on one server one entry, under its
   * {@code host:port} (under Sentinel, the master's name). Empty when the configuration cannot
   * be read.
   */
  public Map<String, List<String>> serverWarningsByNode() {
    return parts.server.warningsByNode();
  }

  /**
   * One section of INFO from every node that holds queues: under a cluster each master's, by
   * its {@code host:port} (sorted); on one server one entry, named as in
   * {@link #serverWarningsByNode}. {@link #serverInfo} reads one node only.
   */
  public Map<String, Map<String, String>> serverInfoByNode(String section) {
    return parts.server.infoByNode(section);
  }

  /**
   * The node that holds the queue, named as in {@link #serverInfoByNode}: under a cluster the
   * master that serves the queue's slot, as this client last learnt it.
   */
  public String nodeOf(String queue) {
    return parts.redis.nodeOf(new Keys(parts.config.prefix(), queue).base);
  }

  /**
   * Deletes every key under this broker's prefix and returns how many there were. Meant for
   * throwaway prefixes, such as the one {@code jobq bench} writes under; never point it at a
   * prefix whose jobs you want.
   */
  public long deletePrefix() {
    return parts.operations.deletePrefix();
  }

  /**
   * Checks that every job of the queue is in exactly one of its sets and that its status says
   * which; with {@code repair}, fixes what is safe to fix (ids without a job, jobs in no set,
   * an active job without a lease) and reports the rest.
   */
  public DoctorReport doctor(String queue, boolean repair) {
    return parts.doctor.examine(queue, repair);
  }

  /**
   * Keeps about {@code kept} events in the queue's stream (10,000 unless set); 0 turns events
   * off, which also leaves {@link dev.jobq.JobClient#await} re-reading the job every few seconds.
   */
  public void setEventsKept(String queue, long kept) {
    parts.events.setKept(queue, kept);
  }
}
