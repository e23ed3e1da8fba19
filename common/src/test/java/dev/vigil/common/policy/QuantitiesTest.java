package dev.vigil.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuantitiesTest {

  @Test
  void quantitiesAndDurations() {
    assertThat(Quantities.quantityMiB("128Mi")).isEqualTo(128.0);
    assertThat(Quantities.quantityMiB("1Gi")).isEqualTo(1024.0);
    assertThat(Quantities.quantityMiB("512Ki")).isEqualTo(0.5);
    assertThat(Quantities.quantityMiB("1048576")).isEqualTo(1.0);
    assertThat(Quantities.quantityMiB("1G")).isEqualTo(1e9 / 1048576);
    assertThat(Quantities.quantityMiB("1.5Gi")).isEqualTo(1536.0);
    assertThatThrownBy(() -> Quantities.quantityMiB("128MB"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Quantities.quantityMiB("0Mi"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Quantities.durationSeconds("20m")).isEqualTo(1200.0);
    assertThat(Quantities.durationSeconds("1h30m")).isEqualTo(5400.0);
    assertThat(Quantities.durationSeconds("168h")).isEqualTo(604800.0);
    assertThat(Quantities.durationSeconds("90s")).isEqualTo(90.0);
    assertThat(Quantities.durationSeconds("1m500ms")).isEqualTo(60.5);
    assertThatThrownBy(() -> Quantities.durationSeconds("20"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Quantities.durationSeconds("m20"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Quantities.durationSeconds("0s"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
