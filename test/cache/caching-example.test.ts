/** Runs examples/caching.ts (`pnpm example:caching`) as a user would, so that the example keeps working and says what it shows. */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('examples/caching.ts', () => {
  it('runs offline and shows a miss, a hit, a coalesced burst and a stream replay', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/caching.ts'], { cwd: root, timeout: 30_000 });
    expect(stdout).toContain('(served by provider)');
    expect(stdout).toMatch(/cache\.hit .*saved \$0\.0000\d\d/);
    expect(stdout).toContain('5 answers, 1 request(s) to the provider; served by provider, middleware, middleware, middleware, middleware');
    expect(stdout.match(/waited for an identical call in flight/g)).toHaveLength(4);
    expect(stdout).toContain('-> "Paris is the capital of France." in 3 chunks');
    expect(stdout).toContain('The provider saw 2 requests for 8 calls.');
  }, 40_000);
});
