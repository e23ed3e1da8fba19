package dev.vigil.api.v1alpha1;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Maximum length of each string in a list field ({@code items.maxLength} in the CRD schema).
 *
 * <p>Fabric8's {@code @Size} bounds the list, not its items, and the API server estimates the cost
 * of a CEL rule over a list of unbounded strings as if each string could fill the request; rules
 * such as {@code self.all(c, isCIDR(c))} are then rejected. The CRD generation in the api module's
 * tests ({@code Crds}) copies this value into the schema.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ItemMaxLength {
  int value();
}
