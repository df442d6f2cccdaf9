import t from 'tap'
import { redactUrl } from '../src/logger.js'

t.test('redactUrl cuts out exactly the secret params a route declares', async (t) => {
  const accept = '/api/v1/invitations/:token/accept'
  t.equal(
    redactUrl('/api/v1/invitations/s3cret/accept', accept, ['token']),
    '/api/v1/invitations/[redacted]/accept',
  )
  t.equal(
    redactUrl('/api/v1/invitations/s3cret/accept?x=1', accept, ['token']),
    '/api/v1/invitations/[redacted]/accept?x=1',
    'other query parameters stay',
  )
  t.equal(
    redactUrl(
      '/api/v1/workspaces/w1/members/u1',
      '/api/v1/workspaces/:workspaceId/members/:userId',
      [],
    ),
    '/api/v1/workspaces/w1/members/u1',
    'a route without secrets is logged as it came',
  )
  t.equal(
    redactUrl(
      '/api/v1/oauth/gcp/callback?code=abc&state=def&error=x',
      '/api/v1/oauth/gcp/callback',
      ['code', 'state'],
    ),
    '/api/v1/oauth/gcp/callback?code=%5Bredacted%5D&state=%5Bredacted%5D&error=x',
    'secret query parameters too',
  )
  t.equal(
    redactUrl('/files/a-s3cret', '/files/:name-:token', ['token']),
    '/files/:name-:token',
    'a secret sharing its segment: the pattern is logged, not the path',
  )
  t.equal(
    redactUrl('/invite/s3cret/extra', '/invite/:token', ['token']),
    '/invite/:token',
    'a path that does not line up with the pattern: the pattern',
  )
})
