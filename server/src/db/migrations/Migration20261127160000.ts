import { Migration } from '@mikro-orm/migrations'

/** The cloud-account columns the API shows; a change to any other column (leases, key rotation) is invisible. */
const VISIBLE = [
  'workspace_id',
  'provider',
  'label',
  'description',
  'hint',
  'status',
  'status_reason',
  'identity',
  'capabilities',
  'warnings',
  'is_default',
  'last_checked_at',
  'last_healthy_at',
  'last_check',
  'created_at',
  'updated_at',
  'created_by',
]

/**
 * A revision number per workspace, bumped by the database itself whenever anything the account
 * list shows changes: any writer (this process, another instance, the recheck worker, a manual
 * fix in psql) moves it, so an instance may serve a cached list as long as the revision it reads
 * with the session check is the one the list was cached under.
 *
 * Each bump is also announced with NOTIFY on `cloudlink_changes` (delivered at commit), together with
 * changes to sessions, memberships and users, so instances can keep read caches without asking.
 *
 * The triggers are deferred constraint triggers: the revision row is locked only at commit, after
 * every other row lock of the transaction, so bumping it can never join a deadlock cycle with the
 * account rows, and readers see the revision and the change it stands for commit together.
 */
export class Migration20261127160000 extends Migration {
  override up(): void {
    const changed = VISIBLE.map((c) => `old.${c} is distinct from new.${c}`).join(' or ')
    this.addSql(`
      create table workspace_revisions (
        workspace_id uuid primary key,
        revision bigint not null
      );

      create function bump_workspace_revision() returns trigger language plpgsql as $$
      declare
        ws uuid := case when tg_op = 'DELETE' then old.workspace_id else new.workspace_id end;
      begin
        insert into workspace_revisions as r (workspace_id, revision) values (ws, 1)
          on conflict (workspace_id) do update set revision = r.revision + 1;
        -- Identical notifications in one transaction are delivered once: one per workspace.
        perform pg_notify('cloudlink_changes', 'w:' || ws);
        if tg_op = 'UPDATE' and old.workspace_id is distinct from new.workspace_id then
          insert into workspace_revisions as r (workspace_id, revision) values (old.workspace_id, 1)
            on conflict (workspace_id) do update set revision = r.revision + 1;
          perform pg_notify('cloudlink_changes', 'w:' || old.workspace_id);
        end if;
        return null;
      end $$;

      create constraint trigger cloud_accounts_revision_ins
        after insert or delete on cloud_accounts
        deferrable initially deferred for each row execute function bump_workspace_revision();
      create constraint trigger cloud_accounts_revision_upd
        after update on cloud_accounts
        deferrable initially deferred for each row
        when (${changed})
        execute function bump_workspace_revision();

      -- Server rows count towards serverCount only through account_id.
      create constraint trigger servers_revision_ins
        after insert or delete on servers
        deferrable initially deferred for each row execute function bump_workspace_revision();
      create constraint trigger servers_revision_upd
        after update on servers
        deferrable initially deferred for each row
        when (old.account_id is distinct from new.account_id or old.workspace_id is distinct from new.workspace_id)
        execute function bump_workspace_revision();

      -- createdBy shows the creator's name and email.
      create function bump_creator_workspaces() returns trigger language plpgsql as $$
      declare
        bumped record;
      begin
        for bumped in
          insert into workspace_revisions as r (workspace_id, revision)
            select distinct a.workspace_id, 1 from cloud_accounts a
             where a.created_by = new.id order by 1
            on conflict (workspace_id) do update set revision = r.revision + 1
            returning r.workspace_id
        loop
          perform pg_notify('cloudlink_changes', 'w:' || bumped.workspace_id);
        end loop;
        return null;
      end $$;
      create constraint trigger users_revision_upd
        after update on users
        deferrable initially deferred for each row
        when (old.name is distinct from new.name or old.email is distinct from new.email)
        execute function bump_creator_workspaces();

      -- Who may see what: a signed-out session, a membership or a user changed. Instances that
      -- cache session checks for reads drop them on these (see the read-cache plugin).
      create function notify_access_change() returns trigger language plpgsql as $$
      declare
        changed record := case when tg_op = 'DELETE' then old else new end;
      begin
        if tg_table_name = 'revoked_sessions' then
          perform pg_notify('cloudlink_changes', 's:' || changed.jti);
        elsif tg_table_name = 'memberships' then
          perform pg_notify('cloudlink_changes', 'm:' || changed.user_id);
        else
          perform pg_notify('cloudlink_changes', 'u:' || changed.id);
        end if;
        return null;
      end $$;
      create trigger revoked_sessions_notify after insert on revoked_sessions
        for each row execute function notify_access_change();
      create trigger memberships_notify after insert or update or delete on memberships
        for each row execute function notify_access_change();
      create trigger users_notify after update or delete on users
        for each row execute function notify_access_change();
    `)
  }

  override down(): void {
    this.addSql(`
      drop trigger if exists users_notify on users;
      drop trigger if exists memberships_notify on memberships;
      drop trigger if exists revoked_sessions_notify on revoked_sessions;
      drop function if exists notify_access_change();
      drop trigger if exists users_revision_upd on users;
      drop trigger if exists servers_revision_upd on servers;
      drop trigger if exists servers_revision_ins on servers;
      drop trigger if exists cloud_accounts_revision_upd on cloud_accounts;
      drop trigger if exists cloud_accounts_revision_ins on cloud_accounts;
      drop function if exists bump_creator_workspaces();
      drop function if exists bump_workspace_revision();
      drop table if exists workspace_revisions;
    `)
  }
}
