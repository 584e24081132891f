package dev.jobq.redis;

import java.util.List;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Batches of commands, sent so that an error among their answers is thrown. {@link
 * Pipeline#sync()} keeps each command's error in its answer and throws it only when the answer
 * is read; unread, a refusal (MOVED after a reshard, WRONGTYPE) would be lost, and {@link
 * ClusterNodes} can only follow a refusal it sees thrown. So every pipeline ends here, read or
 * not, and so does every transaction: EXEC answers a command that failed as it ran the same way.
 */
final class Pipelines {
  private Pipelines() {}

  /** Sends the pipeline and throws the first error among its answers. */
  static void syncChecked(Pipeline p) {
    throwFirstError(p.syncAndReturnAll());
  }

  /**
   * Runs the transaction and throws the first error among its answers; null when a watched key
   * changed and Redis ran none of it.
   */
  static List<Object> execChecked(Transaction t) {
    List<Object> answers = t.exec();
    if (answers != null) {
      throwFirstError(answers);
    }
    return answers;
  }

  private static void throwFirstError(List<Object> answers) {
    for (Object answer : answers) {
      if (answer instanceof JedisDataException e) {
        throw e;
      }
    }
  }
}
