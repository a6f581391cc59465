// The flow as a Cloudflare Worker. One TokenManager at module scope, shared by every request
// the isolate serves: the way a Worker caches a token. Its settings come from the `FLOW_INPUT`
// binding, which `cloudflare:workers` exposes at module scope; its background renewals are
// kept running by `waitUntil`. Its clock can be moved forward (`/advance-clock?ms=`), so a
// test reaches the renewal window without waiting.

import { env, waitUntil } from 'cloudflare:workers';
import * as core from '@auth/core';
import * as fetchAdapter from '@auth/fetch';
import * as oauth from '@auth/oauth';
import { runFlow } from './flow.mjs';

const input = JSON.parse(env.FLOW_INPUT);
let clockOffsetMs = 0;
const events = [];
const manager = new core.TokenManager({
  provider: oauth.clientCredentials({
    tokenUrl: input.tokenUrl,
    clientId: input.clientId,
    clientSecret: input.clientSecret,
  }),
  waitUntil,
  now: () => Date.now() + clockOffsetMs,
  onEvent: (event) => events.push({ type: event.type, background: event.background }),
});
const api = fetchAdapter.createAuthFetch({ auth: core.tokenAuth(manager), baseUrl: input.apiUrl });

// biome-ignore lint/style/noDefaultExport: workerd calls the fetch handler of the default export
export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === '/flow') {
      const result = await runFlow({ core, oauth, fetch: fetchAdapter }, input);
      return Response.json({ ...result, format: 'esm' });
    }
    if (pathname.startsWith('/shared/')) {
      // Each request goes through the module-scope manager.
      const response = await api(`/bearer${pathname}`);
      return Response.json({ status: response.status, body: await response.json() });
    }
    if (pathname === '/advance-clock') {
      clockOffsetMs += Number(new URL(request.url).searchParams.get('ms'));
      return Response.json({ clockOffsetMs });
    }
    if (pathname === '/events') return Response.json(events);
    if (pathname === '/close') {
      // Closing the shared manager from another request than the one whose token request is
      // in flight.
      try {
        await manager.close();
        await manager.getToken();
        return Response.json({ closed: true, afterClose: 'served' });
      } catch (error) {
        return Response.json({ closed: true, afterClose: error.code ?? error.message });
      }
    }
    if (pathname === '/force-refresh') {
      // A token request made in a later request than the one that made the first.
      const tokens = await manager.forceRefresh();
      const response = await api('/bearer/after-force-refresh');
      await response.arrayBuffer();
      return Response.json({ status: response.status, expiresAt: tokens.expiresAt });
    }
    return new Response('not found', { status: 404 });
  },
};
