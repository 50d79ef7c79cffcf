#!/usr/bin/env node
// Re-generates imports/ without internet access: for each `prefix:=URL` entry of cdk8s.yaml, runs
// `cdk8s import prefix:=test/schemas/crds/<basename of URL>` (the vendored, byte-identical copy of that URL).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const config = parse(readFileSync(join(root, 'cdk8s.yaml'), 'utf8'));
const cli = join(root, 'node_modules', '.bin', 'cdk8s');
for (const entry of config.imports) {
  const [prefix, url] = entry.split(':=');
  const local = join(root, 'test', 'schemas', 'crds', basename(url));
  if (!existsSync(local)) throw new Error(`no vendored CRD for ${url}: expected ${local}`);
  console.log(`${prefix} <- ${local}`);
  execFileSync(cli, ['import', '--no-check-upgrade', '--language', 'typescript', '--output', 'imports', `${prefix}:=${local}`], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
  });
}
