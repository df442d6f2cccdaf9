import { Migration } from '@mikro-orm/migrations'

/**
 * Users, workspaces and roles; cloud accounts with their sealed credentials, servers, checks, audit.
 * Foreign keys are checked at commit: the unit of work may insert a child before its parent.
 */
export class Migration20261127000000 extends Migration {
  override up(): void {
    this.addSql(`
      create table users (
        id uuid primary key,
        email varchar(254) not null unique,
        name varchar(100) not null,
        password_hash text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create table workspaces (
        id uuid primary key,
        name varchar(100) not null,
        created_at timestamptz not null
      );
      create table memberships (
        workspace_id uuid not null references workspaces(id) on delete cascade deferrable initially deferred,
        user_id uuid not null references users(id) on delete cascade deferrable initially deferred,
        role text not null check (role in ('owner', 'member')),
        created_at timestamptz not null,
        primary key (workspace_id, user_id)
      );
      create index memberships_user_id_idx on memberships (user_id);
      create table invitations (
        id uuid primary key,
        workspace_id uuid not null references workspaces(id) on delete cascade deferrable initially deferred,
        email varchar(254) not null,
        role text not null check (role in ('owner', 'member')),
        token_hash varchar(64) not null unique,
        expires_at timestamptz not null,
        accepted_at timestamptz null,
        created_by uuid not null,
        created_at timestamptz not null
      );
      create table cloud_accounts (
        id uuid primary key,
        workspace_id uuid not null references workspaces(id) on delete cascade deferrable initially deferred,
        provider varchar(40) not null,
        label varchar(100) not null,
        description varchar(500) not null default '',
        hint varchar(200) not null,
        status text not null default 'connected'
          check (status in ('connected', 'needs_attention', 'expired')),
        status_reason text null,
        identity jsonb null,
        capabilities jsonb not null,
        warnings jsonb not null,
        is_default boolean not null default false,
        fingerprint varchar(64) not null,
        key_id varchar(40) not null,
        wrapped_key bytea not null,
        ciphertext bytea not null,
        last_checked_at timestamptz null,
        last_healthy_at timestamptz null,
        last_check jsonb null,
        claimed_until timestamptz null,
        created_by uuid null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        version integer not null default 1
      );
      create unique index cloud_accounts_fingerprint_uq on cloud_accounts (workspace_id, fingerprint);
      create unique index cloud_accounts_one_default_uq on cloud_accounts (workspace_id, provider)
        where is_default;
      create index cloud_accounts_due_idx on cloud_accounts (last_checked_at nulls first);
      create index cloud_accounts_key_id_idx on cloud_accounts (key_id);
      create table servers (
        id uuid primary key,
        workspace_id uuid not null references workspaces(id) on delete cascade deferrable initially deferred,
        account_id uuid null references cloud_accounts(id) on delete set null deferrable initially deferred,
        provider varchar(40) not null,
        provider_server_id varchar(200) not null,
        name varchar(255) not null,
        status varchar(60) not null,
        region varchar(100) null,
        ipv4 varchar(45) null,
        last_seen_at timestamptz not null,
        created_at timestamptz not null
      );
      create unique index servers_account_server_uq on servers (account_id, provider_server_id);
      create table checks (
        id uuid primary key,
        account_id uuid not null references cloud_accounts(id) on delete cascade deferrable initially deferred,
        at timestamptz not null,
        trigger text not null check (trigger in ('connect', 'reconnect', 'manual', 'scheduled')),
        outcome text not null check (outcome in ('ok', 'rejected', 'unreachable')),
        message text not null,
        latency_ms integer not null
      );
      create index checks_account_at_idx on checks (account_id, at desc);
      create table audit_entries (
        id uuid primary key,
        workspace_id uuid not null references workspaces(id) on delete cascade deferrable initially deferred,
        at timestamptz not null,
        actor_id uuid null,
        actor_name varchar(100) null,
        actor_email varchar(254) null,
        ip varchar(64) null,
        action text not null,
        provider varchar(40) null,
        account_id uuid null,
        outcome text not null,
        message text null
      );
      create index audit_entries_workspace_at_idx on audit_entries (workspace_id, at desc, id desc);
      create table revoked_sessions (
        jti uuid primary key,
        expires_at timestamptz not null
      );
      create table app_state (
        key varchar(100) primary key,
        value jsonb not null,
        updated_at timestamptz not null
      );
    `)
  }

  override down(): void {
    this.addSql(`
      drop table if exists revoked_sessions, app_state, audit_entries, checks, servers, cloud_accounts, invitations,
        memberships, workspaces, users cascade;
    `)
  }
}
