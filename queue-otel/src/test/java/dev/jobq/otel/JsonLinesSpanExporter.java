package dev.jobq.otel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A span exporter for a worker JVM of the tests: each finished span as one line of JSON appended
 * to a file the test JVM reads ({@link SpanLine} reads it back).
 */
final class JsonLinesSpanExporter implements SpanExporter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  JsonLinesSpanExporter(Path file) {
    this.file = file;
  }

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> spans) {
    StringBuilder lines = new StringBuilder();
    for (SpanData s : spans) {
      lines.append(line(s)).append('\n');
    }
    try {
      Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  private static String line(SpanData s) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    s.getAttributes().forEach((key, value) -> attributes.put(key.getKey(), String.valueOf(value)));
    List<Map<String, String>> links = s.getLinks().stream().map(JsonLinesSpanExporter::link).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", s.getName());
    out.put("kind", s.getKind().name());
    out.put("traceId", s.getTraceId());
    out.put("spanId", s.getSpanId());
    out.put("parentSpanId", s.getParentSpanId());
    out.put("links", links);
    out.put("attributes", attributes);
    out.put("status", s.getStatus().getStatusCode().name());
    try {
      return JSON.writeValueAsString(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> link(LinkData l) {
    return Map.of("traceId", l.getSpanContext().getTraceId(), "spanId", l.getSpanContext().getSpanId());
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
