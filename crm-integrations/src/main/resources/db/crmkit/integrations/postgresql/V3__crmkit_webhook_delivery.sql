-- crmkit integrations, version 3: the webhook delivery log (dev.crmkit.integrations.internal.WebhookDeliveryLog).
-- One row per delivery received on a platform's route, refused or accepted. integration_id and tenant_id
-- are null when the delivery matched no integration (UNROUTED) or named no account (BAD_PAYLOAD,
-- TOO_LARGE). received_at is epoch milliseconds (UTC); id sorts by receive time within one node.
-- status is the HTTP status answered; outcome a WebhookDelivery.Outcome name; events and duplicates
-- count the delivery's events and those the integration's inbox already held. detail says why a
-- delivery was refused in crmkit's words: never a secret, a header or a payload value.
CREATE TABLE crmkit_webhook_delivery (
  id             VARCHAR(40)  NOT NULL,
  integration_id VARCHAR(40),
  tenant_id      VARCHAR(128),
  platform       VARCHAR(64)  NOT NULL,
  received_at    BIGINT       NOT NULL,
  status         INTEGER      NOT NULL,
  outcome        VARCHAR(16)  NOT NULL,
  events         INTEGER      NOT NULL,
  duplicates     INTEGER      NOT NULL,
  detail         VARCHAR(500),
  PRIMARY KEY (id)
);

-- An integration's deliveries, newest first (webhookDeliveries), and the retention cleanup by age.
CREATE INDEX crmkit_webhook_delivery_integration ON crmkit_webhook_delivery (tenant_id, integration_id, received_at);
CREATE INDEX crmkit_webhook_delivery_received ON crmkit_webhook_delivery (received_at);
