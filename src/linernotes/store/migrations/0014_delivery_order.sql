-- Deliveries to one webhook endpoint go out oldest first: a worker claiming a delivery checks
-- that no older one of its endpoint is waiting for a retry (watch/deliver.py). This index makes
-- that check a look-up instead of a scan of every open delivery.
CREATE INDEX IF NOT EXISTS delivery_endpoint_open ON delivery (endpoint_id, id) WHERE state IN ('pending', 'sending');
