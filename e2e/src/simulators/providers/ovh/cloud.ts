import { ipv4, randomRng, stableUuid, uuid } from '../../generate.js'
import { json, jsonBody } from '../../http.js'
import type { Account, Route, RouteContext } from '../../spec.js'
import { resourcesOf } from '../../store.js'
import { instance, notFound, ofKind, projectOf } from './products.js'

/**
 * OVHcloud Public Cloud projects and their instances (cloud.json: GET /cloud/project,
 * GET/POST /cloud/project/{serviceName}/instance, DELETE …/instance/{instanceId}). Creating an
 * instance is the nearest harmless write OVHcloud has: dedicated servers and VPS are ordered
 * through the cart, never created by the API. A project exists once it has held an instance (the
 * simulator has no project ordering), and stays when its last instance is deleted.
 */

/** The account's projects, in the order first seen; instances add theirs. */
function projectsOf(account: Account): string[] {
  const known = resourcesOf<string>(account, 'ovh:projects')
  for (const s of ofKind(account, 'instance')) {
    const project = projectOf(account, s)
    if (!known.includes(project)) known.push(project)
  }
  return known
}

const inProject = (account: Account, project: string) =>
  ofKind(account, 'instance').filter((s) => projectOf(account, s) === project)

/** Public Cloud region names: GRA11, SBG5, BHS5, DE1, UK1, WAW1, … */
const REGION = /^[A-Z]{2,4}\d{0,2}$/

const badRequest = (message: string) => json(400, { class: 'Client::BadRequest', message })

/** `cloud.instance.InstanceDetail`: the instance with its flavor and image objects, still BUILD. */
function detail(s: ReturnType<typeof instance>, flavorId: string, imageId: string | null) {
  const { flavorId: _flavor, imageId: _image, ...rest } = s
  return {
    ...rest,
    status: 'BUILD',
    flavor: {
      id: flavorId,
      name: 'b3-8',
      region: s.region,
      vcpus: 2,
      ram: 8000,
      disk: 50,
      type: 'ovh.ssd.cpu',
      osType: 'linux',
      available: true,
      inboundBandwidth: 250,
      outboundBandwidth: 250,
      quota: 20,
      planCodes: { hourly: 'b3-8.consumption', monthly: 'b3-8.monthly.postpaid' },
    },
    image: imageId
      ? { id: imageId, name: 'Ubuntu 24.04', region: s.region, type: 'linux', status: 'active' }
      : null,
    sshKey: null,
    rescuePassword: null,
  }
}

function createInstance({ req, account, params }: RouteContext) {
  const project = params.serviceName ?? ''
  if (!projectsOf(account).includes(project)) return notFound('serviceName', project)
  // node-ovh sends no body at all when there are no parameters left.
  const body = req.body.trim() ? jsonBody(req) : {}
  if (!body) return badRequest('Invalid JSON body')
  const missing = ['flavorId', 'name', 'region'].filter(
    (field) => typeof body[field] !== 'string' || !body[field],
  )
  if (missing.length) return badRequest(`Missing parameter(s): ${missing.join(', ')}`)
  const region = body.region as string
  if (!REGION.test(region)) return badRequest(`Invalid region: ${region}`)
  const rng = randomRng()
  const server = {
    providerServerId: uuid(rng),
    name: body.name as string,
    status: 'ACTIVE',
    region,
    ipv4: ipv4(rng),
    kind: 'instance',
    project,
  }
  account.servers.push(server)
  const imageId = typeof body.imageId === 'string' ? body.imageId : null
  const rendered = instance({ ...server, ipv4: null })
  return json(200, {
    ...detail(rendered, body.flavorId as string, imageId),
    operationIds: [stableUuid(`op:${server.providerServerId}`)],
    planCode: body.monthlyBilling === true ? 'b3-8.monthly.postpaid' : 'b3-8.consumption',
  })
}

function deleteInstance({ account, params }: RouteContext) {
  const project = params.serviceName ?? ''
  if (!projectsOf(account).includes(project)) return notFound('serviceName', project)
  const s = inProject(account, project).find((x) => x.providerServerId === params.instanceId)
  if (!s) return notFound('instanceId', params.instanceId ?? '')
  account.servers.splice(account.servers.indexOf(s), 1)
  // The schema's answer is `void`: OVHcloud sends a JSON null.
  return json(200, null)
}

export const cloudRoutes: Route[] = [
  {
    method: 'GET',
    path: '/1.0/cloud/project',
    handle: ({ account }) => json(200, projectsOf(account)),
  },
  {
    method: 'GET',
    path: '/1.0/cloud/project/:serviceName/instance',
    handle: ({ req, account, params }) => {
      const project = params.serviceName ?? ''
      if (!projectsOf(account).includes(project)) return notFound('serviceName', project)
      const region = req.url.searchParams.get('region')
      const listed = inProject(account, project).filter((s) => !region || s.region === region)
      return json(200, listed.map(instance))
    },
  },
  // The consumer key's access rules decide who may write (./auth.ts), not a route scope.
  {
    method: 'POST',
    path: '/1.0/cloud/project/:serviceName/instance',
    write: true,
    handle: createInstance,
  },
  {
    method: 'DELETE',
    path: '/1.0/cloud/project/:serviceName/instance/:instanceId',
    write: true,
    handle: deleteInstance,
  },
]
