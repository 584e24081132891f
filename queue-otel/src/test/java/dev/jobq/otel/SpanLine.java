package dev.jobq.otel;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A span as {@link JsonLinesSpanExporter} wrote it in another JVM. */
@JsonIgnoreProperties(ignoreUnknown = true)
record SpanLine(String name, String kind, String traceId, String spanId, String parentSpanId,
    List<Map<String, String>> links, Map<String, String> attributes, String status) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every span in the file so far; none when it does not exist yet. */
  static List<SpanLine> readAll(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(SpanLine::parse).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SpanLine parse(String line) {
    try {
      return JSON.readValue(line, SpanLine.class);
    } catch (IOException e) {
      throw new UncheckedIOException("not a span line: " + line, e);
    }
  }
}
