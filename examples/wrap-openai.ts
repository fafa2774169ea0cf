/**
 * `pnpm example:wrap-openai`: existing `openai` SDK code behind the gateway with one line,
 * offline. Two mock OpenAI servers; the app's client is on the first, which is down. The app's
 * code below `gateway.wrap(...)` is plain OpenAI SDK code: its call falls back to the second
 * server, and a rate limit refuses its third call as the SDK's own `RateLimitError`.
 */
import { createGateway } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { startMockServer } from '@switchyard/testing';
import OpenAI from 'openai';

const primary = await startMockServer();
const backup = await startMockServer();
primary.setFallback({ kind: 'error', status: 503, message: 'overloaded' });

// The app's client, as it already has it.
const client = new OpenAI({ apiKey: 'sk-mock', baseURL: primary.baseURL });

const gateway = createGateway({
  providers: {
    primary: openai({ client }),
    backup: openai({ client: new OpenAI({ apiKey: 'sk-mock', baseURL: backup.baseURL }) }),
  },
  // The app asks for 'gpt-4.1'; the gateway makes it a route that falls back to the backup.
  models: { 'gpt-4.1': { fallback: ['primary/gpt-4.1', 'backup/gpt-4.1-mini'] } },
  routing: { retry: false },
  governance: { limits: [{ name: 'two-per-minute', requests: { perMinute: 2 } }] },
});
gateway.on('request.end', (event) => {
  const servedBy = event.provider === undefined ? 'no provider' : `${event.provider}/${event.model}`;
  console.log(`  [gateway] ${event.route} -> ${servedBy}: ${event.outcome} after ${event.attempts} attempt(s)`);
});

const app = gateway.wrap(client); // the one line that changes

// ---- the app's own code, unchanged ----
const completion = await app.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Say hello' }] });
console.log('answer:', completion.choices[0]?.message.content);

const stream = await app.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Count to three' }], stream: true });
let streamed = '';
for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
console.log('streamed:', streamed);

try {
  await app.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'One more' }] });
} catch (error) {
  if (error instanceof OpenAI.RateLimitError) console.log(`refused: ${error.status} ${error.code} (${error.message})`);
  else throw error;
}
// ---- end of the app's code ----

await gateway.close();
await Promise.all([primary.close(), backup.close()]);
