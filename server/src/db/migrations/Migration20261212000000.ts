import { Migration } from '@mikro-orm/migrations'

/**
 * Account security: sessions as rows, a second factor, password resets, a workspace's MFA rule.
 *
 * - `sessions`: one row per sign-in, keyed by the session token's jti. A token is honoured only
 *   while its row is there and not ended; ending one (sign-out, password change or reset, member
 *   removal, "end session") is announced with NOTIFY `s:<id>`, as sign-outs were, so every instance
 *   drops its cached check at once. `revoked_sessions` goes: tokens signed before this migration
 *   have no row, so everyone signs in once more after the upgrade.
 * - `user_mfa`: the TOTP secret, sealed by the vault (key_id/wrapped_key like a cloud account);
 *   `confirmed_at` null while enrolment is pending; `last_used_step` refuses a code's replay.
 *   Changes are announced as `u:<user id>` (a workspace requiring MFA checks it).
 * - `recovery_codes`, `mfa_challenges` (the login's second step) and `password_resets` keep only
 *   hashes of what they hand out.
 * - `workspaces.require_mfa`: changes are announced as `p:<workspace id>`.
 */
export class Migration20261212000000 extends Migration {
  override up(): void {
    this.addSql(`
      alter table workspaces add column require_mfa boolean not null default false;

      create table sessions (
        id uuid primary key,
        user_id uuid not null references users(id) on delete cascade deferrable initially deferred,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        last_seen_at timestamptz not null,
        ip varchar(64) null,
        user_agent varchar(512) null,
        reauth_at timestamptz not null,
        ended_at timestamptz null
      );
      create index sessions_user_id_idx on sessions (user_id) where ended_at is null;
      create index sessions_expires_at_idx on sessions (expires_at);

      create table user_mfa (
        user_id uuid primary key references users(id) on delete cascade deferrable initially deferred,
        key_id varchar(40) not null,
        wrapped_key bytea not null,
        sealed_secret bytea not null,
        confirmed_at timestamptz null,
        last_used_step bigint null,
        created_at timestamptz not null
      );
      create index user_mfa_key_id_idx on user_mfa (key_id);

      create table recovery_codes (
        id uuid primary key,
        user_id uuid not null references users(id) on delete cascade deferrable initially deferred,
        salt varchar(32) not null,
        code_hash varchar(64) not null,
        used_at timestamptz null,
        created_at timestamptz not null
      );
      create index recovery_codes_user_id_idx on recovery_codes (user_id);

      create table mfa_challenges (
        id uuid primary key,
        token_hash varchar(64) not null unique,
        user_id uuid not null references users(id) on delete cascade deferrable initially deferred,
        failures integer not null default 0,
        expires_at timestamptz not null,
        created_at timestamptz not null
      );
      create index mfa_challenges_expires_at_idx on mfa_challenges (expires_at);

      create table password_resets (
        id uuid primary key,
        token_hash varchar(64) not null unique,
        user_id uuid not null references users(id) on delete cascade deferrable initially deferred,
        workspace_id uuid null references workspaces(id) on delete cascade deferrable initially deferred,
        created_by uuid null references users(id) on delete set null deferrable initially deferred,
        expires_at timestamptz not null,
        used_at timestamptz null,
        created_at timestamptz not null
      );
      create index password_resets_user_id_idx on password_resets (user_id);

      create function notify_security_change() returns trigger language plpgsql as $$
      declare
        changed record := case when tg_op = 'DELETE' then old else new end;
      begin
        if tg_table_name = 'sessions' then
          perform pg_notify('cloudlink_changes', 's:' || changed.id);
        elsif tg_table_name = 'user_mfa' then
          perform pg_notify('cloudlink_changes', 'u:' || changed.user_id);
        else
          perform pg_notify('cloudlink_changes', 'p:' || changed.id);
        end if;
        return null;
      end $$;
      -- last_seen_at and reauth_at move often and change nobody's access: not announced.
      create trigger sessions_end_notify after update on sessions
        for each row when (old.ended_at is distinct from new.ended_at)
        execute function notify_security_change();
      create trigger sessions_delete_notify after delete on sessions
        for each row execute function notify_security_change();
      create trigger user_mfa_notify_ins after insert or delete on user_mfa
        for each row execute function notify_security_change();
      create trigger user_mfa_notify_upd after update on user_mfa
        for each row when (old.confirmed_at is distinct from new.confirmed_at)
        execute function notify_security_change();
      create trigger workspaces_policy_notify after update on workspaces
        for each row when (old.require_mfa is distinct from new.require_mfa)
        execute function notify_security_change();

      drop trigger if exists revoked_sessions_notify on revoked_sessions;
      drop table if exists revoked_sessions;
    `)
  }

  override down(): void {
    this.addSql(`
      create table revoked_sessions (jti uuid primary key, expires_at timestamptz not null);
      create trigger revoked_sessions_notify after insert on revoked_sessions
        for each row execute function notify_access_change();
      drop trigger if exists workspaces_policy_notify on workspaces;
      drop table if exists password_resets, mfa_challenges, recovery_codes, user_mfa, sessions;
      drop function if exists notify_security_change();
      alter table workspaces drop column if exists require_mfa;
    `)
  }
}
