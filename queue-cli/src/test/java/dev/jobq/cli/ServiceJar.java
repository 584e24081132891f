package dev.jobq.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A jar holding only a {@link java.util.ServiceLoader} file that names a class of the test
 * classpath: the test classpath has no such file, so the CLI finds the class through a jar on
 * --handler-path or not at all.
 */
final class ServiceJar {
  private ServiceJar() {}

  static <T> void write(Path jar, Class<T> service, Class<? extends T> provider)
      throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("META-INF/services/" + service.getName()));
      out.write((provider.getName() + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
  }
}
