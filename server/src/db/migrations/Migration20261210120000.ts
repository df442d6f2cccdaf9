import { Migration } from '@mikro-orm/migrations'

/**
 * `cloud_accounts.access`: what each credential was proven to be allowed to do per capability
 * (`{ compute?, dns?, storage? }`, each `{ level, missing, evidence, checkedAt }`). Empty until the
 * first probe answers. The account list shows it, so a change of it alone moves the workspace
 * revision like any other visible column (see Migration20261127160000).
 */
export class Migration20261210120000 extends Migration {
  override up(): void {
    this.addSql(`
      alter table cloud_accounts add column access jsonb not null default '{}';
      create constraint trigger cloud_accounts_revision_access
        after update on cloud_accounts
        deferrable initially deferred for each row
        when (old.access is distinct from new.access)
        execute function bump_workspace_revision();
    `)
  }

  override down(): void {
    this.addSql(`
      drop trigger cloud_accounts_revision_access on cloud_accounts;
      alter table cloud_accounts drop column access;
    `)
  }
}
