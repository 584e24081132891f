package dev.jobq.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code jobq --version}: the Maven version, filtered into a resource at build time. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"jobq " + version()};
  }

  static String version() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // an unreadable resource in our own jar: fall through to the manifest
    }
    String v = p.getProperty("version", "");
    if (v.isEmpty() || v.startsWith("${")) {
      v = Version.class.getPackage().getImplementationVersion();
    }
    return v == null ? "unknown" : v;
  }
}
