/**
 * The packages as a user gets them: every package is packed with `pnpm pack` (which rewrites
 * `workspace:` ranges), the tarballs are installed with npm into a fresh project beside the
 * provider SDKs, and that project loads each package as ESM and as CommonJS and type-checks
 * against it under `module: nodenext` and under `moduleResolution: bundler`. Needs `pnpm build`
 * first (`pnpm test` runs it) and the npm registry (skipped, with a warning, when npm cannot
 * reach it). Versions come from pnpm-lock.yaml, so the run is the same every time.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** What an application imports from each package: loaded at run time and type-checked. */
const mainNames: Readonly<Record<string, readonly string[]>> = {
  core: ['createGateway', 'GatewayError', 'ConfigError', 'ProviderError', 'isGatewayError'],
  openai: ['openai'],
  anthropic: ['anthropic'],
  google: ['google'],
  testing: ['startMockServer', 'scriptedAdapter', 'completionOf', 'openaiWireFormat', 'anthropicWireFormat', 'geminiWireFormat'],
  'ai-sdk': ['switchyard'],
  cli: ['createReport', 'renderText', 'renderHtml', 'runCli'],
};

/** What an adapter's author imports from each subpath entry: every subpath needs a list here. */
const subpathNames: Readonly<Record<string, readonly string[]>> = {
  '@switchyard/core/adapter': ['sdkErrorToGatewayError', 'readEventStream', 'ServerSentEventDecoder', 'KeyPool', 'resolveResponseLimits', 'ResponseTooLargeError'],
};

/** The SDK each adapter takes a client of: a peer dependency (the user's own copy), optional where either of two will do. */
const sdkPeers: Readonly<Record<string, Readonly<Record<string, 'required' | 'optional'>>>> = {
  openai: { openai: 'required' },
  anthropic: { '@anthropic-ai/sdk': 'required' },
  google: { '@google/genai': 'optional', '@google/generative-ai': 'optional' },
};

/** The SDKs a user installs beside the adapters (peer dependencies), and the compiler. */
// @types/json-schema: the AI SDK's own .d.ts (@ai-sdk/provider) import 'json-schema' types it does not depend on; an app that checks libraries' types installs it.
const projectDependencies = ['openai', '@anthropic-ai/sdk', '@google/genai', 'typescript', '@types/node', '@types/json-schema'] as const;

/** Uses the packages together, so the adapters' types must agree with core's and the SDKs'. */
const gatewayWiring = `
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { createGateway as createGatewayForWiring, type GatewayConfig } from '@switchyard/core';
import { openai as openaiForWiring } from '@switchyard/openai';
import { anthropic as anthropicForWiring } from '@switchyard/anthropic';
import { google as googleForWiring } from '@switchyard/google';
import { completionOf as completionForWiring, scriptedAdapter as scriptedForWiring } from '@switchyard/testing';

const config: GatewayConfig = {
  providers: {
    openai: openaiForWiring({ client: new OpenAI({ apiKey: 'sk-test' }) }),
    anthropic: anthropicForWiring({ client: new Anthropic({ apiKey: 'sk-ant-test' }) }),
    google: googleForWiring({ client: new GoogleGenAI({ apiKey: 'AIza-test' }) }),
    scripted: scriptedForWiring({ chat: () => completionForWiring('hi') }),
  },
  models: { smart: { fallback: ['anthropic/claude-sonnet-4-6', 'openai/gpt-4.1'] } },
};
const gateway = createGatewayForWiring(config);
export const ask = async (content: string): Promise<string | null | undefined> =>
  (await gateway.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content }] })).choices[0]?.message.content;
`;

interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  keywords?: string[];
  repository?: { type?: string; url?: string; directory?: string };
  main?: string;
  module?: string;
  types?: string;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optionalDependencies?: Record<string, string>;
}

interface WorkspacePackage {
  /** The folder under packages/. */
  dir: string;
  manifest: PackageManifest;
}

interface Loaded {
  resolved: string;
  keys: string[];
}

/** Variables pnpm sets for its own scripts; npm would warn about or act on them. */
const pnpmOnlyEnv = /^(npm_(lifecycle|package|command|execpath|node_execpath|config_user_agent|config_verify_deps_before_run)|pnpm_)/i;
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !pnpmOnlyEnv.test(key)));

