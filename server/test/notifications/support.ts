import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { SMTPServer } from 'smtp-server'
import { simpleParser } from 'mailparser'
import { Webhook } from 'standardwebhooks'
import type { NotifySettings } from '../../src/domain/notifications/settings.js'
import type { Session } from '../support/fixtures.js'

type Test = { teardown(fn: () => unknown): void }

/** Fast pacing for tests: short backoff, deadlines and idle times; same code paths. */
export const FAST_NOTIFY: Partial<NotifySettings & { dueScanMs: number }> = {
  retryBaseMs: 300,
  retryMaxMs: 1_000,
  attemptTimeoutMs: 1_000,
  leaseMs: 10_000,
  pollMs: 50,
  idleMs: 3_000,
  digestSettleMs: 300,
  dueScanMs: 300,
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

export interface ReceivedMail {
  to: string[]
  from: string
  subject: string
  text: string
  html: string
}

/** A real SMTP server on loopback (smtp-server), parsing each message with mailparser. */
export async function startSmtp(t: Test) {
  const messages: ReceivedMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'notify' }),
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from:
              typeof session.envelope.mailFrom === 'object'
                ? session.envelope.mailFrom.address
                : '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
          })
          callback()
        })
        .catch((err: Error) => callback(err))
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `smtp://notify:mail-password@127.0.0.1:${port}`, messages }
}

export interface Received {
  id: string
  headers: IncomingHttpHeaders
  body: string
  payload: { type: string; timestamp: string; data: Record<string, unknown> }
  /** Whether standardwebhooks verified the signature with the webhook's secret. */
  verified: boolean
}

type Answer = number | 'hang' | 'reset'

/**
 * A webhook receiver on loopback that verifies every signature with `standardwebhooks`. Answers
 * come from a queue (`answer(500, 'hang', ...)`), 200 when it is empty; `stop()` closes the port so
 * a delivery meets a refused connection, and `start()` opens the same port again.
 */
export async function startReceiver(t: Test, host = '127.0.0.1') {
  const received: Received[] = []
  const answers: Answer[] = []
  const sockets = new Set<Socket>()
  let secret = ''
  let delayMs = 0
  let server: Server | null = null
  let port = 0

  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = []
        req.on('data', (c: Buffer) => chunks.push(c))
        req.on('end', () => {
          void (async () => {
            const body = Buffer.concat(chunks).toString('utf8')
            const verified = (() => {
              try {
                new Webhook(secret).verify(body, req.headers as Record<string, string>)
                return true
              } catch {
                return false
              }
            })()
            received.push({
              id: String(req.headers['webhook-id']),
              headers: req.headers,
              body,
              payload: JSON.parse(body) as Received['payload'],
              verified,
            })
            const answer = answers.shift() ?? 200
            if (delayMs > 0) await sleep(delayMs)
            if (answer === 'hang') return
            if (answer === 'reset') return void req.socket.destroy()
            res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok')
          })()
        })
      })
      server.on('connection', (s) => {
        sockets.add(s)
        s.on('close', () => sockets.delete(s))
      })
      server.listen(port, host, () => {
        port = (server?.address() as AddressInfo).port
        resolve()
      })
    })
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      if (!server) return resolve()
      server.close(() => resolve())
      server = null
    })
  await open()
  t.teardown(close)
  return {
    received,
    get url() {
      return `http://${host}:${port}/hooks/cloudlink`
    },
    setSecret: (s: string) => void (secret = s),
    answer: (...next: Answer[]) => void answers.push(...next),
    setDelay: (ms: number) => void (delayMs = ms),
    stop: close,
    start: open,
  }
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>

export const webhooksUrl = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}/webhooks`

/** Creates a webhook through the API and points the receiver's verification at its secret. */
export async function addWebhook(
  app: FastifyInstance,
  owner: Session,
  workspaceId: string,
  receiver: Receiver,
  events: string[] = [
    'account.needs_attention',
    'account.expired',
    'account.recovered',
    'account.stale',
  ],
) {
  const res = await app.inject({
    method: 'POST',
    url: webhooksUrl(workspaceId),
    headers: owner.headers,
    payload: { url: receiver.url, events },
  })
  if (res.statusCode !== 201) throw new Error(`webhook: ${res.statusCode} ${res.body}`)
  const webhook = res.json() as { id: string; secret: string }
  receiver.setSecret(webhook.secret)
  return webhook
}

/** Every config a notifications test needs: mail to the test SMTP server, loopback receivers. */
export const notifyConfig = (smtpUrl?: string): Record<string, string> => ({
  WEBHOOK_ALLOW_HTTP: '1',
  WEBHOOK_ALLOW_PRIVATE: '1',
  PUBLIC_URL: 'https://cloudlink.example.test',
  MAIL_FROM: 'Cloudlink <alerts@cloudlink.example.test>',
  ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}),
})

export async function attemptsOf(app: FastifyInstance, owner: Session, ws: string, id: string) {
  const res = await app.inject({
    url: `${webhooksUrl(ws)}/${id}/deliveries`,
    headers: owner.headers,
  })
  return (
    res.json() as { items: { id: string; attempt: number; status: string; error?: string }[] }
  ).items
}
