import { Migration } from '@mikro-orm/migrations'

/**
 * The broker (issue 14).
 *
 * - `broker_calls`: every call through the broker, for owners; pruned after 30 days by the sweep.
 *   The account id is kept without a foreign key: the record outlives a removed account.
 * - `provider_budget_spend`: requests spent per credential in short buckets, by checks and broker
 *   calls of every instance alike, for providers with a request budget (Hetzner Robot's 200 an hour).
 * - `cloud_accounts.recheck_requested_at`: a provider refused a broker call; the account is due for
 *   a check (the sweep takes it) without its status changing before that check.
 */
export class Migration20261214000000 extends Migration {
  override up(): void {
    this.addSql(`
      create table broker_calls (
        id uuid primary key,
        workspace_id uuid not null references workspaces(id) on delete cascade deferrable initially deferred,
        account_id uuid not null,
        token_id uuid null,
        token_name varchar(100) null,
        provider varchar(40) not null,
        method varchar(16) not null,
        origin varchar(60) not null,
        path varchar(2000) not null,
        status smallint not null,
        latency_ms integer not null,
        at timestamptz not null
      );
      create index broker_calls_workspace_at_idx on broker_calls (workspace_id, at desc, id desc);
      create index broker_calls_at_idx on broker_calls (at);
      create table provider_budget_spend (
        budget_key varchar(120) not null,
        window_start timestamptz not null,
        requests integer not null,
        primary key (budget_key, window_start)
      );
      alter table cloud_accounts add column recheck_requested_at timestamptz null;
    `)
  }

  override down(): void {
    this.addSql(`
      alter table cloud_accounts drop column if exists recheck_requested_at;
      drop table if exists provider_budget_spend, broker_calls;
    `)
  }
}
