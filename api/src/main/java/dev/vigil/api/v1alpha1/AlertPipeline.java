package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import dev.vigil.api.v1alpha1.spec.AlertPipelineSpec;
import dev.vigil.api.v1alpha1.status.AlertPipelineStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** OpenSearch storage, retention and notification routes for logs and alerts. */
@JsonClassDescription("OpenSearch storage, retention and notification routes for logs and alerts.")
@Group(Vigil.GROUP)
@Version(Vigil.VERSION)
@ShortNames("ap")
@Categories(Vigil.CATEGORY)
@AdditionalPrinterColumn(name = "Connected", type = Type.BOOLEAN, jsonPath = ".status.connected")
@AdditionalPrinterColumn(name = "Health", type = Type.STRING, jsonPath = ".status.clusterHealth")
@AdditionalPrinterColumn(name = "Ready", type = Type.STRING, jsonPath = Vigil.READY_JSON_PATH)
@AdditionalPrinterColumn(name = "Age", type = Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class AlertPipeline extends CustomResource<AlertPipelineSpec, AlertPipelineStatus>
    implements Namespaced {}
