/**
 * Every example in examples/ runs offline (mock providers) and exits cleanly: a doc example that
 * stops working fails CI. Each is run as a user runs it, with tsx.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const examples = readdirSync(join(root, 'examples')).filter((file) => file.endsWith('.ts'));
const run = promisify(execFile);

describe('examples', () => {
  it.each(examples)('%s runs offline and exits 0', async (file) => {
    const { stdout } = await run(join(root, 'node_modules/.bin/tsx'), [join('examples', file)], {
      cwd: root,
      timeout: 60_000,
      // No provider keys: every example must run on its mock servers.
      env: { ...process.env, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', GEMINI_API_KEY: '', GOOGLE_API_KEY: '' },
    });
    expect(stdout.trim().length).toBeGreaterThan(0);
  }, 90_000);
});
