/** Reads what the reference platform writes: every YAML document of a cdk8s outdir, every cdktf stack JSON. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Manifest } from './manifests';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

/** All objects in the *.yaml files of a folder (recursively). */
export function readManifests(dir: string): Manifest[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Manifest))
    .filter((o) => o);
}

/** The synthesized Terraform JSON of each stack of a cdktf outdir. */
export function readStacks(outdir: string): Record<string, { [key: string]: any }> {
  const stacks = join(outdir, 'stacks');
  return Object.fromEntries(readdirSync(stacks).map((s) => [s, JSON.parse(readFileSync(join(stacks, s, 'cdk.tf.json'), 'utf8'))]));
}
