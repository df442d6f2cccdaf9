import { Migration } from '@mikro-orm/migrations'

/**
 * The sweep's claim walks this index (issue 19): one provider's accounts in the claim's own order,
 * healthy ones first, longest unchecked first. Without it every claim of a few dozen accounts read
 * and sorted all of the provider's due accounts: 100,000 accounts meant thousands of claims each
 * sorting thousands of rows, and PostgreSQL, not the providers, set the pace of a large sweep.
 */
export class Migration20261215000000 extends Migration {
  override up(): void {
    this.addSql(`
      create index cloud_accounts_claim_idx
        on cloud_accounts (provider, (status <> 'connected'), last_checked_at nulls first);
    `)
  }

  override down(): void {
    this.addSql(`drop index cloud_accounts_claim_idx;`)
  }
}
