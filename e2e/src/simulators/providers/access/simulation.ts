import { json } from '../../http.js'
import type { ProviderSpec, RouteContext } from '../../spec.js'
import { params } from '../aws/auth.js'
import { ec2Error } from '../aws/xml.js'
import { interceptRoute, levelOf, withRoutes } from './patch.js'

/**
 * Providers that answer "would this be allowed?" without doing it: EC2 dry runs, GCP
 * testIamPermissions, Azure's effective permissions. Nothing here creates anything.
 */

const DRY_RUN_WRITES = new Set(['RunInstances', 'TerminateInstances'])

/** EC2 `DryRun=true` on a write: 412 DryRunOperation when allowed, 403 UnauthorizedOperation. */
export function awsAccess(spec: ProviderSpec): ProviderSpec {
  const dryRun = ({ req, account }: RouteContext) => {
    const p = params(req)
    if (p.get('DryRun') !== 'true' || !DRY_RUN_WRITES.has(p.get('Action') ?? '')) return undefined
    if (account.scopes === 'insufficient' || levelOf(account, 'compute') !== 'write')
      return ec2Error(
        403,
        'UnauthorizedOperation',
        'You are not authorized to perform this operation.',
      )
    return ec2Error(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.')
  }
  return interceptRoute(interceptRoute(spec, 'POST', '/', dryRun), 'GET', '/', dryRun)
}

const GCP_COMPUTE_WRITE = ['compute.instances.create', 'compute.instances.delete']
const GCP_COMPUTE_READ = ['compute.instances.list', 'compute.instances.get']

/**
 * POST /v1/projects/{p}:testIamPermissions: the subset of the asked permissions held. Needs no
 * permission of its own (a token without the scope is refused by authentication already).
 */
export function gcpAccess(spec: ProviderSpec): ProviderSpec {
  return withRoutes(spec, [
    {
      method: 'POST',
      path: '/v1/projects/:resource',
      handle: ({ params: p, req, account }) => {
        const [project, verb] = (p.resource ?? '').split(':')
        if (verb !== 'testIamPermissions' || !project)
          return json(404, { error: { code: 404, message: 'Not Found', status: 'NOT_FOUND' } })
        let asked: string[]
        try {
          asked = (JSON.parse(req.body || '{}') as { permissions?: string[] }).permissions ?? []
        } catch {
          return json(400, {
            error: {
              code: 400,
              message: 'Invalid JSON payload received.',
              status: 'INVALID_ARGUMENT',
            },
          })
        }
        const level = account.scopes === 'insufficient' ? 'none' : levelOf(account, 'compute')
        const held = new Set([
          ...(level === 'none' ? [] : GCP_COMPUTE_READ),
          ...(level === 'write' ? GCP_COMPUTE_WRITE : []),
        ])
        const permissions = asked.filter((a) => held.has(a))
        // Google leaves `permissions` out when none is held.
        return json(200, permissions.length ? { permissions } : {})
      },
    },
  ])
}

/** Built-in role definitions as the permissions endpoint returns them (Contributor, Reader). */
const AZURE_ROLES = {
  write: [
    {
      actions: ['*'],
      notActions: [
        'Microsoft.Authorization/*/Delete',
        'Microsoft.Authorization/*/Write',
        'Microsoft.Authorization/elevateAccess/Action',
      ],
      dataActions: [],
      notDataActions: [],
    },
  ],
  read: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }],
  none: [],
}

export function azureAccess(spec: ProviderSpec): ProviderSpec {
  return withRoutes(spec, [
    {
      method: 'GET',
      path: '/subscriptions/:subscriptionId/providers/Microsoft.Authorization/permissions',
      handle: ({ account }) => {
        const level = account.scopes === 'insufficient' ? 'none' : levelOf(account, 'compute')
        return json(200, { value: AZURE_ROLES[level] })
      },
    },
  ])
}
