package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import dev.vigil.api.v1alpha1.spec.DetectorPolicySpec;
import dev.vigil.api.v1alpha1.status.DetectorPolicyStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * What to detect (TLS fingerprints, Stratum, silent miners, connect-back, trails) and what to
 * suppress.
 */
@JsonClassDescription(
    "What to detect (TLS fingerprints, Stratum, silent miners, connect-back, trails) and what to suppress.")
@Group(Vigil.GROUP)
@Version(Vigil.VERSION)
@ShortNames("dp")
@Categories(Vigil.CATEGORY)
@AdditionalPrinterColumn(name = "Mode", type = Type.STRING, jsonPath = ".spec.mode")
@AdditionalPrinterColumn(name = "Trails", type = Type.INTEGER, jsonPath = ".status.trailEntries")
@AdditionalPrinterColumn(name = "Ready", type = Type.STRING, jsonPath = Vigil.READY_JSON_PATH)
@AdditionalPrinterColumn(name = "Age", type = Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class DetectorPolicy extends CustomResource<DetectorPolicySpec, DetectorPolicyStatus>
    implements Namespaced {}
