/**
 * The benchmark's mock upstream, run in its own process so that its CPU is not counted
 * against the client. Prints its base URL as the first line of stdout.
 */
import { startMockServer } from '@switchyard/testing';

const words = Array.from({ length: 49 }, (_, i) => `word${i}`).join(' ');

const server = await startMockServer({
  // 50 content chunks for streams (one word each, plus the role chunk); a short answer otherwise.
  fallback: (request) => (request.path.endsWith('/embeddings') ? { kind: 'embeddings' } : { content: words }),
});
process.stdout.write(`${server.baseURL}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
