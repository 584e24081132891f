package dev.jobq.cli;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code --handler-path} of the worker and of enqueue: jars, or directories whose jars all
 * count, separated by ':' (';' on Windows). They are loaded in a class loader of their own, whose
 * parent is the CLI's, so that handler jars need only declare queue-core as provided.
 */
final class HandlerPath {
  private HandlerPath() {}

  static URLClassLoader loader(String path, ClassLoader parent) {
    List<URL> urls = new ArrayList<>();
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        urls.addAll(jars(Path.of(entry.trim())));
      }
    }
    if (urls.isEmpty()) {
      throw new UsageError("the handler path '" + path + "' names no jar");
    }
    return new URLClassLoader("jobq-handlers", urls.toArray(new URL[0]), parent);
  }

  private static List<URL> jars(Path entry) {
    if (Files.isRegularFile(entry)) {
      return List.of(url(entry));
    }
    if (!Files.isDirectory(entry)) {
      throw new UsageError("handler path entry '" + entry + "' does not exist: give jars or"
          + " directories of jars, separated by '" + File.pathSeparator + "'");
    }
    try (Stream<Path> files = Files.list(entry)) {
      List<URL> jars = files.filter(f -> f.getFileName().toString().endsWith(".jar"))
          .sorted().map(HandlerPath::url).toList();
      if (jars.isEmpty()) {
        throw new UsageError("handler path directory '" + entry + "' holds no .jar file");
      }
      return jars;
    } catch (IOException e) {
      throw new UsageError("cannot list handler path directory '" + entry + "': " + e.getMessage());
    }
  }

  private static URL url(Path file) {
    try {
      return file.toAbsolutePath().toUri().toURL();
    } catch (MalformedURLException e) {
      throw new UsageError("handler path entry '" + file + "' is not a usable file name");
    }
  }
}
