import type { EntityManager } from '@mikro-orm/postgresql'
import type { AccountAlert, NotificationEvent } from '@cloudlink/shared'

interface Row {
  account_id: string
  type: NotificationEvent
  at: Date | string
  told: { id: string; name: string; at: string }[] | null
  webhook_at: Date | string | null
}

const iso = (v: Date | string) => new Date(v).toISOString()

/**
 * For each account of the workspace that has had an event: the latest one, which owners an email
 * about the account reached since then (each with the time of the latest), and the latest webhook
 * delivery about it that a receiver accepted. What the accounts page shows beside a broken account.
 */
export async function accountAlerts(
  em: EntityManager,
  workspaceId: string,
): Promise<AccountAlert[]> {
  const rows = await em.execute<Row[]>(
    `with latest as (
       select distinct on (e.account_id) e.account_id, e.type, e.created_at as at
         from notification_events e join cloud_accounts a on a.id = e.account_id
        where e.workspace_id = ? and a.workspace_id = ? and e.type like 'account.%'
        order by e.account_id, e.created_at desc)
     select l.account_id, l.type, l.at,
            (select jsonb_agg(jsonb_build_object('id', t.user_id, 'name', t.name, 'at', t.at)
                              order by t.at desc)
               from (select r->>'userId' as user_id, max(r->>'name') as name, max(m.sent_at) as at
                       from notification_emails m, jsonb_array_elements(m.told) r
                      where m.workspace_id = ? and m.status = 'sent' and l.account_id = any(m.account_ids)
                        and m.sent_at >= l.at
                      group by 1) t) as told,
            (select max(x.at) from webhook_attempts x
               join notification_events e2 on e2.id = x.event_id
              where e2.account_id = l.account_id and x.status = 'delivered' and x.at >= l.at) as webhook_at
       from latest l order by l.at desc`,
    [workspaceId, workspaceId, workspaceId],
  )
  return rows.map((r) => ({
    accountId: r.account_id,
    event: r.type,
    at: iso(r.at),
    told: (r.told ?? []).map((t) => ({ user: { id: t.id, name: t.name }, at: iso(t.at) })),
    webhookDeliveredAt: r.webhook_at ? iso(r.webhook_at) : null,
  }))
}
