#!/usr/bin/env node
// Re-generates imports/ without internet access. For each `prefix:=URL` entry of cdk8s.yaml it imports
// `prefix:=test/schemas/crds/<basename of URL>`, the vendored, byte-identical copy of that URL (test/schemas/SOURCES.md).
//
// cdk8s.yaml is left exactly as it is: the CLI records every import it runs in cdk8s.yaml unless given `--no-save`
// (cdk8s-cli lib/import/dispatch.js: `if (options.save ?? true) addImportToConfig(spec)`), which would add each
// local file under this machine's absolute path. The script passes `--no-save`, and as a second guard restores the
// file byte for byte if anything changed it anyway, and then fails.
//
// Usage: node scripts/import-offline.mjs [--output <dir>] [--only <prefix>]
//   --output: where the modules go (default: imports/); --only: import that one entry (a fast test uses both)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const configFile = join(root, 'cdk8s.yaml');
const outIndex = process.argv.indexOf('--output');
const output = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : join(root, 'imports');
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1] : undefined;

const original = readFileSync(configFile);
const config = parse(original.toString('utf8'));
const specs = config.imports.map((entry) => {
  const match = /^([a-z0-9-]+):=(https:\/\/.+)$/.exec(entry);
  if (!match) throw new Error(`cdk8s.yaml: import entry ${JSON.stringify(entry)} is not "prefix:=https://..." (only upstream URLs belong there)`);
  const [, prefix, url] = match;
  // relative to the repository root (the CLI's working directory): nothing machine-specific reaches the CLI
  const local = join('test', 'schemas', 'crds', basename(url));
  if (!existsSync(join(root, local))) throw new Error(`no vendored CRD for ${url}: expected ${local}`);
  return { prefix, spec: `${prefix}:=${local}` };
}).filter((s) => only === undefined || s.prefix === only);
if (specs.length === 0) throw new Error(`cdk8s.yaml has no import entry ${JSON.stringify(only)}`);

let changed = false;
try {
  // one CLI run per entry: the CLI's positional SPEC takes one import (each entry has its own module prefix, so
  // no group's module overwrites another's)
  for (const { spec } of specs) {
    console.log(spec.replace(':=', ' <- '));
    execFileSync(join(root, 'node_modules', '.bin', 'cdk8s'), ['import', '--no-save', '--no-check-upgrade', '--language', 'typescript', '--output', output, spec], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
  }
} finally {
  changed = !readFileSync(configFile).equals(original);
  if (changed) writeFileSync(configFile, original);
}
if (changed) {
  console.error('cdk8s.yaml was changed by the import and has been restored byte for byte: check the cdk8s CLI\'s --no-save');
  process.exit(1);
}
