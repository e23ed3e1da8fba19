/**
 * The alert router: reads alerts after OpenSearch has persisted them, groups them by dedup key
 * within the AlertPipeline's window and notifies its routes (PagerDuty Events API v2, Slack
 * incoming webhooks, generic JSON webhooks). Entry point: {@link dev.vigil.router.AlertRouter}. See
 * {@code docs/adr/0007-alert-router.md}.
 */
package dev.vigil.router;
