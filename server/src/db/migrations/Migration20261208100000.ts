import { Migration } from '@mikro-orm/migrations'

/**
 * API tokens (machine access to one workspace) and audit entries made by them.
 *
 * - Only a SHA-256 of a token is kept: tokens carry 256 random bits, so a fast hash is as good as a
 *   slow one against guessing, and a database reader cannot use a token.
 * - Revoking (or deleting, with the workspace) a token is announced with NOTIFY `t:<id>` on
 *   `cloudlink_changes`, like a sign-out: every instance drops its cached lookup of it at once.
 *   Recording use (last_used_at/ip) announces nothing.
 * - `audit_entries.actor_type`: who `actor_id`/`actor_name` name, a person (`user`) or a token
 *   (`token`, without an email). Earlier entries with an actor were all made by people.
 */
export class Migration20261208100000 extends Migration {
  override up(): void {
    this.addSql(`
      create table api_tokens (
        id uuid primary key,
        workspace_id uuid not null references workspaces(id) on delete cascade deferrable initially deferred,
        name varchar(100) not null,
        token_hash varchar(64) not null,
        hint varchar(20) not null,
        scopes text[] not null,
        account_ids uuid[] null,
        read_only boolean not null default false,
        expires_at timestamptz not null,
        created_at timestamptz not null,
        created_by uuid null references users(id) on delete set null deferrable initially deferred,
        revoked_at timestamptz null,
        last_used_at timestamptz null,
        last_used_ip varchar(64) null
      );
      create unique index api_tokens_token_hash_uq on api_tokens (token_hash);
      create index api_tokens_workspace_id_idx on api_tokens (workspace_id, created_at);

      create function notify_token_change() returns trigger language plpgsql as $$
      begin
        perform pg_notify('cloudlink_changes', 't:' || case when tg_op = 'DELETE' then old.id else new.id end);
        return null;
      end $$;
      create trigger api_tokens_revoke_notify after update on api_tokens
        for each row when (old.revoked_at is distinct from new.revoked_at
                           or old.expires_at is distinct from new.expires_at
                           or old.token_hash is distinct from new.token_hash)
        execute function notify_token_change();
      create trigger api_tokens_delete_notify after delete on api_tokens
        for each row execute function notify_token_change();

      alter table audit_entries add column actor_type varchar(10) null
        check (actor_type in ('user', 'token'));
      update audit_entries set actor_type = 'user' where actor_id is not null;
    `)
  }

  override down(): void {
    this.addSql(`
      alter table audit_entries drop column if exists actor_type;
      drop trigger if exists api_tokens_delete_notify on api_tokens;
      drop trigger if exists api_tokens_revoke_notify on api_tokens;
      drop function if exists notify_token_change();
      drop table if exists api_tokens;
    `)
  }
}
