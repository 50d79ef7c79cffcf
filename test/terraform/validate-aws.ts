/**
 * `terraform init -backend=false` + `terraform validate` on every synthesized AWS stack of the reference platform,
 * with the real AWS provider taken from a local filesystem mirror (no network).
 *
 * The mirror is $TF_PLUGIN_MIRROR, else the first of a few usual places that holds
 * registry.terraform.io/hashicorp/aws/<version>. Without terraform or the mirror the step says so loudly and
 * skips, unless TF_VALIDATE_REQUIRED=1 (set by .ci/run on machines that have the mirror): then a skip fails.
 * Google stacks cannot be validated this way (no provider available offline): their JSON is checked in jest.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthCloud } from '../../apps/cloud';

const PROVIDER = 'registry.terraform.io/hashicorp/aws';
const required = process.env.TF_VALIDATE_REQUIRED === '1';

function skip(reason: string): never {
  const banner = '!'.repeat(100);
  console.error(`${banner}\nSKIPPED terraform validate of the AWS stacks: ${reason}\n${banner}`);
  if (required) {
    console.error('TF_VALIDATE_REQUIRED=1: a skipped terraform validation is a failure here.');
    process.exit(1);
  }
  process.exit(0);
}

function providerVersion(stackJson: string): string {
  const json = JSON.parse(readFileSync(stackJson, 'utf8'));
  return json.terraform.required_providers.aws.version;
}

function findMirror(version: string): string | undefined {
  const candidates = [
    process.env.TF_PLUGIN_MIRROR,
    '/opt/tf-plugins',
    join(homedir(), '.terraform.d', 'plugins'),
    join(homedir(), '.local', 'share', 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ].filter((c): c is string => !!c);
  return candidates.find((dir) => existsSync(join(dir, PROVIDER, version)));
}

function main(): void {
  const which = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  if (which.status !== 0) skip('terraform is not on the PATH');

  const out = mkdtempSync(join(tmpdir(), 'cdktf-validate-'));
  try {
    synthCloud(out);
    const stacksDir = join(out, 'stacks');
    const awsStacks = readdirSync(stacksDir).filter((s) => {
      const json = JSON.parse(readFileSync(join(stacksDir, s, 'cdk.tf.json'), 'utf8'));
      return !!json.terraform?.required_providers?.aws;
    });
    if (awsStacks.length === 0) throw new Error('the reference platform has no AWS stack to validate');

    for (const stack of awsStacks) {
      const dir = join(stacksDir, stack);
      const version = providerVersion(join(dir, 'cdk.tf.json'));
      const mirror = findMirror(version);
      if (!mirror) skip(`no filesystem mirror holds ${PROVIDER}/${version} (set TF_PLUGIN_MIRROR)`);
      const cliConfig = join(out, 'terraformrc');
      writeFileSync(cliConfig, [
        'provider_installation {',
        `  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["${PROVIDER}"]\n  }`,
        `  direct {\n    exclude = ["${PROVIDER}"]\n  }`,
        '}',
        '',
      ].join('\n'));
      const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
      const started = Date.now();
      execFileSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'pipe' });
      const validate = spawnSync('terraform', ['validate', '-json', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
      const result = JSON.parse(validate.stdout || '{}');
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (validate.status !== 0 || !result.valid) {
        console.error(`terraform validate FAILED for stack ${stack}:`);
        for (const d of result.diagnostics ?? []) console.error(`  ${d.severity}: ${d.summary} ${d.detail ?? ''} (${d.address ?? d.range?.filename ?? ''})`);
        process.exit(1);
      }
      const warnings = (result.diagnostics ?? []).filter((d: { severity: string }) => d.severity === 'warning');
      for (const w of warnings) console.warn(`  warning: ${w.summary} ${w.detail ?? ''}`);
      console.log(`terraform validate: stack ${stack} is valid with ${PROVIDER} ${version} from ${mirror} (${seconds}s, ${warnings.length} warning(s))`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

main();
