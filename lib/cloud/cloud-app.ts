import { App } from 'cdktf';

/** Props of {@link CloudApp}. */
export interface CloudAppProps {
  /**
   * Where `synth()` writes the Terraform JSON (one folder per stack under `stacks/`).
   * @default - $CDKTF_OUTDIR (set by `cdktf synth`), else "cdktf.out"
   */
  readonly outdir?: string;
}

/**
 * The root of the Terraform side (a cdktf App). The rest of the library reaches cdktf only through lib/cloud/,
 * so that a move to another CDK for Terraform touches this folder alone.
 */
export class CloudApp extends App {
  public constructor(props: CloudAppProps = {}) {
    super({ outdir: props.outdir, skipValidation: false });
  }
}
