/** Code shared by the sensor and the agent: alert/event schema and the OpenSearch shipper. */
package dev.vigil.common;
