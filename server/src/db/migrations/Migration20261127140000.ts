import { Migration } from '@mikro-orm/migrations'

/**
 * Pending OAuth authorizations. Only a SHA-256 of the state and of the browser-binding cookie is
 * kept, and the PKCE verifier is sealed by the vault: a database reader can neither complete nor
 * forge a callback. Rows are single-use (deleted when the callback arrives) and expire after 10
 * minutes.
 */
export class Migration20261127140000 extends Migration {
  override up(): void {
    this.addSql(`
      create table oauth_states (
        id uuid primary key,
        state_hash varchar(64) not null unique,
        browser_hash varchar(64) not null,
        provider varchar(40) not null,
        workspace_id uuid not null references workspaces(id) on delete cascade deferrable initially deferred,
        user_id uuid not null references users(id) on delete cascade deferrable initially deferred,
        account_id uuid null references cloud_accounts(id) on delete cascade deferrable initially deferred,
        label varchar(100) null,
        key_id varchar(40) not null,
        wrapped_key bytea not null,
        sealed_verifier bytea not null,
        expires_at timestamptz not null,
        created_at timestamptz not null
      );
      create index oauth_states_expires_at_idx on oauth_states (expires_at);
    `)
  }

  override down(): void {
    this.addSql(`drop table if exists oauth_states;`)
  }
}
