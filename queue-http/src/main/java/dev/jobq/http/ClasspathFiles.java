package dev.jobq.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Files this server serves or reads from its jar and the webjars beside it. */
final class ClasspathFiles {
  private ClasspathFiles() {}

  /**
   * The file at {@code resource}, a path from the classpath's root without a leading '/'; null
   * when there is none.
   */
  static byte[] read(String resource) {
    try (InputStream in = ClasspathFiles.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " from the jar", e);
    }
  }

  /** A file that must be there, as text. */
  static String text(String resource) {
    byte[] bytes = read(resource);
    if (bytes == null) {
      throw new IllegalStateException(resource + " is missing from the classpath: the jar of"
          + " queue-http or a webjar it needs is incomplete, rebuild it");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
