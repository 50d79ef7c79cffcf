import { LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/**
 * Base of the platform's Terraform stacks. It keeps synthesized output free of machine-specific paths: the
 * default local backend writes `terraform.<stack>.tfstate` at the project root through a relative path (cdktf's
 * own default is an absolute path). For production, replace it with a remote backend, e.g.
 * `new S3Backend(stack, {...})` from cdktf, before `synth()`.
 */
export abstract class PlatformStack extends TerraformStack {
  protected constructor(scope: Construct, id: string) {
    super(scope, id);
    // terraform runs in <outdir>/stacks/<id>/: three levels below the project root.
    new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
  }
}
