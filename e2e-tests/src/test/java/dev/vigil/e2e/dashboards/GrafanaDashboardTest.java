package dev.vigil.e2e.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.api.v1alpha1.TapAssignment;
import dev.vigil.operator.model.SensorStatefulSet;
import dev.vigil.testing.Repo;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the Grafana dashboard assumes about the pods the operator runs. */
class GrafanaDashboardTest {

  /**
   * Per-link panels take the link from the sensor pod's name with label_replace: the regex must
   * give back the TapAssignment's name for the pods of the operator's StatefulSet.
   */
  @Test
  void linkLabelIsTheTapOfTheSensorPod() throws Exception {
    JsonNode dashboard =
        DashboardReferences.JSON.readTree(Repo.path(DashboardMetricsIT.GRAFANA).toFile());
    Set<String> regexes = new LinkedHashSet<>();
    Matcher m =
        Pattern.compile(
                "label_replace\\(.*?, \"link\", \"\\$1\", \"pod\", \"((?:[^\"\\\\]|\\\\.)*)\"\\)")
            .matcher(String.join("\n", DashboardReferences.grafanaExpressions(dashboard).values()));
    while (m.find()) {
      regexes.add(m.group(1));
    }
    assertThat(regexes).as("label_replace regexes").hasSize(1);
    Pattern podToLink = Pattern.compile("^(?:" + regexes.iterator().next() + ")$");
    for (String name : new String[] {"border-1", "wan-400g", "a-sensor-b"}) {
      TapAssignment tap = new TapAssignment();
      tap.setMetadata(new ObjectMetaBuilder().withName(name).build());
      for (int ordinal : new int[] {0, 7, 23}) {
        Matcher pod = podToLink.matcher(SensorStatefulSet.name(tap) + "-" + ordinal);
        assertThat(pod.matches()).isTrue();
        assertThat(pod.group(1)).isEqualTo(name);
      }
    }
  }
}
