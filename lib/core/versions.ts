/**
 * The one place where upstream versions are pinned: Kubernetes, the operators whose CRDs we emit (with the API
 * version of each kind), and every container image the library runs. cdk8s.yaml pins the same upstream tags for
 * `cdk8s import`.
 */

/** npm package name; the value of `app.kubernetes.io/managed-by`. */
export const PROJECT_NAME = 'cdk8s-ai-platform';

/** Upstream releases the library targets. */
export class Versions {
  /** Kubernetes minor version (cdk8s-plus-28, JSON schemas of 1.28). */
  public static readonly KUBERNETES = '1.28';
  /** Pod Security Standards version pinned in namespace labels. */
  public static readonly POD_SECURITY = 'v1.28';
  /**
   * Kubernetes version of the EKS clusters we create. Manifests are validated against the 1.28 schemas, the oldest
   * API level they need; every API they use is GA and unchanged in later versions.
   */
  public static readonly EKS_KUBERNETES = '1.34';
  /** GKE release channel of the clusters we create (GKE picks and upgrades the version). */
  public static readonly GKE_RELEASE_CHANNEL = 'REGULAR';
  public static readonly KUBEFLOW_TRAINING_OPERATOR = 'v1.9.0';
  public static readonly KNATIVE_SERVING = 'knative-v1.23.0';
  public static readonly KNATIVE_EVENTING = 'knative-v1.22.2';
  public static readonly KUEUE = 'v0.19.2';
  public static readonly KARPENTER = 'v1.14.1';
  public static readonly ARGO_CD = 'v3.5.1';
}

/** `apiVersion` of each custom resource kind we emit (the storage version of the CRDs in cdk8s.yaml). */
export class ApiVersions {
  public static readonly TFJOB = 'kubeflow.org/v1';
  public static readonly KNATIVE_SERVICE = 'serving.knative.dev/v1';
  public static readonly KNATIVE_EVENTING = 'eventing.knative.dev/v1';
  public static readonly KNATIVE_SOURCES = 'sources.knative.dev/v1';
  public static readonly KUEUE = 'kueue.x-k8s.io/v1beta2';
  public static readonly KARPENTER = 'karpenter.sh/v1';
  public static readonly KARPENTER_AWS = 'karpenter.k8s.aws/v1';
  public static readonly ARGO_CD = 'argoproj.io/v1alpha1';
}

/** Every container image the library runs, pinned by tag. Constructs take an `image` prop to override. */
export class DefaultImages {
  /** NVIDIA device plugin (advertises `nvidia.com/gpu` and MIG resources; time-slicing). */
  public static readonly NVIDIA_DEVICE_PLUGIN = 'nvcr.io/nvidia/k8s-device-plugin:v0.19.0';
  /**
   * MinIO server: the last official image, published before MinIO Community Edition became source-only
   * (October 2025). It predates RELEASE.2025-10-15T17-29-55Z, which fixes CVE-2025-62506: build that release (or
   * later) from source and set the `image` prop of MinioDataLake to your build (see the README).
   */
  public static readonly MINIO = 'quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z';
  /** MinIO client (`mc`), for the lake's provisioning and mirror jobs: the last official image. */
  public static readonly MINIO_CLIENT = 'quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z';
}
