/**
 * `pnpm examples`: runs every program in examples/ in turn, as a user runs one (tsx), offline:
 * provider keys are cleared, so each runs on its mock servers. Exits non-zero if any fails.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const examples = readdirSync(join(root, 'examples'))
  .filter((file) => file.endsWith('.ts'))
  .sort();
const failed: string[] = [];
for (const file of examples) {
  console.log(`\n━━ examples/${file} ━━`);
  const run = spawnSync(join(root, 'node_modules/.bin/tsx'), [join('examples', file)], {
    cwd: root,
    stdio: 'inherit',
    timeout: 120_000,
    env: { ...process.env, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', GEMINI_API_KEY: '', GOOGLE_API_KEY: '' },
  });
  if (run.status !== 0) failed.push(`${file} (${run.error?.message ?? `exit ${run.status ?? run.signal}`})`);
}
console.log(failed.length === 0 ? `\nAll ${examples.length} examples ran.` : `\n${failed.length} of ${examples.length} examples failed: ${failed.join(', ')}`);
process.exit(failed.length === 0 ? 0 : 1);
