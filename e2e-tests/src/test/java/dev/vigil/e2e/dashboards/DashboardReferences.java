package dev.vigil.e2e.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.operator.opensearch.DataClass;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the chart's dashboards refer to, and whether it exists: index fields of the OpenSearch
 * Dashboards saved objects against the operator's index templates, metric names of the Grafana
 * panels against what the components export.
 */
final class DashboardReferences {

  static final ObjectMapper JSON = new ObjectMapper();

  private DashboardReferences() {}

  // ---------------------------------------------------------------- OpenSearch Dashboards

  /** The saved objects of an {@code .ndjson} export, one per non-blank line. */
  static List<ObjectNode> readNdjson(Path file) {
    List<ObjectNode> out = new ArrayList<>();
    try {
      int n = 0;
      for (String line : Files.readAllLines(file)) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode o = JSON.readTree(line);
        if (!o.isObject()) {
          throw new IllegalArgumentException(file + ":" + n + " is not a JSON object");
        }
        out.add((ObjectNode) o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + " is not valid ndjson", e);
    }
    return out;
  }

  /**
   * Every field path the index template of {@code cls} maps, dotted through {@code properties}:
   * {@code id.orig_h}, {@code ts}, ... . Objects with properties are not fields themselves.
   */
  static Set<String> mappedFields(DataClass cls) {
    Set<String> out = new TreeSet<>();
    collect("", cls.properties(), out);
    return out;
  }

