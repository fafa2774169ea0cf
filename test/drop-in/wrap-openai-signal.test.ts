// A wrapped openai client's streams follow the caller's signal, and let go of it when each call ends: an app-wide signal collects no listeners.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { messages, wrapSetup } from './wrap-openai-setup.js';

const setup = wrapSetup();

describe('the caller’s signal on wrapped streams', () => {
  it('keeps no listener once each stream has ended, whether read to the end, left early, or refused', async () => {
    const { gateway, client } = await setup();
    const wrapped = gateway.wrap(client);
    const appWide = new AbortController();
    for (let i = 0; i < 5; i++) {
      for await (const chunk of await wrapped.chat.completions.create({ model: 'smart', messages, stream: true }, { signal: appWide.signal })) void chunk;
    }
    for (let i = 0; i < 5; i++) {
      for await (const chunk of await wrapped.chat.completions.create({ model: 'smart', messages, stream: true }, { signal: appWide.signal })) {
        void chunk;
        break;
      }
    }
    await expect(wrapped.chat.completions.create({ model: 'smart', messages: [], stream: true }, { signal: appWide.signal })).rejects.toMatchObject({ status: 400 });
    // The last call's end runs after its stream: wait for it as the gateway reports it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(getEventListeners(appWide.signal, 'abort')).toHaveLength(0);
  });
});
