/**
 * The layering rules of DESIGN.md, checked on the import statements of every file under lib/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const LIB = join(__dirname, '..', 'lib');
const files = readdirSync(LIB, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
const importsOf = (file: string): string[] =>
  [...readFileSync(join(LIB, file), 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]);

/** Every lib/ file a file reaches through relative imports (itself included). */
function reach(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const i of importsOf(file).filter((i) => i.startsWith('.'))) {
    const target = relative(LIB, join(LIB, file, '..', i));
    if (!target.startsWith('..')) reach(`${target}.ts`, seen);
  }
  return seen;
}

describe('architecture', () => {
  test('reach() follows imports into shared data', () => {
    expect([...reach('cloud/aws/eks-gpu-cluster.ts')]).toEqual(expect.arrayContaining(['gpu/gpu-pool.ts', 'gpu/gpu-type.ts', 'core/errors.ts']));
  });

  test.each(files.filter((f) => f.startsWith('cloud/')))('%s reaches no cdk8s code, even through shared data', (file) => {
    const cdk8s = [...reach(file)].filter((f) => importsOf(f).some((i) => /^cdk8s/.test(i)));
    expect(cdk8s).toEqual([]);
  });

  test('lib/ has files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  test.each(files)('%s respects the layering', (file) => {
    const imports = importsOf(file);
    const problems: string[] = [];
    const area = file.split('/')[0]; // capability folder (or index.ts)
    const sharedCore = area === 'core' && !file.startsWith('core/k8s/');
    const usesCdk8s = imports.some((i) => /^cdk8s(-plus-28)?(\/|$)/.test(i));
    const usesCdktf = imports.some((i) => /^(cdktf|@cdktf\/)/.test(i));
    if (area === 'cloud' && usesCdk8s) problems.push('cloud/ never imports cdk8s');
    if (area !== 'cloud' && usesCdktf) problems.push('only cloud/ imports cdktf');
    if (!file.includes('/') && file !== 'index.ts') problems.push('files live in a capability folder');
    if (sharedCore && (usesCdk8s || usesCdktf)) problems.push('core/ (shared) imports neither cdk8s nor cdktf; use core/k8s/');
    for (const i of imports) {
      if (/^@cdktf\/provider-(aws|google)$/.test(i) || /^@cdktf\/provider-(aws|google)\/lib$/.test(i)) problems.push(`${i}: import the resource module, never the package root`);
      if (i.startsWith('.') && /(^|\/)(apps|test)(\/|$)/.test(relative(LIB, join(LIB, file, '..', i)))) problems.push(`${i}: lib/ never imports apps/ or test/`);
      if (i.startsWith('.') && area === 'core' && !relative(LIB, join(LIB, file, '..', i)).startsWith('core')) problems.push(`${i}: core/ depends on nothing else in lib/`);
    }
    expect(problems).toEqual([]);
  });
});