function run(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolveRun, reject) => {
    execFile(command, args, { cwd, env: childEnv, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`\`${[basename(command), ...args].join(' ')}\` failed in ${cwd}: ${error.message}\n${stdout}\n${stderr}`.trim()));
      else resolveRun(stdout);
    });
  });
}

/** `pnpm` as the running `pnpm test` found it, else from PATH. */
function pnpm(): [string, ...string[]] {
  const execPath = process.env.npm_execpath;
  return execPath && /pnpm/.test(basename(execPath)) ? [process.execPath, execPath] : ['pnpm'];
}

/** Why the packaging test cannot run here, or undefined when npm reaches its registry. */
function registryUnreachable(): Promise<string | undefined> {
  const args = ['ping', '--no-update-notifier', '--fetch-retries=0', '--fetch-timeout=15000'];
  return new Promise((resolveCheck) => {
    execFile('npm', args, { cwd: root, env: childEnv, timeout: 20_000, encoding: 'utf8' }, (error, _stdout, stderr) => {
      if (!error) return resolveCheck(undefined);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return resolveCheck(undefined); // no npm at all: the test fails and says so
      const lines = stderr.split('\n');
      const why = error.killed ? 'no answer within 20 s' : (lines.find((line) => line.includes('FetchError')) ?? lines.find((line) => line.startsWith('npm error')) ?? error.message);
      resolveCheck(`npm cannot reach its registry (\`npm ping\`: ${why.replace(/^npm error\s*/, '').trim()})`);
    });
  });
}

/** The version pnpm-lock.yaml resolved for each direct dependency of the workspace's importers. */
function lockedVersions(lockfile: string): Map<string, string> {
  const start = lockfile.indexOf('\nimporters:');
  const end = lockfile.indexOf('\npackages:', start);
  const importers = lockfile.slice(start, end === -1 ? undefined : end);
  const versions = new Map<string, string>();
  for (const match of importers.matchAll(/^ {6}'?([^'\s]+?)'?:\n {8}specifier: .*\n {8}version: ([^\s(]+)/gm)) {
    const [, name, version] = match;
    if (name && version && !version.startsWith('link:') && !versions.has(name)) versions.set(name, version);
  }
  return versions;
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or undefined for relative paths and Node built-ins. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
  return builtinModules.includes(name) ? undefined : name;
}

