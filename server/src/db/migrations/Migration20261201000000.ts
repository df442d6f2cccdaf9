import { Migration } from '@mikro-orm/migrations'

/** The app_state key that asks for AWS fingerprints to be recomputed (see refingerprint.ts). */
export const AWS_ONE_KEY_ONE_ACCOUNT = 'upgrade:aws-one-key-one-account'

/**
 * Inventory across product lines and regions.
 *
 * - `servers.kind`: the provider's product line (OVHcloud `dedicated`, `vps`, `instance`).
 * - AWS: one access key is now one account covering every region, so its duplicate-detection
 *   fingerprint no longer includes the region. Fingerprints are HMACs keyed by the vault and fed the
 *   decrypted credential, which SQL cannot see: this migration only leaves a marker, and the server
 *   recomputes them (merging rows of the same key connected for several regions) right after it
 *   migrated, when it holds the vault keys. Installations without AWS accounts get no marker.
 */
export class Migration20261201000000 extends Migration {
  override up(): void {
    this.addSql(`
      alter table servers add column kind varchar(40) null;
      insert into app_state (key, value, updated_at)
        select '${AWS_ONE_KEY_ONE_ACCOUNT}', '"pending"'::jsonb, now()
        where exists (select 1 from cloud_accounts where provider = 'aws')
        on conflict (key) do nothing;
    `)
  }

  override down(): void {
    this.addSql(`
      delete from app_state where key = '${AWS_ONE_KEY_ONE_ACCOUNT}';
      alter table servers drop column if exists kind;
    `)
  }
}
