package dev.vigil.operator.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.spec.OpenSearch;

/**
 * The ISM policy that deletes a class's indices after its retention days, installed where the Index
 * State Management plugin exists ({@code PUT _plugins/_ism/policies/<prefix>-<class>}). ISM counts
 * age from index creation, not from the day in the name; byte budgets stay with the operator, since
 * ISM conditions apply to one index, not to a class.
 */
public final class IsmPolicies {

  private IsmPolicies() {}

  /** Identifies what the installed policy says; compared to decide whether to update it. */
  public static String description(OpenSearch spec, DataClass cls, int days) {
    return IndexTemplates.MANAGED_BY
        + ": delete "
        + IndexTemplates.name(spec, cls)
        + "-* indices "
        + days
        + " days after creation";
  }

  public static ObjectNode desired(OpenSearch spec, DataClass cls, int days) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode policy = body.putObject("policy");
    policy.put("description", description(spec, cls, days));
    policy.put("default_state", "hot");
    ArrayNode states = policy.putArray("states");
    ObjectNode hot = states.addObject();
    hot.put("name", "hot");
    hot.putArray("actions");
    ObjectNode t = hot.putArray("transitions").addObject();
    t.put("state_name", "delete");
    t.putObject("conditions").put("min_index_age", days + "d");
    ObjectNode delete = states.addObject();
    delete.put("name", "delete");
    delete.putArray("actions").addObject().putObject("delete");
    delete.putArray("transitions");
    ObjectNode template = policy.putArray("ism_template").addObject();
    template.putArray("index_patterns").add(IndexTemplates.name(spec, cls) + "-*");
    template.put("priority", IndexTemplates.PRIORITY);
    return body;
  }
}
