/**
 * The README's TypeScript examples run as written (with `cdk8s-ai-platform` resolved to lib/), and what they
 * synthesize validates strictly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import { Manifest, validateManifests } from './helpers/manifests';
import { readStacks, tempDir } from './helpers/output';
import { podProblems } from './helpers/pod-security';

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const examples = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

/** Runs an example; returns the objects of every cdk8s App it synthesized, and the Terraform of every CloudApp. */
function run(source: string): { objects: Manifest[]; stacks: Array<Record<string, unknown>> } {
  const { code } = transformSync(source, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } });
  const objects: Manifest[] = [];
  const cdk8s = require('cdk8s');
  // Apps write into a temporary folder (validations run as in a real synth) and record what they emitted.
  class TestApp extends cdk8s.App {
    public constructor(props: object = {}) {
      super({ ...props, outdir: tempDir('readme') });
    }
    public synth(): void {
      super.synth();
      for (const chart of this.charts) objects.push(...(chart.toJson() as Manifest[]));
    }
  }
  const lib = require('../lib');
  const stacks: Array<Record<string, unknown>> = [];
  class TestCloudApp extends lib.CloudApp {
    public constructor(props: object = {}) {
      super({ ...props, outdir: tempDir('readme-cloud') });
    }
    public synth(): void {
      super.synth();
      stacks.push(...Object.values(readStacks(this.outdir)));
    }
  }
  const modules: Record<string, unknown> = { 'cdk8s': { ...cdk8s, App: TestApp }, 'cdk8s-ai-platform': { ...lib, CloudApp: TestCloudApp } };
  const req = (name: string) => modules[name] ?? require(name);
  const quiet = { ...console, log: () => undefined };
  new Function('require', 'exports', 'console', code)(req, {}, quiet);
  return { objects, stacks };
}

describe('README examples', () => {
  test('there are examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  test.each(examples.map((e, i) => [i, e]))('example %d runs and its output validates', (_i, source) => {
    const { objects, stacks } = run(source as string);
    expect(objects.length + stacks.length).toBeGreaterThan(0);
    validateManifests(objects);
    expect(podProblems(objects)).toEqual([]);
    for (const stack of stacks) expect(Object.keys(stack.resource as object).length).toBeGreaterThan(0);
  });
});
