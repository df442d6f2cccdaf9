import { randomBytes, sign } from 'node:crypto'
import { send } from './rest.js'
import { noClose, type ClientTarget, type ServerClient } from './types.js'

/**
 * TransIP as transip/gotransip calls it (TransIP publishes no npm client). With the key pair it
 * first trades a signed body for a token (authenticator/authenticator.go getAuthRequest: login,
 * nonce, label, read_only, expiration_time, global_key; sign.go: RSA SHA-512 in `Signature`);
 * through the broker the Cloudlink token is the Bearer token and the broker does that exchange.
 * The write is a VPS order (vps/repository.go Order, 201 without a body: the new VPS is found by
 * its description) and its cancellation with `endTime: immediately` (Cancel).
 */
export function client(target: ClientTarget): ServerClient {
  const base = `${target.baseUrl}/v6`
  const json = { 'content-type': 'application/json', accept: 'application/json' }
  let bearer: Promise<string> | undefined
  const token = () => (bearer ??= target.token ? Promise.resolve(target.token) : exchange())
  async function exchange() {
    const { login, privateKey } = target.credentials ?? {}
    if (!login || !privateKey)
      throw new Error('a token or credentials.login and privateKey are required')
    const body = JSON.stringify({
      login,
      nonce: randomBytes(8).toString('hex'),
      label: `cloudlink-${Date.now()}`,
      read_only: false,
      expiration_time: '30 minutes',
      global_key: true,
    })
    const signature = sign('sha512', Buffer.from(body), privateKey).toString('base64')
    const answer = (await send(`${base}/auth`, {
      method: 'POST',
      headers: { ...json, Signature: signature },
      body,
    })) as { token: string }
    return answer.token
  }
  const api = async (path: string, init: RequestInit = {}) =>
    send(`${base}${path}`, {
      ...init,
      headers: { ...json, authorization: `Bearer ${await token()}` },
    })
  type Vps = { name: string; description: string }
  const all = async () => ((await api('/vps')) as { vpss: Vps[] }).vpss
  const servers = async () => (await all()).map((v) => v.description)
  return {
    servers,
    list: servers,
    async create(name) {
      const order = {
        productName: 'vps-bladevps-x1',
        availabilityZone: 'ams0',
        description: name,
        operatingSystem: 'ubuntu-24.04',
      }
      await api('/vps', { method: 'POST', body: JSON.stringify(order) })
      const made = (await all()).filter((v) => v.description === name).at(-1)
      if (!made) throw new Error(`the ordered VPS ${name} is not listed`)
      return made.name
    },
    async remove(vpsName) {
      await api(`/vps/${vpsName}`, {
        method: 'DELETE',
        body: JSON.stringify({ endTime: 'immediately' }),
      })
    },
    close: noClose,
  }
}
