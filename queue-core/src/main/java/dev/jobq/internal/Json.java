package dev.jobq.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jobq.InvalidJobException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON codec. Payloads and results are plain JSON mapped onto the classes the caller
 * names; default typing is never enabled, so data can never choose which class gets built.
 */
public final class Json {
  /** Payloads nested deeper than this are refused before they reach Redis. */
  public static final int MAX_DEPTH = 500;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
          .build();

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(FACTORY)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private Json() {}

  /** Encodes a value; a {@code null} becomes JSON {@code null}. */
  public static String encode(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new InvalidJobException(
          "cannot encode " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage());
    }
  }

  /** Decodes JSON into the given class, never into a class named by the data. */
  public static <T> T decode(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new InvalidJobException(
          "cannot decode JSON as " + type.getSimpleName() + ": " + e.getOriginalMessage());
    }
  }

  /** Decodes a JSON object of strings, such as a job's headers. */
  public static java.util.Map<String, String> decodeStringMap(String json) {
    try {
      return MAPPER.readValue(json,
          new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new InvalidJobException("cannot decode JSON as an object of strings: "
          + e.getOriginalMessage());
    }
  }

  public static JsonNode tree(String json) {
    return decode(json, JsonNode.class);
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Checks that {@code json} is one JSON value of at most {@code maxBytes} UTF-8 bytes, nested at
   * most {@link #MAX_DEPTH} deep, without building it in memory. Returns it unchanged.
   */
  public static String checkPayload(String json, int maxBytes) {
    if (json == null) {
      throw new InvalidJobException("payload is missing: give a JSON value, such as {} or null");
    }
    long bytes = utf8Length(json, maxBytes);
    if (bytes > maxBytes) {
      throw new InvalidJobException(
          "payload is over " + maxBytes + " bytes (at least " + bytes + "): store large data"
              + " elsewhere and pass a reference, or raise the client's payload limit");
    }
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() == null) {
        throw new InvalidJobException("payload is empty: give a JSON value, such as {} or null");
      }
      p.skipChildren();
      JsonToken extra = p.nextToken();
      if (extra != null) {
        throw new InvalidJobException(
            "payload is not one JSON value: unexpected " + extra + " at offset "
                + p.currentTokenLocation().getCharOffset());
      }
    } catch (IOException e) {
      String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
      throw new InvalidJobException("payload is not valid JSON: " + firstLine(message));
    }
    return json;
  }

  /** Counts UTF-8 bytes, stopping early once past {@code limit}. */
  private static long utf8Length(String s, int limit) {
    if ((long) s.length() * 3 <= limit) {
      return s.length();
    }
    if (s.length() > limit) {
      return s.length();
    }
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
