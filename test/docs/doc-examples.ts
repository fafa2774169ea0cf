/**
 * Extracts the TypeScript blocks of the docs and type-checks each one as a module of its own
 * against the workspace sources (the root tsconfig.json: its strict options and its `paths`
 * for `@switchyard/*`), so that a doc example cannot rot. The convention (more in test/docs/README.md):
 *
 * - Every fenced block whose language is `ts` or `typescript` is checked: it must compile as
 *   an ES module on its own, imports included.
 * - A block may assume names it does not declare (`gateway`, `params`, `client`, ...) when
 *   an HTML comment on the line before it names a prelude from `test/docs/preludes/`:
 *   `<!-- ts-check: prelude=gateway -->` (several: `prelude=gateway,adapters`). The block
 *   then sees every name the prelude exports, except those it declares or imports itself.
 * - `<!-- ts-check: skip (reason) -->` leaves a block out (pseudo-code, a shape sketch); the
 *   reason is required. Keep skips rare.
 * - A `ts-check` comment that is malformed, names an unknown prelude, or does not stand right
 *   before a TypeScript block is itself an error.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export type Directive = { kind: 'check'; preludes: readonly string[] } | { kind: 'skip'; reason: string };

export interface DocBlock {
  /** The markdown file, relative to the root. */
  readonly file: string;
  /** 1-based line of the block's first code line in the markdown file. */
  readonly line: number;
  readonly code: string;
  readonly directive: Directive;
}

export interface Extracted {
  readonly blocks: DocBlock[];
  /** Misused `ts-check` comments, as `file:line: message`. */
  readonly problems: string[];
}

const CHECKED_LANGUAGES = new Set(['ts', 'typescript']);
const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const DIRECTIVE = /^<!--\s*ts-check:(.*?)-->$/;

/** The markdown files whose examples are checked: README.md and every `.md` under docs/. */
export function docFiles(root: string): string[] {
  const files = existsSync(join(root, 'README.md')) ? ['README.md'] : [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  if (existsSync(join(root, 'docs'))) walk('docs');
  return files;
}

/** The TypeScript blocks of one markdown text, with the directive before each. */
export function extractBlocks(markdown: string, file: string, knownPreludes: ReadonlySet<string>): Extracted {
  const lines = markdown.split(/\r?\n/);
  const blocks: DocBlock[] = [];
  const problems: string[] = [];
  let pending: { directive: Directive; line: number } | undefined;
  const unused = () => {
    if (pending) problems.push(`${file}:${pending.line}: a ts-check comment must stand on the line right before a \`\`\`ts block`);
    pending = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const trimmed = text.trim();
    const comment = DIRECTIVE.exec(trimmed);
    if (comment) {
      unused();
      const parsed = parseDirective(comment[1] ?? '', knownPreludes);
      if (typeof parsed === 'string') problems.push(`${file}:${i + 1}: ${parsed}`);
      else pending = { directive: parsed, line: i + 1 };
      continue;
    }
    const fence = FENCE.exec(text);
    if (!fence) {
      unused();
      continue;
    }
    const [, indent = '', marker = '', info = ''] = fence;
    const language = info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    const start = i + 1;
    const body: string[] = [];
    for (i++; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const closing = FENCE.exec(line);
      if (closing && closing[2]?.[0] === marker[0] && (closing[2]?.length ?? 0) >= marker.length && closing[3]?.trim() === '') break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    if (!CHECKED_LANGUAGES.has(language)) {
      unused();
      continue;
    }
    blocks.push({ file, line: start + 1, code: body.join('\n'), directive: pending?.directive ?? { kind: 'check', preludes: [] } });
    pending = undefined;
  }
  unused();
  return { blocks, problems };
}

function parseDirective(text: string, knownPreludes: ReadonlySet<string>): Directive | string {
  const body = text.trim();
  const skip = /^skip\s*\((.*)\)$/.exec(body);
  if (skip) {
    const reason = skip[1]?.trim() ?? '';
    return reason ? { kind: 'skip', reason } : 'a skipped block needs a reason: <!-- ts-check: skip (why) -->';
  }
  if (/^skip\b/.test(body)) return 'a skipped block needs a reason in parentheses: <!-- ts-check: skip (why) -->';
  const prelude = /^prelude=([\w-]+(?:\s*,\s*[\w-]+)*)$/.exec(body);
  if (!prelude) return `unknown ts-check comment '${body}': use 'prelude=<name>[,<name>]' or 'skip (<reason>)'`;
  const names = (prelude[1] ?? '').split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !knownPreludes.has(name));
  if (unknown.length > 0) return `unknown prelude ${unknown.map((name) => `'${name}'`).join(', ')} (known: ${[...knownPreludes].join(', ')})`;
  return { kind: 'check', preludes: names };
}

/** The preludes a block may name: `<name>.ts` files in `dir`. */
export function preludeNames(dir: string): Set<string> {
  return new Set(readdirSync(dir).filter((name) => name.endsWith('.ts')).map((name) => name.slice(0, -3)));
}

interface Exported {
  readonly values: string[];
  readonly types: string[];
}

/** What a prelude exports, split into values and types (a type is imported with `import type`). */
function exportsOf(path: string): Exported {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const values: string[] = [];
  const types: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) (statement.isTypeOnly || element.isTypeOnly ? types : values).push(element.name.text);
      continue;
    }
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) values.push(declaration.name.text);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
      values.push(statement.name.text);
    } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      types.push(statement.name.text);
    }
  }
  return { values, types };
}

