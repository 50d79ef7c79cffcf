import { ValidationError } from '../core/errors';

/**
 * Knative Serving's `config-features` flags (knative/serving knative-v1.23.0, pkg/apis/config/features.go and
 * config/core/configmaps/features.yaml). Knative's webhook refuses a Service whose pod spec uses a field its flag
 * does not enable (a nodeSelector, tolerations, a pod securityContext, a runtimeClassName, init containers,
 * PersistentVolumeClaims, ...), so a construct that emits such a field declares the flag it needs
 * (`AddonRequirements.require`) and `ClusterAddons` enables exactly the flags declared.
 */
export class KnativeFeature {
  public static readonly PODSPEC_AFFINITY = new KnativeFeature('kubernetes.podspec-affinity');
  public static readonly PODSPEC_DNS_CONFIG = new KnativeFeature('kubernetes.podspec-dnsconfig');
  public static readonly PODSPEC_DNS_POLICY = new KnativeFeature('kubernetes.podspec-dnspolicy');
  public static readonly PODSPEC_FIELDREF = new KnativeFeature('kubernetes.podspec-fieldref');
  public static readonly PODSPEC_HOST_ALIASES = new KnativeFeature('kubernetes.podspec-hostaliases');
  public static readonly PODSPEC_INIT_CONTAINERS = new KnativeFeature('kubernetes.podspec-init-containers');
  public static readonly PODSPEC_NODESELECTOR = new KnativeFeature('kubernetes.podspec-nodeselector');
  public static readonly PODSPEC_PERSISTENT_VOLUME_CLAIM = new KnativeFeature('kubernetes.podspec-persistent-volume-claim');
  public static readonly PODSPEC_PERSISTENT_VOLUME_WRITE = new KnativeFeature('kubernetes.podspec-persistent-volume-write');
  public static readonly PODSPEC_PRIORITY_CLASS_NAME = new KnativeFeature('kubernetes.podspec-priorityclassname');
  public static readonly PODSPEC_RUNTIME_CLASS_NAME = new KnativeFeature('kubernetes.podspec-runtimeclassname');
  public static readonly PODSPEC_SCHEDULER_NAME = new KnativeFeature('kubernetes.podspec-schedulername');
  /** Pod-level securityContext (Knative's file warns it "cannot safely be disabled once enabled"). */
  public static readonly PODSPEC_SECURITY_CONTEXT = new KnativeFeature('kubernetes.podspec-securitycontext');
  public static readonly PODSPEC_TOLERATIONS = new KnativeFeature('kubernetes.podspec-tolerations');
  public static readonly PODSPEC_TOPOLOGY_SPREAD_CONSTRAINTS = new KnativeFeature('kubernetes.podspec-topologyspreadconstraints');
  public static readonly PODSPEC_VOLUMES_CSI = new KnativeFeature('kubernetes.podspec-volumes-csi');
  /** emptyDir volumes: enabled by Knative's default, listed so a construct can still declare it. */
  public static readonly PODSPEC_VOLUMES_EMPTYDIR = new KnativeFeature('kubernetes.podspec-volumes-emptydir');
  public static readonly PODSPEC_VOLUMES_EPHEMERAL = new KnativeFeature('kubernetes.podspec-volumes-ephemeral');
  public static readonly PODSPEC_VOLUMES_IMAGE = new KnativeFeature('kubernetes.podspec-volumes-image');
  public static readonly MULTI_CONTAINER = new KnativeFeature('multi-container');
  public static readonly MULTI_CONTAINER_PROBING = new KnativeFeature('multi-container-probing');
  public static readonly QUEUEPROXY_MOUNT_PODINFO = new KnativeFeature('queueproxy.mount-podinfo');
  public static readonly QUEUEPROXY_RESOURCE_DEFAULTS = new KnativeFeature('queueproxy.resource-defaults');
  public static readonly TAG_HEADER_BASED_ROUTING = new KnativeFeature('tag-header-based-routing');
  public static readonly AUTODETECT_HTTP2 = new KnativeFeature('autodetect-http2');

  /**
   * Flags a construct may declare. Left out on purpose: the host namespaces, hostPath volumes, mount propagation,
   * added capabilities and a shared process namespace (no construct of the library may need them: they break the
   * restricted Pod Security Standard), and `secure-pod-defaults` (not a plain on/off flag); a user can still set
   * those in `ClusterAddonsProps.knativeServing.features`.
   */
  public static all(): KnativeFeature[] {
    return [
      KnativeFeature.PODSPEC_AFFINITY, KnativeFeature.PODSPEC_DNS_CONFIG, KnativeFeature.PODSPEC_DNS_POLICY,
      KnativeFeature.PODSPEC_FIELDREF, KnativeFeature.PODSPEC_HOST_ALIASES, KnativeFeature.PODSPEC_INIT_CONTAINERS,
      KnativeFeature.PODSPEC_NODESELECTOR, KnativeFeature.PODSPEC_PERSISTENT_VOLUME_CLAIM,
      KnativeFeature.PODSPEC_PERSISTENT_VOLUME_WRITE, KnativeFeature.PODSPEC_PRIORITY_CLASS_NAME,
      KnativeFeature.PODSPEC_RUNTIME_CLASS_NAME, KnativeFeature.PODSPEC_SCHEDULER_NAME,
      KnativeFeature.PODSPEC_SECURITY_CONTEXT, KnativeFeature.PODSPEC_TOLERATIONS,
      KnativeFeature.PODSPEC_TOPOLOGY_SPREAD_CONSTRAINTS, KnativeFeature.PODSPEC_VOLUMES_CSI,
      KnativeFeature.PODSPEC_VOLUMES_EMPTYDIR, KnativeFeature.PODSPEC_VOLUMES_EPHEMERAL,
      KnativeFeature.PODSPEC_VOLUMES_IMAGE, KnativeFeature.MULTI_CONTAINER, KnativeFeature.MULTI_CONTAINER_PROBING,
      KnativeFeature.QUEUEPROXY_MOUNT_PODINFO, KnativeFeature.QUEUEPROXY_RESOURCE_DEFAULTS,
      KnativeFeature.TAG_HEADER_BASED_ROUTING, KnativeFeature.AUTODETECT_HTTP2,
    ];
  }

  /**
   * Every key of Knative Serving 1.23's `config-features` (features.go `NewFeaturesConfigFromMap`): what a user may
   * set in `ClusterAddonsProps.knativeServing.features`.
   */
  public static allKeys(): string[] {
    return [
      ...KnativeFeature.all().map((f) => f.name),
      'kubernetes.podspec-hostipc', 'kubernetes.podspec-hostpid', 'kubernetes.podspec-hostnetwork',
      'kubernetes.podspec-shareprocessnamespace', 'kubernetes.containerspec-addcapabilities',
      'kubernetes.podspec-volumes-hostpath', 'kubernetes.podspec-volumes-mount-propagation', 'secure-pod-defaults',
    ].sort();
  }

  /** The flag named `name` (`kubernetes.podspec-nodeselector`); throws a `ValidationError` naming `field` otherwise. */
  public static fromName(name: string, field: string = 'KnativeFeature.name'): KnativeFeature {
    const found = KnativeFeature.all().find((f) => f.name === name);
    if (!found) throw new ValidationError('', field, name, `expected a Knative Serving 1.23 config-features flag a construct may require: ${KnativeFeature.all().map((f) => f.name).join(', ')}`);
    return found;
  }

  /** The `config-features` key. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }
}
