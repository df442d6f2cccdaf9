import { randomUUID } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import type { ServerInfo } from '@cloudlink/shared'
import type { CloudAccount } from '../../db/entities/index.js'
import { storableText } from '../../providers/core/http.js'

/** A stored server as the inventory compares it: plain columns, not an ORM entity. */
export interface StoredServer {
  id: string
  providerServerId: string
}

interface ServerRow {
  id: string
  name: string
  status: string
  region: string | null
  ipv4: string | null
  kind: string | null
  at: string
}

interface NewServerRow extends ServerRow {
  workspaceId: string
  accountId: string
  provider: string
  providerServerId: string
}

/**
 * A provider's text as a column can hold it: cut to the column's length, then made well-formed (a
 * cut can split a surrogate pair, and a provider can send a lone one), and without NUL, which no
 * PostgreSQL text (nor jsonb, which carries the rows) accepts. One bad name must not keep an
 * account's verdicts from being written, sweep after sweep.
 */
const column = (text: string, max: number) => storableText(text.slice(0, max))

/**
 * The inventory writes of one transaction, gathered across its accounts and sent in at most three
 * statements. A sweep batch refreshes hundreds of servers; as ORM entities (hydrated, diffed and
 * written one by one) they cost about 40% of applying a batch's verdicts. Every server a listing
 * names is written, changed or not: its `lastSeenAt` moves with each listing.
 */
export class InventoryWrites {
  private inserts: NewServerRow[] = []
  private updates: ServerRow[] = []
  private deletes: string[] = []

  /** Makes the account's stored inventory what the provider just listed. */
  refresh(account: CloudAccount, servers: ServerInfo[], at: Date, existing: StoredServer[]) {
    const byProviderId = new Map(existing.map((s) => [s.providerServerId, s]))
    const seen = new Set<string>()
    for (const info of servers) {
      const providerServerId = column(info.providerServerId, 200)
      if (seen.has(providerServerId)) continue
      seen.add(providerServerId)
      const current = byProviderId.get(providerServerId)
      const row: ServerRow = {
        id: current?.id ?? randomUUID(),
        name: column(info.name, 255),
        status: column(info.status, 60),
        region: info.region == null ? null : column(info.region, 100),
        ipv4: info.ipv4 == null ? null : column(info.ipv4, 45),
        kind: info.kind == null ? null : column(info.kind, 40),
        at: at.toISOString(),
      }
      if (current) this.updates.push(row)
      else
        this.inserts.push({
          ...row,
          workspaceId: account.workspaceId,
          accountId: account.id,
          provider: account.provider,
          providerServerId,
        })
    }
    for (const server of existing)
      if (!seen.has(server.providerServerId)) this.deletes.push(server.id)
  }

  /** Sends what was gathered, inside the caller's transaction, and starts over. */
  async write(tx: EntityManager) {
    const { inserts, updates, deletes } = this
    this.inserts = []
    this.updates = []
    this.deletes = []
    // tx.execute joins the transaction (see pruneChecks); the rows travel as one JSON parameter.
    if (updates.length > 0)
      await tx.execute(
        `update servers s
            set name = v.name, status = v.status, region = v.region, ipv4 = v.ipv4,
                kind = v.kind, last_seen_at = v.at
           from jsonb_to_recordset(?::jsonb) as v(id uuid, name text, status text, region text,
                ipv4 text, kind text, at timestamptz)
          where s.id = v.id`,
        [JSON.stringify(updates)],
      )
    if (inserts.length > 0)
      await tx.execute(
        `insert into servers (id, workspace_id, account_id, provider, provider_server_id, name,
           status, region, ipv4, kind, last_seen_at, created_at)
         select v.id, v."workspaceId", v."accountId", v.provider, v."providerServerId", v.name,
                v.status, v.region, v.ipv4, v.kind, v.at, v.at
           from jsonb_to_recordset(?::jsonb) as v(id uuid, "workspaceId" uuid, "accountId" uuid,
                provider text, "providerServerId" text, name text, status text, region text,
                ipv4 text, kind text, at timestamptz)`,
        [JSON.stringify(inserts)],
      )
    if (deletes.length > 0)
      await tx.execute(`delete from servers where id = any(string_to_array(?, ',')::uuid[])`, [
        deletes.join(','),
      ])
  }
}

/** The stored servers of these accounts, by account: one query for a whole batch. */
export async function storedServers(
  tx: EntityManager,
  accountIds: string[],
): Promise<Map<string, StoredServer[]>> {
  const byAccount = new Map<string, StoredServer[]>(accountIds.map((id) => [id, []]))
  if (accountIds.length === 0) return byAccount
  const rows = await tx.execute<{ id: string; account_id: string; provider_server_id: string }[]>(
    `select id, account_id, provider_server_id from servers
      where account_id = any(string_to_array(?, ',')::uuid[])`,
    [accountIds.join(',')],
  )
  for (const r of rows)
    byAccount.get(r.account_id)?.push({ id: r.id, providerServerId: r.provider_server_id })
  return byAccount
}
