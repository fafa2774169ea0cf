import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkBlocks, docFiles, extractBlocks, preludeNames, type DocBlock } from './doc-examples.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const preludeDir = join(here, 'preludes');
const known = preludeNames(preludeDir);

describe('doc examples', () => {
  it('every TypeScript block of README.md and docs/ type-checks against the workspace sources', () => {
    const files = docFiles(root);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/getting-started.md', 'docs/routing.md']));
    const blocks: DocBlock[] = [];
    const problems: string[] = [];
    for (const file of files) {
      const extracted = extractBlocks(readFileSync(join(root, file), 'utf8'), file, known);
      blocks.push(...extracted.blocks);
      problems.push(...extracted.problems);
    }
    expect(problems).toEqual([]);
    expect(blocks.length).toBeGreaterThan(20);
    const errors = checkBlocks(blocks, { root, preludeDir });
    expect(errors, `Doc examples that do not compile (fix the doc; the code is the truth):\n${errors.join('\n')}`).toEqual([]);
    // Skips are for pseudo-code and shape sketches only; each needs a reason.
    const skipped = blocks.filter((block) => block.directive.kind === 'skip');
    expect(skipped.length).toBeLessThanOrEqual(3);
  }, 30_000);
});

describe('the doc example checker', () => {
  const check = (markdown: string) => {
    const { blocks, problems } = extractBlocks(markdown, 'doc.md', known);
    return { blocks, problems, errors: problems.length > 0 ? [] : checkBlocks(blocks, { root, preludeDir }) };
  };

  it('reports a block that does not compile, at its line in the markdown', () => {
    const { errors } = check(['# Title', '', '```ts', "const n: number = 'one';", '```'].join('\n'));
    expect(errors).toEqual([expect.stringMatching(/^doc\.md:4:7: TS2322 Type 'string' is not assignable to type 'number'/)]);
  });

  it('checks ts and typescript blocks, indented ones too, and leaves other languages alone', () => {
    const markdown = ['```ts', 'const a = 1;', '```', '- item', '', '  ```typescript', '  const b: string = 2;', '  ```', '```js', 'const c: number = "x";', '```', '```sh', 'ls', '```'].join('\n');
    const { blocks, errors } = check(markdown);
    expect(blocks.map((block) => block.line)).toEqual([2, 7]);
    expect(errors).toEqual([expect.stringMatching(/^doc\.md:7:7: TS2322/)]);
  });

  it('type-checks against the workspace packages with the strict options of the root tsconfig', () => {
    const { errors } = check(
      [
        '```ts',
        "import { createGateway, type ChatCompletion } from '@switchyard/core';",
        'declare const completion: ChatCompletion;',
        'createGateway({ providers: {}, modelz: {} });',
        'completion.choices[0].message;',
        '```',
      ].join('\n'),
    );
    expect(errors).toEqual([expect.stringMatching(/^doc\.md:4:32: TS2561 .*'modelz' does not exist in type 'GatewayConfig'/), expect.stringMatching(/^doc\.md:5:1: TS2532 Object is possibly 'undefined'/)]);
  });

  it('gives a block the names of its preludes, except those it declares itself', () => {
    const assumed = ['<!-- ts-check: prelude=gateway,app -->', '```ts', "const answer = await gateway.chat.completions.create(params);", 'log.warn(answer.id);', '```'];
    expect(check(assumed.join('\n')).errors).toEqual([]);
    const own = ['<!-- ts-check: prelude=gateway -->', '```ts', "const gateway = 'mine';", 'gateway.toUpperCase();', '```'];
    expect(check(own.join('\n')).errors).toEqual([]);
    expect(check(['```ts', 'await gateway.chat.completions.create(params);', '```'].join('\n')).errors).toEqual([
      expect.stringContaining("Cannot find name 'gateway'"),
      expect.stringContaining("Cannot find name 'params'"),
    ]);
  });

  it('skips a block marked with a reason, and refuses a skip without one', () => {
    const skipped = check(['<!-- ts-check: skip (a shape sketch) -->', '```ts', 'this is not code', '```'].join('\n'));
    expect(skipped.blocks[0]?.directive).toEqual({ kind: 'skip', reason: 'a shape sketch' });
    expect(skipped.errors).toEqual([]);
    expect(check(['<!-- ts-check: skip -->', '```ts', 'x', '```'].join('\n')).problems).toEqual([expect.stringMatching(/^doc\.md:1: a skipped block needs a reason/)]);
    expect(check(['<!-- ts-check: skip () -->', '```ts', 'x', '```'].join('\n')).problems).toEqual([expect.stringMatching(/^doc\.md:1: a skipped block needs a reason/)]);
  });

  it('refuses an unknown prelude, an unknown comment and a comment that is not right before a ts block', () => {
    expect(check(['<!-- ts-check: prelude=nope -->', '```ts', 'x', '```'].join('\n')).problems).toEqual([expect.stringMatching(/^doc\.md:1: unknown prelude 'nope'/)]);
    expect(check(['<!-- ts-check: ignore -->', '```ts', 'x', '```'].join('\n')).problems).toEqual([expect.stringMatching(/^doc\.md:1: unknown ts-check comment 'ignore'/)]);
    const stray = ['<!-- ts-check: skip (why) -->', '', '```ts', 'const a = 1;', '```', '<!-- ts-check: prelude=gateway -->', '```sh', 'ls', '```', '<!-- ts-check: prelude=gateway -->'];
    const { problems, blocks } = check(stray.join('\n'));
    expect(problems).toEqual([
      expect.stringMatching(/^doc\.md:1: a ts-check comment must stand on the line right before/),
      expect.stringMatching(/^doc\.md:6: a ts-check comment must stand/),
      expect.stringMatching(/^doc\.md:10: a ts-check comment must stand/),
    ]);
    // The block after the misplaced skip is checked, not skipped.
    expect(blocks[0]?.directive).toEqual({ kind: 'check', preludes: [] });
  });
});
