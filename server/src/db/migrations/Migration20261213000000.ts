import { Migration } from '@mikro-orm/migrations'

/**
 * Notifications: an outbox of events written in the transaction of the change that causes them,
 * the webhooks owners register (secret sealed like a credential), one delivery per webhook and
 * event with its attempts, queued email, and each owner's email setting.
 *
 * Work rows (undispatched events, pending deliveries and emails) are claimed with
 * `FOR UPDATE SKIP LOCKED` and a lease in `claimed_until`, like the recheck sweep's accounts, so
 * several instances share them and a dead instance's claims are taken over when the lease ends.
 * An insert into the outbox is announced on `cloudlink_changes` (`n:`), waking every instance's
 * notify job.
 */
export class Migration20261213000000 extends Migration {
  override up(): void {
    this.addSql(`
      alter table cloud_accounts add column stale_notified_at timestamptz null;

      create table notification_preferences (
        workspace_id uuid not null references workspaces(id) on delete cascade deferrable initially deferred,
        user_id uuid not null references users(id) on delete cascade deferrable initially deferred,
        email boolean not null default true,
        updated_at timestamptz not null,
        primary key (workspace_id, user_id)
      );

      create table notification_events (
        id uuid primary key,
        workspace_id uuid not null references workspaces(id) on delete cascade deferrable initially deferred,
        type text not null check (type in ('account.needs_attention', 'account.expired',
          'account.recovered', 'account.stale', 'token.expiring', 'test')),
        account_id uuid null,
        token_id uuid null,
        webhook_id uuid null,
        data jsonb not null,
        created_at timestamptz not null,
        dispatched_at timestamptz null,
        email_state text not null check (email_state in ('pending', 'queued', 'none'))
      );
      create index notification_events_undispatched_idx on notification_events (created_at)
        where dispatched_at is null;
      create index notification_events_email_idx on notification_events (workspace_id, created_at)
        where email_state = 'pending';
      create index notification_events_account_idx on notification_events (account_id, created_at desc);
      create unique index notification_events_token_uq on notification_events (token_id, type)
        where token_id is not null;

      create table webhooks (
        id uuid primary key,
        workspace_id uuid not null references workspaces(id) on delete cascade deferrable initially deferred,
        url varchar(2000) not null,
        description varchar(500) not null default '',
        events jsonb not null,
        enabled boolean not null default true,
        disabled_reason text null,
        failing_since timestamptz null,
        key_id varchar(40) not null,
        wrapped_key bytea not null,
        ciphertext bytea not null,
        created_by uuid null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index webhooks_workspace_idx on webhooks (workspace_id, created_at);
      create index webhooks_key_id_idx on webhooks (key_id);

      create table webhook_deliveries (
        id uuid primary key,
        webhook_id uuid not null references webhooks(id) on delete cascade deferrable initially deferred,
        event_id uuid not null references notification_events(id) on delete cascade deferrable initially deferred,
        status text not null check (status in ('pending', 'delivered', 'failed', 'cancelled')),
        attempts integer not null default 0,
        next_attempt_at timestamptz not null,
        claimed_until timestamptz null,
        created_at timestamptz not null,
        finished_at timestamptz null,
        unique (webhook_id, event_id)
      );
      create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at)
        where status = 'pending';
      create index webhook_deliveries_event_idx on webhook_deliveries (event_id);

      create table webhook_attempts (
        id uuid primary key,
        webhook_id uuid not null references webhooks(id) on delete cascade deferrable initially deferred,
        event_id uuid not null,
        event text not null,
        at timestamptz not null,
        attempt integer not null,
        status text not null check (status in ('delivered', 'failed')),
        response_status integer null,
        duration_ms integer null,
        error text null
      );
      create index webhook_attempts_webhook_at_idx on webhook_attempts (webhook_id, at desc);
      create index webhook_attempts_event_idx on webhook_attempts (event_id);

      create table notification_emails (
        id uuid primary key,
        workspace_id uuid not null references workspaces(id) on delete cascade deferrable initially deferred,
        kind text not null check (kind in ('digest', 'webhook_disabled')),
        account_ids uuid[] not null default '{}',
        recipients jsonb not null,
        subject text not null,
        text text not null,
        html text not null,
        status text not null check (status in ('pending', 'sent', 'failed')),
        attempts integer not null default 0,
        next_attempt_at timestamptz not null,
        claimed_until timestamptz null,
        created_at timestamptz not null,
        sent_at timestamptz null,
        told jsonb not null default '[]',
        last_error text null
      );
      create index notification_emails_due_idx on notification_emails (next_attempt_at)
        where status = 'pending';
      create index notification_emails_accounts_idx on notification_emails using gin (account_ids);

      create function notify_outbox() returns trigger language plpgsql as $$
      begin
        perform pg_notify('cloudlink_changes', 'n:');
        return null;
      end $$;
      create trigger notification_events_notify after insert on notification_events
        for each statement execute function notify_outbox();
    `)
  }

  override down(): void {
    this.addSql(`
      drop trigger if exists notification_events_notify on notification_events;
      drop function if exists notify_outbox();
      drop table if exists notification_emails, webhook_attempts, webhook_deliveries, webhooks,
        notification_events, notification_preferences cascade;
      alter table cloud_accounts drop column if exists stale_notified_at;
    `)
  }
}
