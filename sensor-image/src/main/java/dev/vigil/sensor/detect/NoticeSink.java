package dev.vigil.sensor.detect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.common.schema.Alert;

/** Receives alerts (notice.log, the shipper); called from every worker, must be thread-safe. */
@FunctionalInterface
public interface NoticeSink {
  /**
   * @param json the document to write: {@code alert.toJson()} plus the sensor's evidence
   */
  void onAlert(Alert alert, ObjectNode json);

  NoticeSink NONE = (a, j) -> {};
}
