import { Migration } from '@mikro-orm/migrations'

/**
 * The sweep's claim walks `cloud_accounts_claim_idx` (issue 19): one provider's accounts in the
 * claim's own order, healthy ones first, longest unchecked first. Without it every claim of a few
 * dozen accounts read and sorted all of the provider's due accounts: 100,000 accounts meant
 * thousands of claims each sorting thousands of rows, and PostgreSQL, not the providers, set the
 * pace of a large sweep. It replaces `cloud_accounts_due_idx`, which only the claim used.
 *
 * Room on each page (fillfactor 80) lets PostgreSQL update a row in place when no indexed column
 * changes (a claim's lease), instead of adding a new entry to every index of this wide table.
 */
export class Migration20261215000000 extends Migration {
  override up(): void {
    this.addSql(`
      create index cloud_accounts_claim_idx
        on cloud_accounts (provider, (status <> 'connected'), last_checked_at nulls first);
      drop index cloud_accounts_due_idx;
      alter table cloud_accounts set (fillfactor = 80);
    `)
  }

  override down(): void {
    this.addSql(`
      alter table cloud_accounts reset (fillfactor);
      create index cloud_accounts_due_idx on cloud_accounts (last_checked_at nulls first);
      drop index cloud_accounts_claim_idx;
    `)
  }
}
