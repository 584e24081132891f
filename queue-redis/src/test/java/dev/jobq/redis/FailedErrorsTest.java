package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.jobq.Job;
import dev.jobq.redis.DoctorReport.Finding;
import dev.jobq.spi.FailedJob;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The failed jobs' errors in short (failed_errors): kept by the scripts, read by grouping. */
class FailedErrorsTest {
  final Fixture f = new Fixture(RedisConfig.builder().failedRetention(Duration.ofHours(1)));
  final Keys k = new Keys(f.prefix, "default");

  @AfterEach
  void close() {
    f.close();
  }

  private Job failed(String id, String message) {
    f.client.enqueue(job("t").id(id).maxAttempts(1).build());
    Job j = f.broker.claim("default", "w1", 1, Duration.ofSeconds(30)).get(0);
    f.broker.fail("default", id, j.token(), Failure.of("E", message), null);
    return j;
  }

  @Test
  void aFailedJobHasItsErrorInShortUntilItLeavesTheFailedSet() {
    failed("a", "disk full\nat line 2");

    assertThat(f.jedis.hgetAll(k.failedErrors()))
        .containsExactly(Map.entry("a", Fixture.START.toEpochMilli() + "\ndisk full\nE"));

    f.client.retryFailed("default", List.of("a"));
    assertThat(f.jedis.exists(k.failedErrors())).isFalse();
  }

  @Test
  void failedJobsTrimmedByTheirRetentionTakeTheirErrorsInShortWithThem() {
    failed("old", "x");
    f.clock.advance(Duration.ofMinutes(61));
    failed("new", "y");

    assertThat(f.jedis.hkeys(k.failedErrors())).containsExactly("new");
    assertThat(f.jedis.zrange(k.failed(), 0, -1)).containsExactly("new");
  }

  @Test
  void aJobFailedBeforeErrorsInShortWereKeptIsReadWholeAndTheDoctorWritesItsOwn() {
    failed("before", "older\nstack");
    f.clock.advance(Duration.ofSeconds(1));
    failed("after", "newer");
    f.jedis.hdel(k.failedErrors(), "before"); // as a job failed under an earlier version

    List<FailedJob> newest = f.broker.newestFailed("default", 10);
    assertThat(newest).extracting(FailedJob::id).containsExactly("after", "before");
    assertThat(newest.get(1)).isEqualTo(
        new FailedJob("before", "E", "older", Fixture.START));

    DoctorReport seen = f.broker.tools().doctor("default", false);
    assertThat(seen.findings()).extracting(Finding::problem).singleElement().asString()
        .contains("1 failed job (before) has no error in short");
    DoctorReport repaired = f.broker.tools().doctor("default", true);
    assertThat(repaired.findings()).singleElement().matches(Finding::repaired);
    assertThat(f.jedis.hkeys(k.failedErrors())).containsExactlyInAnyOrder("before", "after");
    assertThat(f.broker.newestFailed("default", 10)).isEqualTo(newest);
  }

  @Test
  void aFailedJobWhoseErrorInShortWasCutIsReadWholeNotLeftOut() {
    failed("cut", "disk full\nat line 2");
    f.jedis.hset(k.failedErrors(), "cut", "1700000000000"); // cut by hand, no longer three lines

    assertThat(f.broker.newestFailed("default", 10))
        .containsExactly(new FailedJob("cut", "E", "disk full", Fixture.START));
    assertThat(f.broker.tools().doctor("default", true).findings()).singleElement()
        .matches(Finding::repaired);
  }

  @Test
  void errorsInShortThatCannotBeReadAreLoggedOnceACallNotOnceAJob() {
    for (String id : List.of("cut1", "cut2", "cut3")) {
      failed(id, "disk full");
      f.jedis.hset(k.failedErrors(), id, "1700000000000");
    }
    Logger logger = (Logger) LoggerFactory.getLogger(JobQueries.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      assertThat(f.broker.newestFailed("default", 10)).hasSize(3);
    } finally {
      logger.detachAppender(logged);
    }
    assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains("3 failed job(s)")
            .contains("cut1").contains("doctor --repair"));
    assertThat(f.broker.tools().doctor("default", true).findings()).hasSize(3)
        .allMatch(Finding::repaired);
  }

  @Test
  void anIdInFailedWithNoJobIsDroppedWithItsErrorInShortAsOneRepair() {
    failed("gone", "x");
    f.jedis.hdel(k.jobs(), "gone"); // its error in short and index entry left behind

    DoctorReport seen = f.broker.tools().doctor("default", false);
    assertThat(seen.findings()).extracting(Finding::problem).singleElement().asString()
        .contains("gone").contains("has no job");
    assertThat(f.broker.tools().doctor("default", true).findings()).singleElement()
        .matches(Finding::repaired);
    assertThat(f.jedis.exists(k.failedErrors())).isFalse();
    assertThat(f.jedis.zcard(k.failed())).isZero();
  }

  @Test
  void theDoctorRewritesAWrongErrorInShortAndDropsOneOfAJobThatIsNotFailed() {
    failed("wrong", "x");
    f.jedis.hset(k.failedErrors(), "wrong", "1\nsomething else\nE");
    f.jedis.hset(k.failedErrors(), "stray", "1\nx\nE");

    DoctorReport seen = f.broker.tools().doctor("default", false);
    assertThat(seen.findings()).extracting(Finding::problem)
        .anySatisfy(p -> assertThat(p).contains("wrong").contains("disagrees"))
        .anySatisfy(p -> assertThat(p).contains("stray").contains("not a failed job"));

    assertThat(f.broker.tools().doctor("default", true).findings()).allMatch(Finding::repaired);
    assertThat(f.jedis.hgetAll(k.failedErrors())).containsExactly(
        Map.entry("wrong", Fixture.START.toEpochMilli() + "\nx\nE"));
  }
}