/** Packages a built file imports or requires (comments dropped, so doc examples do not count). */
function importedPackages(code: string): Set<string> {
  const stripped = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  // `from '…'` counts only in an import or export statement, not inside a string (a message saying "sent from 'user'").
  const specifiers = /^\s*(?:import|export)\b[^'";]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\brequire\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;
  const found = new Set<string>();
  for (const match of stripped.matchAll(specifiers)) {
    const name = packageOf(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
    if (name) found.add(name);
  }
  return found;
}

/** Packages esbuild inlined into a bundle: it marks each inlined file with a `// <path>/node_modules/<name>/...` comment. */
function inlinedPackages(code: string): Set<string> {
  const found = new Set<string>();
  for (const match of code.matchAll(/^\/\/ .*node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\//gm)) {
    const [, name] = match;
    if (name) found.add(name);
  }
  return found;
}

/** The file `exports[subpath]` resolves to under a condition (`import` or `require`), runtime or `types`. */
function exportTarget(manifest: PackageManifest, subpath: string, condition: 'import' | 'require', kind: 'default' | 'types'): string | undefined {
  const entry = manifest.exports?.[subpath];
  if (typeof entry === 'string') return kind === 'default' ? entry : undefined;
  if (!entry || typeof entry !== 'object') return undefined;
  const branch = (entry as Record<string, unknown>)[condition];
  if (typeof branch === 'string') return kind === 'default' ? branch : undefined;
  if (!branch || typeof branch !== 'object') return undefined;
  const target = (branch as Record<string, unknown>)[kind];
  return typeof target === 'string' ? target : undefined;
}

/** Entry points besides `./package.json`: `.` and any subpath such as `./adapter`. */
function entrySubpaths(manifest: PackageManifest): string[] {
  return Object.keys(manifest.exports ?? { '.': './dist/index.js' }).filter((subpath) => subpath !== './package.json');
}

const withoutDotSlash = (path: string): string => path.replace(/^\.\//, '');

function specifierOf(manifest: PackageManifest, subpath: string): string {
  return subpath === '.' ? manifest.name : `${manifest.name}${subpath.slice(1)}`;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

async function readWorkspacePackages(): Promise<WorkspacePackage[]> {
  const dirs = (await readdir(join(root, 'packages'), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const found: WorkspacePackage[] = [];
  for (const dir of dirs.sort()) {
    const file = join(root, 'packages', dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(await readFile(file, 'utf8')) as PackageManifest;
    if (!manifest.private) found.push({ dir, manifest });
  }
  return found;
}

/** A .ts file importing each package's main names and every subpath entry, plus the wiring above. */
function checkSource(packages: readonly WorkspacePackage[]): string {
  const lines: string[] = [];
  packages.forEach(({ dir, manifest }, index) => {
    const names = mainNames[dir] ?? [];
    const local = dir.replace(/\W/g, '_');
    lines.push(`import { ${names.map((name) => `${name} as ${local}_${name}`).join(', ')} } from '${manifest.name}';`);
    lines.push(`export const uses${index} = [${names.map((name) => `${local}_${name}`).join(', ')}] as const;`);
    entrySubpaths(manifest)
      .filter((subpath) => subpath !== '.')
      .forEach((subpath, subIndex) => {
        lines.push(`import * as sub${index}_${subIndex} from '${specifierOf(manifest, subpath)}';`);
        lines.push(`export { sub${index}_${subIndex} };`);
      });
  });
  return `${lines.join('\n')}\n${gatewayWiring}`;
}

const skipReason = await registryUnreachable();
if (skipReason) console.warn(`test/packaging/pack-install.test.ts skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('packed tarballs installed with npm into a fresh project', () => {
  let tempRoot: string | undefined;
  let project = '';
  let packages: WorkspacePackage[] = [];
  const installed = (pkg: WorkspacePackage): string => join(project, 'node_modules', ...pkg.manifest.name.split('/'));
  const tsc = (tsconfig: string): Promise<string> =>
    run(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig], project, 120_000);

  beforeAll(async () => {
    packages = await readWorkspacePackages();
    expect(packages.map((pkg) => pkg.dir).sort(), 'every package needs its main names in mainNames').toEqual(Object.keys(mainNames).sort());
    for (const { dir } of packages) {
      const dist = join(root, 'packages', dir, 'dist', 'index.js');
      expect(existsSync(dist), `${dist} is missing: run \`pnpm build\` first (pnpm test does)`).toBe(true);
    }
    const locked = lockedVersions(await readFile(join(root, 'pnpm-lock.yaml'), 'utf8'));
    const version = (name: string): string => {
      const found = locked.get(name);
      if (!found) throw new Error(`${name} is not in pnpm-lock.yaml's importers`);
      return found;
    };

    tempRoot = await mkdtemp(join(tmpdir(), 'switchyard-pack-'));
    project = join(tempRoot, 'project');
    await mkdir(project);
    const [pnpmCommand, ...pnpmArgs] = pnpm();
    const tarballs = await Promise.all(
      packages.map(async ({ dir }) => {
        const destination = join(tempRoot ?? '', 'packs', dir);
        await mkdir(destination, { recursive: true });
        await run(pnpmCommand, [...pnpmArgs, 'pack', '--pack-destination', destination], join(root, 'packages', dir), 60_000);
        const [tarball, ...others] = (await readdir(destination)).filter((file) => file.endsWith('.tgz'));
        if (!tarball || others.length > 0) throw new Error(`expected one tarball from packages/${dir}, got ${[tarball, ...others].join(', ')}`);
        return join(destination, tarball);
      }),
    );

    // The packages' own runtime dependencies are pinned to the lockfile's versions without becoming
    // the project's direct dependencies (so a dependency a package forgot would still be missed).
    const ownNames = new Set(packages.map((pkg) => pkg.manifest.name));
    const runtimeDependencies = [...new Set(packages.flatMap((pkg) => Object.keys(pkg.manifest.dependencies ?? {})))].filter((name) => !ownNames.has(name));
    const overrides = Object.fromEntries(runtimeDependencies.sort().map((name) => [name, version(name)]));
    await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'switchyard-pack-check', version: '0.0.0', private: true, overrides }, null, 2)}\n`);
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-update-notifier', '--loglevel=error', ...tarballs, ...projectDependencies.map((name) => `${name}@${version(name)}`)],
      project,
      240_000,
    );

    const source = checkSource(packages);
    await Promise.all([
      writeFile(join(project, 'check.mts'), source),
      writeFile(join(project, 'check.cts'), source),
      writeFile(join(project, 'check.ts'), source),
    ]);
    // skipLibCheck off: the packages' own .d.ts files are checked too, as a user's compiler sees them.
    const compilerOptions = { target: 'es2023', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] };
    await writeFile(
      join(project, 'tsconfig.nodenext.json'),
      JSON.stringify({ compilerOptions: { ...compilerOptions, module: 'nodenext', moduleResolution: 'nodenext' }, files: ['check.mts', 'check.cts'] }),
    );
    await writeFile(
      join(project, 'tsconfig.bundler.json'),
      JSON.stringify({ compilerOptions: { ...compilerOptions, module: 'esnext', moduleResolution: 'bundler' }, files: ['check.ts'] }),
    );
  }, 300_000);

  afterAll(async () => {
    if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
  });

  it('each tarball holds its README, LICENSE and dist, and a package.json with real versions and metadata', async () => {
    const versions = new Map(packages.map((pkg) => [pkg.manifest.name, pkg.manifest.version]));
    for (const pkg of packages) {
      const dir = installed(pkg);
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageManifest;
      const label = `${manifest.name}'s tarball`;
      const files = await filesUnder(dir);
      expect(files.filter((file) => !file.startsWith('dist/')).sort(), label).toEqual(['LICENSE', 'README.md', 'package.json']);
      for (const subpath of entrySubpaths(manifest)) {
        for (const condition of ['import', 'require'] as const) {
          for (const kind of ['default', 'types'] as const) {
            const target = exportTarget(manifest, subpath, condition, kind);
            expect(target, `${label}: exports['${subpath}'].${condition}.${kind}`).toBeDefined();
            expect(files, `${label}: exports['${subpath}'].${condition}.${kind}`).toContain(withoutDotSlash(target ?? ''));
          }
        }
      }
      for (const field of [manifest.main, manifest.module, manifest.types]) expect(files, `${label}: main/module/types`).toContain(withoutDotSlash(field ?? ''));

      expect(manifest.license, label).toBe('MIT');
      expect(await readFile(join(dir, 'LICENSE'), 'utf8'), label).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} Switchyard contributors\n/);
      expect(await readFile(join(dir, 'README.md'), 'utf8'), label).toMatch(new RegExp(`^# ${manifest.name}\\n`));
      expect(manifest.repository, label).toMatchObject({ type: 'git', directory: `packages/${pkg.dir}` });
      expect(manifest.keywords?.length, `${label}: keywords`).toBeGreaterThan(0);

      for (const [sdk, kind] of Object.entries(sdkPeers[pkg.dir] ?? {})) {
        expect(manifest.peerDependencies?.[sdk], `${label}: peerDependencies.${sdk}`).toBeDefined();
        expect(manifest.peerDependenciesMeta?.[sdk]?.optional === true, `${label}: peerDependenciesMeta.${sdk}.optional`).toBe(kind === 'optional');
        expect(manifest.dependencies?.[sdk], `${label}: ${sdk} is a peer, not a dependency`).toBeUndefined();
      }
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const) {
        for (const [name, range] of Object.entries(manifest[field] ?? {})) {
          expect(range, `${label}: ${field}.${name}`).not.toMatch(/^workspace:/);
          const own = versions.get(name);
          if (own) expect(range.replace(/^[\^~]/, ''), `${label}: ${field}.${name} names the workspace version`).toBe(own);
        }
      }
    }
  });

  it('declares what its dist imports, and nothing that is bundled into it', async () => {
    for (const pkg of packages) {
      const dir = installed(pkg);
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageManifest;
      const label = manifest.name;
      const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
      const peers = new Set(Object.keys(manifest.peerDependencies ?? {}));
      const optionalPeers = new Set([...peers].filter((name) => manifest.peerDependenciesMeta?.[name]?.optional));
      const referenced = new Set<string>();
      for (const file of (await filesUnder(dir)).filter((name) => /\.(c?js|d\.c?ts)$/.test(name))) {
        const code = await readFile(join(dir, file), 'utf8');
        const imports = importedPackages(code);
        for (const name of imports) {
          referenced.add(name);
          expect(dependencies.has(name) || peers.has(name), `${label}/${file} imports ${name}, which is neither a dependency nor a peer dependency`).toBe(true);
          // Types that need an optional peer would break the compile of a user who did not install it.
          if (file.endsWith('.ts')) expect(optionalPeers.has(name), `${label}/${file}: types import the optional peer ${name}`).toBe(false);
        }
        for (const name of inlinedPackages(code)) {
          expect(dependencies.has(name) || peers.has(name), `${label}/${file} bundles ${name}: it belongs in devDependencies, not in dependencies`).toBe(false);
        }
      }
      for (const name of dependencies) {
        expect(referenced.has(name), `${label} lists ${name} in dependencies, but no file of its dist imports it (bundled or unused: a devDependency)`).toBe(true);
      }
    }
  });

  it('loads every entry point as ESM with import()', async () => {
    for (const pkg of packages) {
      for (const subpath of entrySubpaths(pkg.manifest)) {
        const specifier = specifierOf(pkg.manifest, subpath);
        const script = `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify({ resolved: import.meta.resolve(${JSON.stringify(specifier)}), keys: Object.keys(m) }));`;
        const loaded = JSON.parse(await run(process.execPath, ['--input-type=module', '-e', script], project, 30_000)) as Loaded;
        const target = exportTarget(pkg.manifest, subpath, 'import', 'default') ?? '';
        expect(fileURLToPath(loaded.resolved), `${specifier} as ESM`).toBe(resolve(installed(pkg), target));
        if (subpath === '.') expect(loaded.keys, `${specifier} as ESM`).toEqual(expect.arrayContaining([...(mainNames[pkg.dir] ?? [])]));
        else {
          expect(subpathNames[specifier], `${specifier} needs its names in subpathNames`).toBeDefined();
          expect(loaded.keys, `${specifier} as ESM`).toEqual(expect.arrayContaining([...(subpathNames[specifier] ?? [])]));
        }
      }
    }
  });

  it('loads every entry point as CommonJS with require(), with the same exports as ESM', async () => {
    for (const pkg of packages) {
      for (const subpath of entrySubpaths(pkg.manifest)) {
        const specifier = specifierOf(pkg.manifest, subpath);
        const literal = JSON.stringify(specifier);
        const cjs = JSON.parse(
          await run(process.execPath, ['-e', `console.log(JSON.stringify({ resolved: require.resolve(${literal}), keys: Object.keys(require(${literal})) }))`], project, 30_000),
        ) as Loaded;
        const esm = JSON.parse(
          await run(process.execPath, ['--input-type=module', '-e', `console.log(JSON.stringify({ keys: Object.keys(await import(${literal})) }))`], project, 30_000),
        ) as Pick<Loaded, 'keys'>;
        const target = exportTarget(pkg.manifest, subpath, 'require', 'default') ?? '';
        expect(cjs.resolved, `${specifier} as CommonJS`).toBe(resolve(installed(pkg), target));
        expect(cjs.resolved.endsWith('.cjs'), `${specifier} as CommonJS loads the CommonJS build`).toBe(true);
        const names = (keys: string[]) => keys.filter((key) => key !== 'default' && key !== '__esModule').sort();
        expect(names(cjs.keys), `${specifier}: CommonJS exports match ESM's`).toEqual(names(esm.keys));
      }
    }
  });

  it.concurrent('type-checks under module: nodenext (an .mts and a .cts importer)', async () => {
    await tsc('tsconfig.nodenext.json');
  }, 120_000);

  it.concurrent('type-checks under module: esnext, moduleResolution: bundler', async () => {
    await tsc('tsconfig.bundler.json');
  }, 120_000);
});
