import {
  createHash,
  createHmac,
  createSecretKey,
  type Hash,
  type Hmac,
  type KeyObject,
} from 'node:crypto'

type SourceData = string | ArrayBuffer | ArrayBufferView

/**
 * The SHA-256 the SigV4 signer hashes and keys with: node:crypto, as the SDK's own `Sha256Node`,
 * but with each binary HMAC key made a KeyObject first. Node 24's createHmac takes a slow path for a
 * Buffer key (an internal type probe throws and is caught: about 40 µs, against 6 µs for a
 * KeyObject), and SigV4 derives its signing key with four keyed HMACs on every request.
 */
export class Sha256 {
  readonly digestLength = 32
  private readonly key: KeyObject | string | undefined
  private hash: Hash | Hmac

  constructor(secret?: SourceData) {
    // As Sha256Node: an empty string means no key (a plain hash).
    this.key =
      secret === undefined || secret === ''
        ? undefined
        : typeof secret === 'string'
          ? secret
          : createSecretKey(toBytes(secret))
    this.hash = this.fresh()
  }

  update(data: Uint8Array): void {
    this.hash.update(data)
  }

  async digest(): Promise<Uint8Array> {
    // A plain hash may go on after a digest (the signer hashes a body incrementally); an HMAC not.
    const out = this.key === undefined ? (this.hash as Hash).copy().digest() : this.hash.digest()
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
  }

  reset(): void {
    this.hash = this.fresh()
  }

  private fresh(): Hash | Hmac {
    return this.key === undefined ? createHash('sha256') : createHmac('sha256', this.key)
  }
}

const toBytes = (data: ArrayBuffer | ArrayBufferView): Uint8Array =>
  ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data)
