package dev.vigil.sensor.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code sensor.json} the operator renders for a tap (its {@code SensorConfig} record), as far
 * as this sensor reads it. Unknown fields are ignored so the operator can add fields first.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record SensorFile(
    String tap,
    String sensorCluster,
    String link,
    Integer speedGbps,
    String source,
    String direction,
    String node,
    String captureMode,
    String interfaceName,
    String pciAddress,
    String sriovResource,
    Integer fanoutGroup,
    String fanoutMode,
    Integer snaplen,
    Integer ringSizeMiB,
    String bpfFilter,
    List<Integer> vlans,
    Analyzers analyzers,
    Bypass elephantFlowBypass,
    List<String> internalNetworks,
    String alertPipeline) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Analyzers(Boolean conn, Boolean dns, Boolean http, Boolean tls, Boolean stratum) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Bypass(Long bytes, Long packets) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Reads {@code file}; any problem is an {@link IllegalArgumentException} naming the file. */
  static SensorFile read(Path file) {
    try {
      SensorFile f = JSON.readValue(Files.readAllBytes(file), SensorFile.class);
      if (f == null) {
        throw new IllegalArgumentException("--config " + file + ": empty document");
      }
      return f;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--config " + file + ": no such file");
    } catch (IOException e) {
      String m = e.getMessage();
      int nl = m == null ? -1 : m.indexOf('\n');
      throw new IllegalArgumentException(
          "--config " + file + ": cannot read: " + (nl > 0 ? m.substring(0, nl) : m));
    }
  }

  /** The capture mode, {@code afpacket} when absent (as the operator defaults it). */
  String mode() {
    return captureMode == null ? "afpacket" : captureMode;
  }
}
