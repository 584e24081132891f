package dev.jobq.worker;

import dev.jobq.JobContext;
import dev.jobq.JobHandler;
import dev.jobq.JobHandlerProvider;
import dev.jobq.JobMiddleware;
import dev.jobq.internal.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * What runs a job: handlers by job type, and the middleware around them. Handlers registered in
 * code win over discovered ones, which win over the built-ins; two providers claiming the same
 * type is an error, because which one runs would depend on classpath order. Middleware
 * registered in code comes first (outermost), then what {@link ServiceLoader} finds.
 */
final class HandlerRegistry {
  private final Map<String, JobHandler> handlers;
  private final List<JobMiddleware> middleware;

  private HandlerRegistry(Map<String, JobHandler> handlers, List<JobMiddleware> middleware) {
    this.handlers = Map.copyOf(handlers);
    this.middleware = List.copyOf(middleware);
  }

  static HandlerRegistry build(Map<String, JobHandler> inCode, List<JobMiddleware> middleware,
      List<ClassLoader> discoverFrom, boolean builtIns) {
    Map<String, JobHandler> all = new HashMap<>();
    if (builtIns) {
      all.putAll(BuiltInHandlers.all());
    }
    all.putAll(discover(discoverFrom));
    all.putAll(inCode);
    List<JobMiddleware> chain = new ArrayList<>(middleware);
    for (ClassLoader loader : discoverFrom) {
      chain.addAll(load(JobMiddleware.class, loader));
    }
    return new HandlerRegistry(all, chain);
  }

  /** Runs the middleware chain around {@code handler}; the first middleware is the outermost. */
  Object run(JobContext ctx, JobMiddleware.Next handler) throws Exception {
    return proceed(0, ctx, handler);
  }

  private Object proceed(int i, JobContext ctx, JobMiddleware.Next handler) throws Exception {
    if (i == middleware.size()) {
      return handler.proceed();
    }
    return middleware.get(i).around(ctx, () -> proceed(i + 1, ctx, handler));
  }

  private static Map<String, JobHandler> discover(List<ClassLoader> loaders) {
    Map<String, JobHandler> found = new HashMap<>();
    Map<String, String> foundBy = new HashMap<>();
    for (ClassLoader loader : loaders) {
      for (JobHandlerProvider provider : load(JobHandlerProvider.class, loader)) {
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

  private static <T> List<T> load(Class<T> service, ClassLoader loader) {
    List<T> providers = new ArrayList<>();
    try {
      for (T p : ServiceLoader.load(service, loader)) {
        providers.add(p);
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException("cannot load a class listed in META-INF/services/"
          + service.getName() + ": " + e.getMessage(), e);
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

  /** The middleware's class names, outermost first: for the startup log. */
  List<String> middlewareNames() {
    return middleware.stream().map(m -> m.getClass().getName()).toList();
  }

  /** The known types, sorted: for the startup log and the unknown-type error. */
  List<String> types() {
    return List.copyOf(new TreeSet<>(handlers.keySet()));
  }
}
