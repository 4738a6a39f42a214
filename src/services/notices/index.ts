/** 通知 — the notices outbox: templates, enqueue on events, transports, delivery (README “通知”). */
export { enqueueNotice, enqueueOrderNotices, enqueueCaseNotices, enqueueLaborCostShortNotices, enqueueWarningAssigned, queueAfter, type Recipient, type WarningAssignedInput } from './outbox.ts';
export { deliverDueNotices, deliverySettingsFromEnv, type DeliveryResult } from './deliver.ts';
export { transportsFromEnv, emailTransportFromEnv, smsTransportFromEnv, type Transport } from './transports.ts';
export { TEMPLATES, NOTICE_STATE_ZH, RECIPIENT_ROLE_ZH, CHANNEL_ZH, TEMPLATE_ZH, LEGAL_BASIS, scrubPersonalNumbers, holdsFullNumber } from './templates.ts';
