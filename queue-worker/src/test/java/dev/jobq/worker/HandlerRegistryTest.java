package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.JobHandler;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandlerRegistryTest {
  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void serviceLoaderFindsProvidersOnTheClasspath() throws Exception {
    HandlerRegistry r = HandlerRegistry.build(Map.of(), List.of(), List.of(loader), false);
    assertThat(r.types()).containsExactly("jobq.echo", "test.discovered");
    assertThat(r.find("test.discovered").handle(null)).isEqualTo("discovered");
  }

  @Test
  void codeWinsOverDiscoveredWhichWinsOverBuiltIn() throws Exception {
    JobHandler mine = ctx -> "mine";
    HandlerRegistry r = HandlerRegistry.build(Map.of("test.discovered", mine), List.of(), List.of(loader), true);
    assertThat(r.find("test.discovered")).isSameAs(mine);
    assertThat(r.find("jobq.echo").handle(null)).isEqualTo("provider's echo");
    assertThat(r.find("jobq.noop")).isNotNull();
  }

  @Test
  void twoProvidersForOneTypeAreRefusedNamingBoth(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services/dev.jobq.JobHandlerProvider");
    Files.createDirectories(services.getParent());
    Files.writeString(services, TestHandlerProvider.Conflicting.class.getName() + "\n"
        + TestHandlerProvider.Other.class.getName() + "\n");
    try (URLClassLoader jar = new URLClassLoader(new URL[] {dir.toUri().toURL()}, loader)) {
      assertThatThrownBy(() -> HandlerRegistry.build(Map.of(), List.of(), List.of(jar), true))
          .hasMessageContaining("'test.dup' has two handler providers")
          .hasMessageContaining("Conflicting").hasMessageContaining("Other");
    }
  }

  @Test
  void aProviderThatCannotLoadIsReportedClearly(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services/dev.jobq.JobHandlerProvider");
    Files.createDirectories(services.getParent());
    Files.writeString(services, "com.example.Missing\n");
    try (URLClassLoader jar = new URLClassLoader(new URL[] {dir.toUri().toURL()}, loader)) {
      assertThatThrownBy(() -> HandlerRegistry.build(Map.of(), List.of(), List.of(jar), true))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("com.example.Missing");
    }
  }
}