/** The names a block declares or imports at its top level (a prelude does not shadow them). */
function ownNames(code: string): Set<string> {
  const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bind(declaration.name);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/** Parsed files outside the docs, shared by every check of a run. */
const parsed = new Map<string, ts.SourceFile>();

export interface CheckOptions {
  /** The repository root: its tsconfig.json gives the compiler options and `paths`. */
  readonly root: string;
  /** Where the preludes live. */
  readonly preludeDir: string;
}

/**
 * Type-checks the blocks (skipped ones aside) in one program. Each block becomes a virtual
 * module beside the preludes (never written to disk), so `node_modules` and the `paths` of
 * the root tsconfig resolve as they do for the tests. Returns the errors as
 * `file:line:column: message`, with lines of the markdown file.
 */
export function checkBlocks(blocks: readonly DocBlock[], options: CheckOptions): string[] {
  const { root, preludeDir } = options;
  const configPath = join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (config.error) return [ts.flattenDiagnosticMessageText(config.error.messageText, '\n')];
  const tsconfig = ts.parseJsonConfigFileContent(config.config, ts.sys, root, { noEmit: true }, configPath);
  const compilerOptions: ts.CompilerOptions = { ...tsconfig.options, noEmit: true, sourceMap: false, declaration: false };
  const blockDir = join(dirname(preludeDir), '.blocks');
  const virtual = new Map<string, { block: DocBlock; offset: number; text: string }>();
  const preludeExports = new Map<string, Exported>();
  blocks.forEach((block, index) => {
    if (block.directive.kind === 'skip') return;
    const header: string[] = [];
    const own = ownNames(block.code);
    for (const name of block.directive.preludes) {
      const path = join(preludeDir, `${name}.ts`);
      let exported = preludeExports.get(name);
      if (!exported) preludeExports.set(name, (exported = exportsOf(path)));
      const specifier = relative(blockDir, path).split(sep).join('/').replace(/\.ts$/, '.js');
      const values = exported.values.filter((value) => !own.has(value));
      const types = exported.types.filter((type) => !own.has(type));
      if (values.length > 0) header.push(`import { ${values.join(', ')} } from '${specifier.startsWith('.') ? specifier : `./${specifier}`}';`);
      if (types.length > 0) header.push(`import type { ${types.join(', ')} } from '${specifier.startsWith('.') ? specifier : `./${specifier}`}';`);
    }
    const name = `${block.file.replace(/[^\w.-]+/g, '_')}-${block.line}-${index}.ts`;
    // `export {}` makes even a block without imports a module: its names stay its own, and
    // top-level await is allowed, as in the ES modules the examples are written for.
    virtual.set(resolve(blockDir, name), { block, offset: header.length, text: `${[...header, block.code].join('\n')}\nexport {};\n` });
  });
  if (virtual.size === 0) return [];

  const host = ts.createCompilerHost(compilerOptions, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (path) => virtual.has(resolve(path)) || fileExists.call(host, path);
  host.readFile = (path) => virtual.get(resolve(path))?.text ?? readFile.call(host, path);
  host.getSourceFile = (path, language, onError, shouldCreate) => {
    const entry = virtual.get(resolve(path));
    if (entry) return ts.createSourceFile(path, entry.text, language, true);
    // The workspace sources and libraries do not change during a run: parse each once.
    const key = `${path}\0${typeof language === 'object' ? language.languageVersion : language}`;
    let source = parsed.get(key);
    if (!source) {
      source = getSourceFile.call(host, path, language, onError, shouldCreate);
      if (source) parsed.set(key, source);
    }
    return source;
  };
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options: compilerOptions, host });

  const errors: string[] = [];
  for (const [path, { block, offset }] of virtual) {
    const source = program.getSourceFile(path);
    if (!source) {
      errors.push(`${block.file}:${block.line}: the block could not be compiled`);
      continue;
    }
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    for (const diagnostic of diagnostics) {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
      if (diagnostic.start === undefined) {
        errors.push(`${block.file}:${block.line}: TS${diagnostic.code} ${message}`);
        continue;
      }
      const { line, character } = source.getLineAndCharacterOfPosition(diagnostic.start);
      const inBlock = line - offset;
      // A line before the block is the prelude import: name the block's first line.
      const at = inBlock < 0 ? block.line : block.line + inBlock;
      errors.push(`${block.file}:${at}:${inBlock < 0 ? 1 : character + 1}: TS${diagnostic.code} ${message}`);
    }
  }
  return errors;
}
