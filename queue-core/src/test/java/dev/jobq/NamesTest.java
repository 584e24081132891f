package dev.jobq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.internal.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"a{b}", "has space", "new\nline", "star*", "tab\t", "", "-leading", "q:colon"})
  void queueNamesThatCouldBreakKeysAreRefused(String name) {
    assertThatThrownBy(() -> Names.checkQueue(name))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("queue name")
        .hasMessageNotContaining("\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{x}", "a b", "x\u0000y", "a*", "?"})
  void jobIdsWithBracesSpacesControlOrGlobCharactersAreRefused(String id) {
    assertThatThrownBy(() -> Names.checkJobId(id)).isInstanceOf(InvalidJobException.class);
  }

  @Test
  void longNamesAreRefusedWithTheirLength() {
    assertThatThrownBy(() -> Names.checkJobId("x".repeat(201)))
        .hasMessageContaining("201 characters")
        .hasMessageContaining("200");
  }

  @Test
  void ordinaryNamesPass() {
    assertThat(Names.checkQueue("emails-high.v2")).isEqualTo("emails-high.v2");
    assertThat(Names.checkJobId("order:42/welcome@2026")).isEqualTo("order:42/welcome@2026");
    assertThat(Names.checkType("jobq.noop")).isEqualTo("jobq.noop");
  }
}
