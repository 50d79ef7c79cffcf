import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';

/**
 * Selectors of namespaces by name, through the label the API server puts on every namespace
 * (`kubernetes.io/metadata.name`, Kubernetes 1.22+): for NetworkPolicy peers, ClusterQueues, Bundles.
 * @internal
 */
export class NamespaceSelectors {
  /** The label holding a namespace's name. */
  public static readonly NAME_LABEL = 'kubernetes.io/metadata.name';

  /** The namespace named `name`. */
  public static named(name: string): k8s.LabelSelector {
    return { matchLabels: { [NamespaceSelectors.NAME_LABEL]: name } };
  }

  /** The namespaces named in `names`. */
  public static among(names: string[]): k8s.LabelSelector {
    return { matchExpressions: [{ key: NamespaceSelectors.NAME_LABEL, operator: 'In', values: [...names] }] };
  }
}
