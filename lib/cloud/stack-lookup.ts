import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';

/**
 * Finds the platform stack a cloud construct is placed in, or says where it belongs. `TerraformStack.of` throws a
 * plain Error outside a stack, and a construct in the wrong cloud's stack only fails later in cdktf or Terraform
 * (no provider for its resources): both become a {@link ValidationError} naming the construct and the field.
 * @internal not part of the public API (generic signature)
 */
export class StackLookup {
  /**
   * The nearest enclosing stack of `construct` when it is a `type`; a ValidationError on `field` otherwise.
   * @param expected what the construct needs, e.g. "an AwsPlatformStack, which provides the AWS provider and region"
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  public static containing<T extends TerraformStack>(construct: IConstruct, field: string, type: abstract new (...args: any[]) => T, expected: string): T {
    const scopes = construct.node.scopes;
    for (let i = scopes.length - 2; i >= 0; i--) {
      const scope = scopes[i];
      if (scope instanceof type) return scope;
      if (TerraformStack.isStack(scope)) {
        throw new ValidationError(construct.node.path, field, scope.node.path,
          `expected a construct inside ${expected}: it is inside the ${scope.constructor.name} "${scope.node.path}"`);
      }
    }
    const parent = construct.node.scope;
    throw new ValidationError(construct.node.path, field, parent ? parent.node.path || '(the app)' : '(no scope)',
      `expected a construct inside ${expected}: it is placed directly in the app, outside any stack`);
  }
}