  private static void collect(String prefix, JsonNode properties, Set<String> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = prefix + e.getKey();
      JsonNode sub = e.getValue().get("properties");
      if (sub != null) {
        collect(path + ".", sub, out);
      } else {
        out.add(path);
      }
    }
  }

  /** The data class an index pattern title {@code <prefix>-<class>-*} covers. */
  static DataClass classOfPattern(String prefix, String title) {
    String p = prefix + "-";
    if (!title.startsWith(p) || !title.endsWith("-*")) {
      throw new IllegalArgumentException(
          "index pattern " + title + " is not " + prefix + "-<class>-*");
    }
    String id = title.substring(p.length(), title.length() - 2);
    for (DataClass c : DataClass.values()) {
      if (c.id().equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException("index pattern " + title + " names no data class");
  }

  /**
   * Problems with the saved objects: an unresolved reference, an index pattern of no data class, or
   * a field that the index template of the object's class does not map. Empty when all is well.
   */
  static List<String> savedObjectProblems(
      List<ObjectNode> objects, String prefix, Map<DataClass, Set<String>> fields) {
    List<String> problems = new ArrayList<>();
    Map<String, ObjectNode> byKey = new LinkedHashMap<>();
    for (ObjectNode o : objects) {
      String type = o.path("type").asText();
      String id = o.path("id").asText();
      if (type.isEmpty() || id.isEmpty() || !o.path("attributes").isObject()) {
        problems.add("saved object without type, id or attributes: " + abbreviate(o));
        continue;
      }
      if (byKey.put(type + "/" + id, o) != null) {
        problems.add(type + "/" + id + " appears twice");
      }
    }
    for (ObjectNode o : byKey.values()) {
      String key = o.path("type").asText() + "/" + o.path("id").asText();
      for (JsonNode ref : o.path("references")) {
        String target = ref.path("type").asText() + "/" + ref.path("id").asText();
        if (!byKey.containsKey(target)) {
          problems.add(key + " references " + target + ", which is not in the file");
        }
      }
      JsonNode attrs = o.get("attributes");
      try {
        switch (o.path("type").asText()) {
          case "index-pattern" -> {
            DataClass cls = classOfPattern(prefix, attrs.path("title").asText());
            check(problems, key, cls, attrs.path("timeFieldName").asText(), fields);
          }
          case "visualization", "search" -> {
            DataClass cls = indexClass(o, byKey, prefix);
            Set<String> used = new LinkedHashSet<>();
            if (attrs.has("visState")) {
              collectFieldValues(JSON.readTree(attrs.get("visState").asText()), used);
            }
            attrs.path("columns").forEach(c -> used.add(c.asText()));
            attrs.path("sort").forEach(s -> used.add(s.path(0).asText()));
            used.addAll(searchSourceFields(attrs));
            for (String f : used) {
              check(problems, key, cls, f, fields);
            }
          }
          case "dashboard" -> {
            JSON.readTree(attrs.path("panelsJSON").asText())
                .forEach(
                    p -> {
                      String ref = p.path("panelRefName").asText();
                      boolean known = false;
                      for (JsonNode r : o.path("references")) {
                        known |= r.path("name").asText().equals(ref);
                      }
                      if (!known) {
                        problems.add(key + " panel " + ref + " has no reference");
                      }
                    });
            if (!searchSourceFields(attrs).isEmpty()) {
              problems.add(key + " filters on fields; a dashboard spans classes: keep it clean");
            }
          }
          default -> problems.add(key + ": unexpected saved object type");
        }
      } catch (IOException | IllegalArgumentException e) {
        problems.add(key + ": " + e.getMessage());
      }
    }
    return problems;
  }

  private static void check(
      List<String> problems,
      String key,
      DataClass cls,
      String field,
      Map<DataClass, Set<String>> fields) {
    if (!fields.get(cls).contains(field)) {
      problems.add(
          key + " uses field '" + field + "', not mapped by the " + cls.id() + " template");
    }
  }

  /** The data class of the index pattern a visualization or search reads. */
  private static DataClass indexClass(ObjectNode o, Map<String, ObjectNode> byKey, String prefix) {
    for (JsonNode ref : o.path("references")) {
      if (ref.path("name").asText().equals("kibanaSavedObjectMeta.searchSourceJSON.index")) {
        ObjectNode ip = byKey.get("index-pattern/" + ref.path("id").asText());
        if (ip == null) {
          throw new IllegalArgumentException("its index pattern is not in the file");
        }
        return classOfPattern(prefix, ip.path("attributes").path("title").asText());
      }
    }
    throw new IllegalArgumentException("no index-pattern reference");
  }

  /** Values of every {@code field} / {@code fieldName} key, at any depth. */
  private static void collectFieldValues(JsonNode n, Set<String> out) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if ((e.getKey().equals("field") || e.getKey().equals("fieldName"))
            && e.getValue().isTextual()) {
          out.add(e.getValue().asText());
        } else {
          collectFieldValues(e.getValue(), out);
        }
      }
    } else if (n.isArray()) {
      n.forEach(c -> collectFieldValues(c, out));
    }
  }

  private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern QUERY_FIELD = Pattern.compile("([A-Za-z_@][A-Za-z0-9_.@]*)\\s*:");

  /** Fields named in the search source: query ({@code field:value}) and filters. */
  static Set<String> searchSourceFields(JsonNode attrs) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    String raw = attrs.path("kibanaSavedObjectMeta").path("searchSourceJSON").asText("{}");
    JsonNode src = JSON.readTree(raw.isEmpty() ? "{}" : raw);
    out.addAll(queryFields(src.path("query").path("query").asText("")));
    for (JsonNode f : src.path("filter")) {
      String k = f.path("meta").path("key").asText("");
      if (!k.isEmpty()) {
        out.add(k);
      }
    }
    return out;
  }

  /** Field names of a KQL or Lucene query string: every {@code name:} outside quotes. */
  static Set<String> queryFields(String query) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = QUERY_FIELD.matcher(QUOTED.matcher(query).replaceAll("\"\""));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  // ---------------------------------------------------------------- Prometheus / Grafana

  /**
   * The series names of a Prometheus text exposition (sample lines, so {@code x_total}, {@code
   * x_seconds_bucket}, never the bare TYPE name), each with the label names its samples carry.
   */
  static Map<String, Set<String>> exposedLabels(String exposition) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
      Set<String> labels = out.computeIfAbsent(name, k -> new TreeSet<>());
      if (brace >= 0 && brace < space) {
        Matcher m = label.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
        while (m.find()) {
          labels.add(m.group(1));
        }
      }
    }
    return out;
  }

  private static final Set<String> PROMQL_WORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "inf",
          "nan",
          "atan2");

  private static final Pattern GROUPING =
      Pattern.compile(
          "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)",
          Pattern.CASE_INSENSITIVE);

  /**
   * Metric names a PromQL expression selects: identifiers that are not functions, aggregations,
   * keywords, label names (in braces or groupings), strings, numbers, durations or Grafana
   * variables.
   */
  static Set<String> metricNames(String expr) {
    String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
    s = s.replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''");
    s = s.replaceAll("\\{[^}]*}", " ");
    s = s.replaceAll("\\[[^]]*]", " ");
    s = GROUPING.matcher(s).replaceAll(" ");
    s = s.replaceAll("\\$\\{[^}]*}|\\$[A-Za-z_][A-Za-z0-9_]*", " ");
    Set<String> out = new LinkedHashSet<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && isDigit(s, i + 1))) {
        // number, possibly with exponent or a duration unit: skip the whole token
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int start = i;
        while (i < s.length()
            && (Character.isLetterOrDigit(s.charAt(i))
                || s.charAt(i) == '_'
                || s.charAt(i) == ':')) {
          i++;
        }
        String word = s.substring(start, i);
        int j = i;
        while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
          j++;
        }
        boolean call = j < s.length() && s.charAt(j) == '(';
        if (!call && !PROMQL_WORDS.contains(word.toLowerCase(Locale.ROOT))) {
          out.add(word);
        }
      } else {
        i++;
      }
    }
    return out;
  }

  private static boolean isDigit(String s, int i) {
    return Character.isDigit(s.charAt(i));
  }

  /** Label names a PromQL expression uses: in selectors' braces and in groupings. */
  static Set<String> labelNames(String expr) {
    String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
    Set<String> out = new LinkedHashSet<>();
    Matcher braces = Pattern.compile("\\{([^}]*)}").matcher(s);
    while (braces.find()) {
      Matcher m =
          Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)").matcher(braces.group(1));
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    Matcher g = GROUPING.matcher(s);
    while (g.find()) {
      String inside = g.group().substring(g.group().indexOf('(') + 1, g.group().length() - 1);
      for (String l : inside.split(",")) {
        if (!l.isBlank()) {
          out.add(l.strip());
        }
      }
    }
    return out;
  }

  /** Every PromQL expression of a Grafana dashboard: panel targets and query variables. */
  static Map<String, String> grafanaExpressions(JsonNode dashboard) {
    Map<String, String> out = new LinkedHashMap<>();
    panels(dashboard.path("panels"), out);
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (v.path("type").asText().equals("query")) {
        JsonNode q = v.path("query");
        String text = q.isObject() ? q.path("query").asText() : q.asText();
        Matcher m =
            Pattern.compile("label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)")
                .matcher(text);
        if (m.matches()) {
          out.put("variable " + v.path("name").asText(), m.group(1) + " by (" + m.group(2) + ")");
        } else {
          out.put("variable " + v.path("name").asText(), text);
        }
      }
    }
    return out;
  }

  private static void panels(JsonNode panels, Map<String, String> out) {
    for (JsonNode p : panels) {
      for (JsonNode t : p.path("targets")) {
        if (t.has("expr")) {
          out.put(
              "panel '" + p.path("title").asText() + "' " + t.path("refId").asText(),
              t.get("expr").asText());
        }
      }
      panels(p.path("panels"), out);
    }
  }

  /**
   * Problems with the Grafana queries: a metric no component exports, or a label neither the
   * metrics of the expression nor the scrape target carries.
   *
   * @param exported sample name → its labels, from the components' real expositions
   * @param targetLabels labels Prometheus adds to every scraped sample (namespace, pod, ...)
   */
  static List<String> grafanaProblems(
      JsonNode dashboard, Map<String, Set<String>> exported, Set<String> targetLabels) {
    List<String> problems = new ArrayList<>();
    Map<String, String> exprs = grafanaExpressions(dashboard);
    if (exprs.isEmpty()) {
      problems.add("the dashboard has no queries");
    }
    for (Map.Entry<String, String> e : exprs.entrySet()) {
      Set<String> names = metricNames(e.getValue());
      if (names.isEmpty() && !e.getKey().startsWith("variable")) {
        problems.add(e.getKey() + " selects no metric: " + e.getValue());
      }
      Set<String> labels = new TreeSet<>(targetLabels);
      labels.add("le"); // histogram buckets
      for (String n : names) {
        Set<String> l = exported.get(n);
        if (l == null) {
          problems.add(e.getKey() + " queries '" + n + "', which nothing exports");
        } else {
          labels.addAll(l);
        }
      }
      labels.addAll(createdLabels(e.getValue()));
      for (String l : labelNames(e.getValue())) {
        if (!labels.contains(l)) {
          problems.add(e.getKey() + " uses label '" + l + "', which its metrics do not carry");
        }
      }
    }
    return problems;
  }

  /** Labels an expression makes itself with {@code label_replace(v, "dst", ...)}. */
  private static Set<String> createdLabels(String expr) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m =
        Pattern.compile("label_replace\\s*\\(.*?,\\s*\"([a-zA-Z_][a-zA-Z0-9_]*)\"").matcher(expr);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String abbreviate(JsonNode o) {
    String s = o.toString();
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }
}
