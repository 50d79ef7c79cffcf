/**
 * The layering rules of DESIGN.md, checked on the import statements of every file under lib/, and the
 * repository's hygiene (see the last describe block).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { parse } from 'yaml';

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

/**
 * Repository hygiene: cdk8s.yaml names upstream URLs only (defect 13 of issue 7: the offline import used to record
 * each CRD a second time under the build machine's absolute path), the offline import leaves it as it is, and no
 * file of the repository carries a path of the machine it was made on.
 */
describe('repository', () => {
  const ROOT = join(__dirname, '..');
  const config = parse(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8')) as { imports: string[] };

  test('cdk8s.yaml: one import per module prefix, each an https URL at a pinned tag, each vendored for the offline import', () => {
    const entries = config.imports.map((entry) => /^([a-z0-9-]+):=(.*)$/.exec(entry) ?? [entry, '', entry]);
    const prefixes = entries.map(([, prefix]) => prefix);
    expect(prefixes.filter((p, i) => prefixes.indexOf(p) !== i)).toEqual([]);
    for (const [entry, prefix, url] of entries) {
      expect(`${entry}: ${prefix ? 'prefix' : 'NO PREFIX'}`).toBe(`${entry}: prefix`);
      // raw.githubusercontent.com/<owner>/<repo>/<tag>/<path>: the tag is a release version, never a branch
      const tag = /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/([^/]+)\/.+\.ya?ml$/.exec(url)?.[1];
      expect(`${prefix}: ${tag && /^([a-z]+-)?v?\d+\.\d+\.\d+$/.test(tag) ? 'pinned https URL' : url}`).toBe(`${prefix}: pinned https URL`);
      expect(existsSync(join(ROOT, 'test', 'schemas', 'crds', basename(url)))).toBe(true);
    }
  });

  test('the offline import leaves cdk8s.yaml byte for byte as it was, and reproduces imports/ (one entry, run for real)', () => {
    const before = readFileSync(join(ROOT, 'cdk8s.yaml'), 'latin1'); // bytes as they are
    const out = mkdtempSync(join(tmpdir(), 'import-offline-'));
    const prefix = 'kueue-multikueueconfigs'; // the smallest CRD: one CLI run takes ~1 s
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'import-offline.mjs'), '--output', out, '--only', prefix], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
    expect(readFileSync(join(ROOT, 'cdk8s.yaml'), 'latin1')).toBe(before);
    const [module] = readdirSync(out);
    expect(module).toBe(`${prefix}-kueue.x-k8s.io.ts`);
    expect(readFileSync(join(out, module), 'utf8')).toBe(readFileSync(join(ROOT, 'imports', module), 'utf8'));
  }, 20_000);

  /**
   * Paths that exist only on some machine: a CI workspace or home directory, macOS and Windows user folders and
   * temp dirs. Not flagged: paths inside the product's containers (/tmp, /etc, /var/lib/kubelet, ...), and the
   * container homes below, which are where upstream images put their user.
   */
  const CONTAINER_HOMES = ['jovyan', 'rstudio', 'nonroot', 'app', 'user']; // Jupyter, RStudio, distroless, examples
  const MACHINE_PATHS = [
    /(?<![\w.~-])\/(?:work|root)\//,
    new RegExp(String.raw`(?<![\w.~-])/home/(?!(?:${CONTAINER_HOMES.join('|')})/)[\w.-]+/`),
    /(?<![\w.~-])\/Users\/[\w.-]+\//,
    /(?<![\w.~-])\/(?:private\/)?var\/folders\//,
    /\b[A-Za-z]:\\+(?:Users|Documents and Settings)\b/,
  ];

  test('no file of the repository contains an absolute path of a machine', () => {
    let files: string[];
    try {
      // tracked files and new ones not ignored: a path is caught before it is committed
      files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    } catch {
      const skip = /^(node_modules|dist|cdktf\.out|build|coverage|\.git)(\/|$)/;
      files = readdirSync(ROOT, { recursive: true, encoding: 'utf8' }).filter((f) => !skip.test(f));
    }
    expect(files.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const file of files) {
      const path = join(ROOT, file);
      if (!existsSync(path) || !statSync(path).isFile()) continue; // deleted in the work tree, or a folder
      const text = readFileSync(path, 'utf8');
      if (text.includes('\0')) continue; // binary
      text.split('\n').forEach((line, i) => {
        if (MACHINE_PATHS.some((re) => re.test(line))) found.push(`${file}:${i + 1}: ${line.trim().slice(0, 160)}`);
      });
    }
    expect(found).toEqual([]);
  });

  test('the machine-path check catches what it should and lets container paths through', () => {
    const flagged = (s: string) => MACHINE_PATHS.some((re) => re.test(s));
    for (const bad of [['', 'work', 'main', 'x.yaml'].join('/'), `"${['', 'root', '.cache'].join('/')}"`, ['', 'home', 'alice', 'src'].join('/'), ['', 'Users', 'bob', 'x'].join('/'), ['C:', 'Users', 'x'].join('\\\\')]) {
      expect(`${bad}: ${flagged(bad)}`).toBe(`${bad}: true`);
    }
    for (const ok of ['/tmp/.mc', '/etc/ssl/certs', '/var/lib/kubelet', '/home/jovyan/work', 'https://example.com/work/x', 'homework/x', '~/work/x']) {
      expect(`${ok}: ${flagged(ok)}`).toBe(`${ok}: false`);
    }
  });
});
