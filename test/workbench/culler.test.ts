/**
 * The idle culler's program, run for real (python3) against a fake Kubernetes API and fake Jupyter servers on
 * loopback: an idle workbench is scaled to 0, an active one is left alone, nothing is ever deleted.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CULLER_SCRIPT } from '../../lib/workbench/culler-script';
import { tempDir } from '../helpers/output';

interface Call { method: string; url: string; body: string; auth?: string }

/** One loopback server playing both the API server (/apis/...) and the Jupyter servers (/jupyter/<name>/api/status). */
function fakeCluster(state: { replicas: Record<string, number>; lastActivity: Record<string, string | undefined>; busy: string[] }) {
  const calls: Call[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const url = req.url ?? '';
      calls.push({ method: req.method ?? '', url, body, auth: req.headers.authorization });
      const scale = /^\/apis\/apps\/v1\/namespaces\/vision\/statefulsets\/([^/]+)\/scale$/.exec(url);
      const jupyter = /^\/jupyter\/([^/]+)\/api\/status$/.exec(url);
      const kernels = /^\/jupyter\/([^/]+)\/api\/kernels\?no_track_activity=1$/.exec(url);
      if (kernels && state.lastActivity[kernels[1]] !== undefined) {
        if (req.headers.authorization !== `token ${kernels[1]}-token`) { res.statusCode = 403; return res.end('{}'); }
        return res.end(JSON.stringify([{ id: 'k1', execution_state: state.busy.includes(kernels[1]) ? 'busy' : 'idle' }]));
      }
      if (scale && req.method === 'GET') return res.end(JSON.stringify({ kind: 'Scale', spec: { replicas: state.replicas[scale[1]] } }));
      if (scale && req.method === 'PATCH') {
        state.replicas[scale[1]] = JSON.parse(body).spec.replicas;
        return res.end(JSON.stringify({ kind: 'Scale', spec: { replicas: state.replicas[scale[1]] } }));
      }
      if (jupyter && state.lastActivity[jupyter[1]] !== undefined) {
        if (req.headers.authorization !== `token ${jupyter[1]}-token`) { res.statusCode = 403; return res.end('{}'); }
        return res.end(JSON.stringify({ started: '2026-12-01T08:00:00.000000Z', last_activity: state.lastActivity[jupyter[1]], connections: 0, kernels: 1 }));
      }
      res.statusCode = 503;
      return res.end('{}');
    });
  });
  return { server, calls };
}

function runCuller(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = tempDir('culler');
  writeFileSync(join(dir, 'cull.py'), CULLER_SCRIPT);
  return new Promise((resolve) => {
    execFile('python3', [join(dir, 'cull.py')], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as NodeJS.ErrnoException).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('idle culler', () => {
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString().replace(/\.\d+Z$/, '.000000Z');
  const state = {
    replicas: { idle: 1, active: 1, busy: 1, stopped: 0, down: 1, zeppelin: 1 } as Record<string, number>,
    lastActivity: { idle: minutesAgo(90), active: minutesAgo(5), busy: minutesAgo(300), stopped: minutesAgo(600) } as Record<string, string | undefined>,
    busy: ['busy'],
  };
  const { server, calls } = fakeCluster(state);
  let result: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = tempDir('culler-sa');
    writeFileSync(join(dir, 'token'), 'sa-token\n');
    const jupyter = (name: string) => ({ statefulSet: name, kind: 'jupyter', url: `${base}/jupyter/${name}`, idleSeconds: 3600, tokenEnv: `TOKEN_${name.toUpperCase()}` });
    result = await runCuller({
      KUBE_API: base,
      KUBE_TOKEN_FILE: join(dir, 'token'),
      CULLER_CONFIG: JSON.stringify({
        namespace: 'vision',
        workbenches: [jupyter('idle'), jupyter('active'), jupyter('busy'), jupyter('stopped'), jupyter('down'), { statefulSet: 'zeppelin', kind: 'schedule' }],
      }),
      TOKEN_IDLE: 'idle-token', TOKEN_ACTIVE: 'active-token', TOKEN_BUSY: 'busy-token', TOKEN_STOPPED: 'stopped-token', TOKEN_DOWN: 'down-token',
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('exits 0 and says what it did', () => {
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/idle: idle for \d+s \(limit 3600s\): stopped/);
    expect(result.stdout).toMatch(/active: active \d+s ago: left running/);
    expect(result.stdout).toMatch(/busy: active 0s ago: left running/);
    expect(result.stdout).toMatch(/stopped: already stopped/);
    expect(result.stderr).toMatch(/down: not checked .*: left running/);
  });

  test('the idle workbench is scaled to 0; the active one, the one with a busy kernel and the unreachable one are left alone', () => {
    expect(state.replicas).toEqual({ idle: 0, active: 1, busy: 1, stopped: 0, down: 1, zeppelin: 0 });
    const patches = calls.filter((c) => c.method === 'PATCH');
    expect(patches.map((c) => c.url)).toEqual([
      '/apis/apps/v1/namespaces/vision/statefulsets/idle/scale',
      '/apis/apps/v1/namespaces/vision/statefulsets/zeppelin/scale',
    ]);
    for (const p of patches) expect(JSON.parse(p.body)).toEqual({ spec: { replicas: 0 } });
  });

  test('nothing is ever deleted; only the scale subresource is touched; the API sees the service-account token', () => {
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([]);
    const api = calls.filter((c) => c.url.startsWith('/apis/'));
    expect(api.every((c) => c.url.endsWith('/scale'))).toBe(true);
    expect(api.every((c) => c.auth === 'Bearer sa-token')).toBe(true);
  });

  test('Jupyter is asked with its own token; a stopped one is not asked at all', () => {
    const asked = calls.filter((c) => c.url.startsWith('/jupyter/'));
    expect(asked.map((c) => [c.url, c.auth])).toEqual([
      ['/jupyter/idle/api/kernels?no_track_activity=1', 'token idle-token'],
      ['/jupyter/idle/api/status', 'token idle-token'],
      ['/jupyter/active/api/kernels?no_track_activity=1', 'token active-token'],
      ['/jupyter/active/api/status', 'token active-token'],
      ['/jupyter/busy/api/kernels?no_track_activity=1', 'token busy-token'],
      ['/jupyter/down/api/kernels?no_track_activity=1', 'token down-token'],
    ]);
  });
});
