package dev.vigil.agent.detect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One notice: {@code note} names the detector outcome, {@code msg} says it for a person, {@code
 * fields} carry node, job, user, pid, exe and the detector's evidence.
 */
public record Alert(String note, String msg, Map<String, Object> fields) {

  /** Notes the agent raises; each is one line in notice.log. */
  public static final String CONNECT_BACK = "ConnectBack";

  public static final String SILENT_MINER = "SilentMiner";
  public static final String MINER_EXECUTABLE = "MinerExecutable";

  /** A copy with one more field (or a field replaced). */
  public Alert with(String key, Object value) {
    Map<String, Object> f = new LinkedHashMap<>(fields);
    f.put(key, value);
    return new Alert(note, msg, f);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("note", note);
    m.put("msg", msg);
    m.putAll(fields);
    return m;
  }
}
