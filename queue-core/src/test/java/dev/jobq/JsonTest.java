package dev.jobq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.internal.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void anyOneJsonValueIsAPayload() {
    for (String ok : new String[] {"{}", "null", "42", "\"text\"", "[1,{\"a\":[true]}]"}) {
      assertThat(Json.checkPayload(ok, 1024)).isEqualTo(ok);
    }
  }

  @Test
  void textThatIsNotJsonIsRefusedWithTheReason() {
    assertThatThrownBy(() -> Json.checkPayload("{\"a\":", 1024))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageStartingWith("payload is not valid JSON");
    assertThatThrownBy(() -> Json.checkPayload("{} {}", 1024)).hasMessageContaining("not one JSON value");
    assertThatThrownBy(() -> Json.checkPayload("", 1024)).hasMessageContaining("empty");
  }

  @Test
  void deeplyNestedJsonIsRefusedWithoutBlowingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> Json.checkPayload(deep, 1 << 20))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("nesting depth");
  }

  @Test
  void oversizedPayloadIsRefusedBeforeParsing() {
    String big = "\"" + "x".repeat(600 * 1024) + "\"";
    assertThatThrownBy(() -> Json.checkPayload(big, JobClient.DEFAULT_MAX_PAYLOAD_BYTES))
        .hasMessageContaining("over 524288 bytes");
  }

  @Test
  void decodingNeverLetsTheDataChooseAClass() {
    String hostile = "{\"@class\":\"java.lang.ProcessBuilder\",\"a\":1}";
    @SuppressWarnings("unchecked")
    Map<String, Object> m = Json.decode(hostile, Map.class);
    assertThat(m).containsEntry("@class", "java.lang.ProcessBuilder");
  }
}
