package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import dev.vigil.api.v1alpha1.spec.HostAgentSpec;
import dev.vigil.api.v1alpha1.status.HostAgentStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The eBPF host agent DaemonSet on a set of nodes. */
@JsonClassDescription("The eBPF host agent DaemonSet on a set of nodes.")
@Group(Vigil.GROUP)
@Version(Vigil.VERSION)
@ShortNames("ha")
@Categories(Vigil.CATEGORY)
@AdditionalPrinterColumn(name = "Desired", type = Type.INTEGER, jsonPath = ".status.desiredNodes")
@AdditionalPrinterColumn(name = "Nodes", type = Type.INTEGER, jsonPath = ".status.readyNodes")
@AdditionalPrinterColumn(name = "Updated", type = Type.INTEGER, jsonPath = ".status.updatedNodes")
@AdditionalPrinterColumn(name = "Ready", type = Type.STRING, jsonPath = Vigil.READY_JSON_PATH)
@AdditionalPrinterColumn(name = "Age", type = Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class HostAgent extends CustomResource<HostAgentSpec, HostAgentStatus>
    implements Namespaced {}
