#!/usr/bin/env node
// Checks that the public API (lib/index.ts) is jsii-compatible, so that Python / Java / Go bindings can be
// published later: compiles a copy of lib/ and imports/ with jsii in a temporary folder (jsii writes its own
// tsconfig and assembly; the project's files stay untouched) and fails on any jsii error.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'jsii-check-'));
try {
  for (const folder of ['lib', 'imports']) cpSync(join(root, folder), join(dir, folder), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'README.md'), '# jsii check\n');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: pkg.name, version: pkg.version, license: pkg.license, description: pkg.description,
    author: { name: pkg.name, organization: true },
    repository: { type: 'git', url: 'https://example.com/cdk8s-ai-platform.git' },
    main: 'lib/index.js', types: 'lib/index.d.ts',
    peerDependencies: pkg.dependencies, devDependencies: pkg.dependencies,
    jsii: { outdir: 'dist', targets: {}, tsc: { outDir: '.', rootDir: '.' } },
  }, null, 2));
  const started = Date.now();
  const run = spawnSync(join(root, 'node_modules', '.bin', 'jsii'), ['--silence-warnings=reserved-word'], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' },
  });
  const output = `${run.stdout}${run.stderr}`.split('\n').filter((l) => !l.startsWith('!!')).join('\n').trim();
  if (run.status !== 0) {
    console.error(`jsii: the public API is not jsii-compatible:\n${output}`);
    process.exit(1);
  }
  const assembly = JSON.parse(readFileSync(join(dir, '.jsii'), 'utf8'));
  // House rule (DESIGN.md), stricter than jsii: no union types in public signatures.
  const unions = [];
  const walk = (node, path) => {
    if (!node || typeof node !== 'object') return;
    if ('union' in node) unions.push(path);
    for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
  };
  for (const [fqn, type] of Object.entries(assembly.types)) walk(type, fqn);
  if (unions.length) {
    console.error(`jsii: union types in the public API (use an enum-like class with static factories):\n  ${unions.join('\n  ')}`);
    process.exit(1);
  }
  const types = Object.keys(assembly.types).length;
  console.log(`jsii: the public API compiles to a jsii assembly of ${types} types (${((Date.now() - started) / 1000).toFixed(1)}s)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
