package dev.jobq.worker;

import dev.jobq.JobHandler;
import dev.jobq.JobHandlerProvider;
import dev.jobq.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Handlers by job type. Handlers registered in code win over discovered ones, which win over the
 * built-ins; two providers claiming the same type is an error, because which one runs would
 * depend on classpath order.
 */
final class HandlerRegistry {
  private final Map<String, JobHandler> handlers;

  private HandlerRegistry(Map<String, JobHandler> handlers) {
    this.handlers = Map.copyOf(handlers);
  }

  static HandlerRegistry build(
      Map<String, JobHandler> inCode, List<ClassLoader> discoverFrom, boolean builtIns) {
    Map<String, JobHandler> all = new HashMap<>();
    if (builtIns) {
      all.putAll(BuiltInHandlers.all());
    }
    all.putAll(discover(discoverFrom));
    all.putAll(inCode);
    return new HandlerRegistry(all);
  }

  private static Map<String, JobHandler> discover(List<ClassLoader> loaders) {
    Map<String, JobHandler> found = new HashMap<>();
    Map<String, String> foundBy = new HashMap<>();
    for (ClassLoader loader : loaders) {
      for (JobHandlerProvider provider : load(loader)) {
        String providerName = provider.getClass().getName();
        Map<String, JobHandler> offered = provider.handlers();
        if (offered == null) {
          throw new IllegalStateException(providerName + ".handlers() returned null");
        }
        for (Map.Entry<String, JobHandler> e : offered.entrySet()) {
          String type = Names.checkType(e.getKey());
          String earlier = foundBy.putIfAbsent(type, providerName);
          if (earlier != null && !earlier.equals(providerName)) {
            throw new IllegalStateException("job type '" + type + "' has two handler providers, "
                + earlier + " and " + providerName + ": remove one jar from the classpath");
          }
          found.put(type, Objects.requireNonNull(e.getValue(),
              () -> providerName + " gave a null handler for '" + type + "'"));
        }
      }
    }
    return found;
  }

  private static List<JobHandlerProvider> load(ClassLoader loader) {
    List<JobHandlerProvider> providers = new ArrayList<>();
    try {
      for (JobHandlerProvider p : ServiceLoader.load(JobHandlerProvider.class, loader)) {
        providers.add(p);
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException("cannot load a handler provider listed in "
          + "META-INF/services/" + JobHandlerProvider.class.getName() + ": " + e.getMessage(), e);
    }
    return providers;
  }

  /** The handler for a type, or null. */
  JobHandler find(String type) {
    return handlers.get(type);
  }

  boolean isEmpty() {
    return handlers.isEmpty();
  }

  /** The known types, sorted: for the startup log and the unknown-type error. */
  List<String> types() {
    return List.copyOf(new TreeSet<>(handlers.keySet()));
  }
}
