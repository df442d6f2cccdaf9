import type { ServerListResult, VerifyResult } from '@cloudlink/shared'
import { UnreachableError, unreachable, type ProviderResponse } from './http.js'

export type Rejected = Extract<VerifyResult, { outcome: 'rejected' }>

export class RejectedError extends Error {
  constructor(readonly result: Rejected) {
    super(result.reason)
    this.name = 'RejectedError'
  }
}

export const rejected = (
  reason: string,
  res: ProviderResponse | number,
  providerCode?: string,
): RejectedError =>
  new RejectedError({
    outcome: 'rejected',
    reason,
    providerStatus: typeof res === 'number' ? res : res.status,
    ...(providerCode ? { providerCode } : {}),
  })

/**
 * Runs a provider conversation and turns its thrown verdicts into a result. Anything else that goes
 * wrong (a bug in our parsing, an unexpected shape) is unreachable, never rejected: only the
 * provider may say a credential is bad.
 */
export async function settle<T extends VerifyResult | ServerListResult>(
  providerName: string,
  run: () => Promise<T>,
): Promise<T | Exclude<VerifyResult, { outcome: 'verified' }>> {
  try {
    return await run()
  } catch (err: unknown) {
    if (err instanceof RejectedError) return err.result
    if (err instanceof UnreachableError) return err.result
    return unreachable(
      'server_error',
      `${providerName} sent a response Cloudlink could not understand`,
    )
  }
}

/** An answer we did not expect (a 404 on a documented path, a 3xx) is not a verdict either. */
export const unexpected = (providerName: string, res: ProviderResponse) =>
  new UnreachableError(
    unreachable('server_error', `${providerName} answered unexpectedly (HTTP ${res.status})`),
  )
