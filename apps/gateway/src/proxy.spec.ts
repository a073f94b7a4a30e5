import { forwardableHeaders, returnableHeaders } from './proxy';

describe('gateway header filtering', () => {
  it('drops hop-by-hop, Connection-listed, proxy-*, consumed and every x-incident-sync-* request header', () => {
    const out = forwardableHeaders({
      connection: 'keep-alive, X-Secret-Hop',
      'x-secret-hop': 'drop me',
      'keep-alive': 'timeout=5',
      'proxy-authorization': 'Basic x',
      'proxy-connection': 'keep-alive',
      te: 'trailers',
      trailer: 'x',
      'transfer-encoding': 'chunked',
      upgrade: 'websocket',
      host: 'gateway',
      'content-length': '12',
      expect: '100-continue',
      authorization: 'Bearer isk_x',
      'x-api-key': 'isk_x',
      'x-organization-id': 'other-org',
      'x-incident-sync-org': 'other-org',
      'x-incident-sync-admin': 'true',
      'x-incident-sync-actor': 'me',
      'x-incident-sync-internal-token': 'guess',
      'x-incident-sync-gateway-token': 'guess',
      'x-incident-sync-anything': 'guess',
      'content-type': 'application/json',
      accept: 'application/json',
      'x-pagerduty-signature': 'v1=abc',
      'x-webhook-id': 'w1',
    });
    expect(out).toEqual({ 'content-type': 'application/json', accept: 'application/json', 'x-pagerduty-signature': 'v1=abc', 'x-webhook-id': 'w1' });
  });

  it('drops hop-by-hop and internal response headers, keeping the body length', () => {
    const out = returnableHeaders({ connection: 'close', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked', 'x-incident-sync-org': 'x', 'content-length': '2', 'content-type': 'application/json' });
    expect(out).toEqual({ 'content-length': '2', 'content-type': 'application/json' });
  });
});
