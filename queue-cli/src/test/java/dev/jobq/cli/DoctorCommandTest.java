package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.JobRequest;
import dev.jobq.redis.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class DoctorCommandTest {
  private final Cli cli = Cli.fresh();

  @AfterEach
  void close() {
    cli.close();
  }

  @Test
  void healthyQueueExitsZero() {
    cli.client().enqueue(JobRequest.builder("a").queue("q").build());

    Cli.Result r = cli.run("doctor");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("queue q: 1 jobs checked, no problems");
  }

  @Test
  void orphanIdIsReportedThenRepaired() {
    String id = cli.client().enqueue(JobRequest.builder("a").queue("q").build()).jobId();
    TestRedis redis = TestRedis.shared();
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      jedis.hdel(cli.prefix() + ":{q}:jobs", id);
    }

    Cli.Result seen = cli.run("doctor", "--queue", "q");
    assertThat(seen.exitCode()).isEqualTo(1);
    assertThat(seen.out()).contains("repairable: job " + id + " is in", "but has no job");

    Cli.Result fixed = cli.run("doctor", "--queue", "q", "--repair", "--json");
    assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
    assertThat(fixed.json().get("queues").get(0).get("findings").get(0).get("repaired").asBoolean())
        .isTrue();
    assertThat(cli.run("doctor", "--queue", "q").exitCode()).isZero();
  }
}
