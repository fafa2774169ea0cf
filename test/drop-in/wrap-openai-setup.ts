// Shared setup of the wrap-openai tests: the real `openai` SDK on mock servers, a gateway whose route falls back from one to the other.
import { createGateway, type GatewayConfig, type GatewayEvent, type RequestEndEvent } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { startMockServer, type MockServer } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterEach } from 'vitest';

export const messages = [{ role: 'user' as const, content: 'Say hi' }];

export { flushEvents } from '../gateway/helpers.js';

export interface Setup {
  /** The provider behind `primary`: the client the app wraps is built on it. */
  primary: MockServer;
  backup: MockServer;
  /** The app's own client, on `primary`; the gateway's `primary` provider is built on it. */
  client: OpenAI;
  backupClient: OpenAI;
  events: GatewayEvent[];
  ends: () => RequestEndEvent[];
  gateway: ReturnType<typeof createGateway>;
  config: (extra?: Partial<GatewayConfig>) => GatewayConfig;
}

/** Servers and gateways made by a test file, closed after each test. */
export function wrapSetup(): (extra?: Partial<GatewayConfig>) => Promise<Setup> {
  let opened: Array<{ servers: MockServer[]; gateway: ReturnType<typeof createGateway> }> = [];
  afterEach(async () => {
    for (const { servers, gateway } of opened) {
      await gateway.close();
      await Promise.all(servers.map((server) => server.close()));
    }
    opened = [];
  });
  return async (extra = {}) => {
    const primary = await startMockServer();
    const backup = await startMockServer();
    const client = new OpenAI({ baseURL: primary.baseURL, apiKey: 'sk-test-primary-0000', maxRetries: 0 });
    const backupClient = new OpenAI({ baseURL: backup.baseURL, apiKey: 'sk-test-backup-0000', maxRetries: 0 });
    const events: GatewayEvent[] = [];
    const config = (more: Partial<GatewayConfig> = {}): GatewayConfig => ({
      providers: { primary: openai({ client }), backup: openai({ client: backupClient }) },
      models: { smart: { fallback: ['primary/gpt-4o', 'backup/gpt-4o-mini'] }, embed: 'backup/text-embedding-3-small' },
      routing: { retry: { retries: 0 } },
      ...extra,
      ...more,
    });
    const gateway = createGateway({ ...config(), onEvent: (event) => void events.push(event) });
    opened.push({ servers: [primary, backup], gateway });
    return {
      primary,
      backup,
      client,
      backupClient,
      events,
      ends: () => events.filter((event): event is RequestEndEvent => event.type === 'request.end'),
      gateway,
      config,
    };
  };
}
