import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { connect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:tls'

/**
 * An https front for a simulator or the broker, for client libraries that only speak https
 * (ovh/node-ovh calls `https.request` and signs `https://host/path`). It terminates TLS with a
 * certificate made for this run (openssl, 127.0.0.1 only) and passes the bytes through, so the
 * target sees exactly what the library sent; with `addHeaders` it forwards each request instead,
 * adding those headers (node-ovh has no hook to add one itself). The certificate is trusted by
 * this process's default https agent only.
 */
export async function tlsFront(
  target: string,
  opts: { addHeaders?: Record<string, string> } = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cloudlink-tls-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    )
    const key = readFileSync(join(dir, 'key.pem'))
    const cert = readFileSync(join(dir, 'cert.pem'))
    const ca = https.globalAgent.options.ca
    https.globalAgent.options.ca = [...(Array.isArray(ca) ? ca : ca ? [ca] : []), cert]
    const { hostname, port } = new URL(target)
    const sockets = new Set<{ destroy(): void }>()
    if (opts.addHeaders) return await forwarding({ key, cert }, target, opts.addHeaders, sockets)
    const server = createServer({ key, cert }, (socket) => {
      const upstream = connect(Number(port), hostname)
      sockets.add(socket).add(upstream)
      socket.pipe(upstream).pipe(socket)
      upstream.on('error', () => socket.destroy())
      socket.on('error', () => upstream.destroy())
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return {
      port: (server.address() as AddressInfo).port,
      close: () =>
        new Promise<void>((resolve) => {
          // Keep-alive connections of the default agent would hold close() open.
          for (const socket of sockets) socket.destroy()
          server.close(() => resolve())
        }),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Forwards each request to `target` (http) with `headers` added, the answer streamed back. */
async function forwarding(
  tls: { key: Buffer; cert: Buffer },
  target: string,
  headers: Record<string, string>,
  sockets: Set<{ destroy(): void }>,
) {
  const { hostname, port } = new URL(target)
  const server = https.createServer(tls, (req, res) => {
    const upstream = http.request(
      {
        host: hostname,
        port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: `${hostname}:${port}`, ...headers },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('connection', (socket) => sockets.add(socket))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
