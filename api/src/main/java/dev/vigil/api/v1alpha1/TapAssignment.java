package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import dev.vigil.api.v1alpha1.spec.TapAssignmentSpec;
import dev.vigil.api.v1alpha1.status.TapAssignmentStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One monitored link on one sensor node, with its capture interface and workers (scalable). */
@JsonClassDescription(
    "One monitored link on one sensor node, with its capture interface and workers (scalable).")
@Group(Vigil.GROUP)
@Version(Vigil.VERSION)
@ShortNames("tap")
@Categories(Vigil.CATEGORY)
@AdditionalPrinterColumn(name = "Link", type = Type.STRING, jsonPath = ".spec.link.name")
@AdditionalPrinterColumn(name = "Gbps", type = Type.INTEGER, jsonPath = ".spec.link.speedGbps")
@AdditionalPrinterColumn(name = "Node", type = Type.STRING, jsonPath = ".spec.nodeName")
@AdditionalPrinterColumn(name = "Desired", type = Type.INTEGER, jsonPath = ".spec.workers")
@AdditionalPrinterColumn(name = "Workers", type = Type.INTEGER, jsonPath = ".status.readyWorkers")
@AdditionalPrinterColumn(name = "Ready", type = Type.STRING, jsonPath = Vigil.READY_JSON_PATH)
@AdditionalPrinterColumn(name = "Age", type = Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class TapAssignment extends CustomResource<TapAssignmentSpec, TapAssignmentStatus>
    implements Namespaced {}
