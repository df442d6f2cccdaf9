import { Migration } from '@mikro-orm/migrations'

/**
 * Pending invitations die with their inviter's ownership (removing or demoting an owner revokes
 * them in the same transaction). This drops the ones left over from before that rule: created by
 * someone who is no longer an owner of the workspace.
 */
export class Migration20261128000000 extends Migration {
  override up(): void {
    this.addSql(`
      delete from invitations i
      where i.accepted_at is null
        and not exists (
          select 1 from memberships m
          where m.workspace_id = i.workspace_id and m.user_id = i.created_by and m.role = 'owner'
        );
      create index invitations_workspace_id_created_by_idx on invitations (workspace_id, created_by);
    `)
  }

  override down(): void {
    this.addSql(`drop index if exists invitations_workspace_id_created_by_idx;`)
  }
}
