package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import dev.vigil.api.v1alpha1.spec.SensorClusterSpec;
import dev.vigil.api.v1alpha1.status.SensorClusterStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Shared sensor configuration: capture, analyzers, networks, placement, policies and pipeline. */
@JsonClassDescription(
    "Shared sensor configuration: capture, analyzers, networks, placement, policies and pipeline.")
@Group(Vigil.GROUP)
@Version(Vigil.VERSION)
@ShortNames("vsc")
@Categories(Vigil.CATEGORY)
@AdditionalPrinterColumn(name = "Mode", type = Type.STRING, jsonPath = ".spec.capture.mode")
@AdditionalPrinterColumn(name = "Links", type = Type.INTEGER, jsonPath = ".status.links")
@AdditionalPrinterColumn(name = "Desired", type = Type.INTEGER, jsonPath = ".status.desiredWorkers")
@AdditionalPrinterColumn(name = "Workers", type = Type.INTEGER, jsonPath = ".status.readyWorkers")
@AdditionalPrinterColumn(name = "Ready", type = Type.STRING, jsonPath = Vigil.READY_JSON_PATH)
@AdditionalPrinterColumn(name = "Age", type = Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class SensorCluster extends CustomResource<SensorClusterSpec, SensorClusterStatus>
    implements Namespaced {}
