package dev.jobq.spi;

/**
 * The shared state behind producers, workers and operators: one backend seen by its three
 * kinds of caller, {@link WorkerBroker}, {@link ClientBroker} and {@link AdminBroker}. A
 * broker (Redis, in memory) implements all three; a caller asks for the role it needs.
 */
public interface Broker extends WorkerBroker, AdminBroker {
  @Override
  void close();
}
