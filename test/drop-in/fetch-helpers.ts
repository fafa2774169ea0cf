// Shared set-up of the gateway.fetch tests: a gateway over an OpenAI mock server, and its events.
import OpenAI from 'openai';
import { createGateway, type GatewayConfig, type GatewayEvent, type RequestEndEvent } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { startMockServer, type MockServer } from '@switchyard/testing';
import { afterEach } from 'vitest';

/** The base URL every front-end library is given: any host works, the path ends in `/v1`. */
export const BASE_URL = 'http://switchyard.local/v1';

export { flushEvents } from '../gateway/helpers.js';
export { until } from '../governance/helpers.js';

/**
 * A gateway whose provider `up` is the `openai` adapter over a mock server (routes `smart`
 * and whatever `extra` adds; its `providers` join `up`), with its events collected. Closed after each test.
 */
export function fetchGateways() {
  let servers: MockServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
  });
  return async (extra: Partial<GatewayConfig> = {}) => {
    const server = await startMockServer();
    servers.push(server);
    const events: GatewayEvent[] = [];
    const { providers, ...rest } = extra;
    const gateway = createGateway({
      models: { smart: 'up/gpt-4.1' },
      routing: { retry: false },
      onEvent: (event) => void events.push(event),
      ...rest,
      providers: { up: openai({ client: new OpenAI({ apiKey: 'sk-upstream-secret', baseURL: server.baseURL, maxRetries: 0 }) }), ...providers },
    });
    const ends = () => events.filter((event): event is RequestEndEvent => event.type === 'request.end');
    return { server, gateway, events, ends };
  };
}
