/**
 * The Terraform half of the reference platform: one cdktf stack per cloud, writing cdktf.out/stacks/<stack>/.
 * `cdktf synth` runs this file (see cdktf.json); `npm run synth` runs it through apps/main.ts.
 */
import { AwsPlatformStack, CloudApp, GcpPlatformStack } from '../lib';
import { AWS, GCP } from './platform';

/** Builds the cdktf App (not synthesized). */
export function buildCloud(outdir?: string): CloudApp {
  const app = new CloudApp({ outdir });
  new AwsPlatformStack(app, 'aws', AWS);
  new GcpPlatformStack(app, 'gcp', GCP);
  return app;
}

/** Synthesizes every stack; returns the output folder. */
export function synthCloud(outdir?: string): string {
  const app = buildCloud(outdir);
  app.synth();
  return app.outdir;
}

if (require.main === module) {
  console.log(`wrote ${synthCloud()}`);
}
