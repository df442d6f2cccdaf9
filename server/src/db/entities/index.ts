export * from './user.js'
export * from './workspace.js'
export * from './membership.js'
export * from './invitation.js'
export * from './cloud-account.js'
export * from './server.js'
export * from './check.js'
export * from './audit-entry.js'
export * from './app-state.js'
export * from './session.js'
export * from './user-mfa.js'
export * from './recovery-code.js'
export * from './mfa-challenge.js'
export * from './password-reset.js'
export * from './api-token.js'
export * from './notification-preference.js'
export * from './notification-event.js'
export * from './webhook.js'
export * from './webhook-delivery.js'
export * from './notification-email.js'
export * from './broker-call.js'
export * from './provider-budget-spend.js'

import { UserEntity } from './user.js'
import { WorkspaceEntity } from './workspace.js'
import { MembershipEntity } from './membership.js'
import { InvitationEntity } from './invitation.js'
import { CloudAccountEntity } from './cloud-account.js'
import { ServerEntity } from './server.js'
import { CheckEntity } from './check.js'
import { AuditEntryEntity } from './audit-entry.js'
import { AppStateEntity } from './app-state.js'
import { SessionEntity } from './session.js'
import { UserMfaEntity } from './user-mfa.js'
import { RecoveryCodeEntity } from './recovery-code.js'
import { MfaChallengeEntity } from './mfa-challenge.js'
import { PasswordResetEntity } from './password-reset.js'
import { ApiTokenEntity } from './api-token.js'
import { NotificationPreferenceEntity } from './notification-preference.js'
import { NotificationEventEntity } from './notification-event.js'
import { WebhookEntity } from './webhook.js'
import { WebhookAttemptEntity, WebhookDeliveryEntity } from './webhook-delivery.js'
import { NotificationEmailEntity } from './notification-email.js'
import { BrokerCallEntity } from './broker-call.js'
import { ProviderBudgetSpendEntity } from './provider-budget-spend.js'

export const entities = [
  UserEntity,
  WorkspaceEntity,
  MembershipEntity,
  InvitationEntity,
  CloudAccountEntity,
  ServerEntity,
  CheckEntity,
  AuditEntryEntity,
  AppStateEntity,
  SessionEntity,
  UserMfaEntity,
  RecoveryCodeEntity,
  MfaChallengeEntity,
  PasswordResetEntity,
  ApiTokenEntity,
  NotificationPreferenceEntity,
  NotificationEventEntity,
  WebhookEntity,
  WebhookDeliveryEntity,
  WebhookAttemptEntity,
  NotificationEmailEntity,
  BrokerCallEntity,
  ProviderBudgetSpendEntity,
]
