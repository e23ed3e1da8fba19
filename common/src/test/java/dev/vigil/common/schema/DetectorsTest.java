package dev.vigil.common.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DetectorsTest {

  @Test
  void everyRuleTheSensorAndAgentRaiseHasItsApiDetectorName() {
    assertThat(Detectors.of("TlsBlocklist")).isEqualTo("tls-blocklist");
    assertThat(Detectors.of("StratumMining")).isEqualTo("stratum");
    assertThat(Detectors.of("SilentMiner")).isEqualTo("silent-miner");
    assertThat(Detectors.of("MinerExecutable")).isEqualTo("silent-miner");
    assertThat(Detectors.of("ConnectBack")).isEqualTo("connect-back");
    assertThat(Detectors.of("ThreatIntelTrail")).isEqualTo("trail");
    assertThat(Detectors.of("DnsTunnel")).isEqualTo("dns-tunnel");
  }

  @Test
  void aSelectorMatchesByApiNameOrByRuleName() {
    assertThat(Detectors.selects("stratum", "StratumMining")).isTrue();
    assertThat(Detectors.selects("StratumMining", "StratumMining")).isTrue();
    assertThat(Detectors.selects("silent-miner", "MinerExecutable")).isTrue();
    assertThat(Detectors.selects("stratum", "ConnectBack")).isFalse();
  }
}
