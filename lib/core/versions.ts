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

/**
 * Versions of the EKS managed add-ons `EksGpuCluster` installs (`aws_eks_addon.addon_version`), each compatible with
 * {@link Versions.EKS_KUBERNETES} (1.34). EKS refuses an add-on version that is not compatible with the cluster's
 * Kubernetes version: a cluster of another version must name its own (`EksGpuClusterProps.addonVersions`). Check
 * with `aws eks describe-addon-versions --kubernetes-version 1.34 --addon-name <name>`.
 *
 * Sources (looked up 2026-12): the Amazon EKS User Guide's "latest version for each Kubernetes version" tables
 * (managing-coredns, managing-kube-proxy, docs.amazonaws.cn .md editions listing 1.35), and, where the guide's
 * table for 1.34 was not available to us, the per-Kubernetes-version maps of awslabs/cdk-eks-blueprints
 * (commit 05d3dbd0, 2026-07-01: lib/addons/{vpc-cni,eks-pod-identity-agent,ebs-csi-driver}/index.ts, V1_34).
 */
export class EksAddonVersions {
  /** `vpc-cni` (cdk-eks-blueprints lib/addons/vpc-cni/index.ts, V1_34); network policy needs >= v1.14. */
  public static readonly VPC_CNI = 'v1.20.4-eksbuild.2';
  /** `coredns` (EKS User Guide, managing-coredns, CoreDNS versions table, row 1.34). */
  public static readonly COREDNS = 'v1.13.2-eksbuild.4';
  /** `kube-proxy`: its minor version must equal the cluster's (EKS User Guide, managing-kube-proxy, row 1.34). */
  public static readonly KUBE_PROXY = 'v1.34.6-eksbuild.2';
  /** `eks-pod-identity-agent` (cdk-eks-blueprints lib/addons/eks-pod-identity-agent/index.ts, V1_34). */
  public static readonly POD_IDENTITY_AGENT = 'v1.3.10-eksbuild.2';
  /** `aws-ebs-csi-driver` (cdk-eks-blueprints lib/addons/ebs-csi-driver/index.ts, V1_34). */
  public static readonly EBS_CSI_DRIVER = 'v1.56.0-eksbuild.1';
}

/**
 * The EKS-optimized AMI release Karpenter's EC2NodeClass pins by default (`amiSelectorTerms: [{ alias }]`):
 * amazon-eks-ami release v20260714 (awslabs/amazon-eks-ami tag v20260714, CHANGELOG "AMI Release v20260714":
 * amazon-eks-node-al2023-x86_64-nvidia-1.34-v20260714, Kubernetes 1.34.9). Karpenter resolves `al2023@<version>`
 * to the AL2023 AMI of that release matching the instance (the NVIDIA variant on GPU instances); `al2023@latest`
 * follows every release, which Karpenter documents as not for production (each release drifts every node).
 */
export class AmiAliases {
  public static readonly EKS_AL2023 = 'al2023@v20260714';
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
  /**
   * Registry of the Jupyter Docker Stacks images (jupyter/docker-stacks moved them from Docker Hub to Quay); an
   * image is `<registry>/<flavor>:<tag>`.
   */
  public static readonly JUPYTER_REGISTRY = 'quay.io/jupyter';
  /**
   * Date tag of the Jupyter Docker Stacks images (jupyter/docker-stacks README.md and docs/using/running.md at
   * 50b36d26, 2026-07-29, name `scipy-notebook:2026-07-28`; tagging/ writes `<date>` for every image).
   */
  public static readonly JUPYTER_TAG = '2026-07-28';
  /**
   * Tag prefix of the CUDA 12 variant of `pytorch-notebook` (docker-stacks .github/workflows/docker.yml builds
   * `variant: cuda12`; tagging/ prefixes its tags with `cuda12-`, e.g. `cuda12-2026-07-28`).
   */
  public static readonly JUPYTER_CUDA_PREFIX = 'cuda12-';
  /** Apache Zeppelin 0.12.1 (apache/zeppelin v0.12.1, 2026-05-23; the quickstart names `apache/zeppelin:0.12.1`). */
  public static readonly ZEPPELIN = 'docker.io/apache/zeppelin:0.12.1';
  /** RStudio Server on R 4.6.1 (rocker-org/rocker-versioned2 dockerfiles/rstudio_4.6.1.Dockerfile, tag R4.6.1). */
  public static readonly RSTUDIO = 'docker.io/rocker/rstudio:4.6.1';
  /**
   * Python for the workbench culler, standard library only (docker-library/official-images library/python at
   * 73f6781, 2026-08-13: `3.13.15-slim-trixie`).
   */
  public static readonly PYTHON = 'docker.io/library/python:3.13.15-slim-trixie';
  /**
   * TensorBoard: the official TensorFlow 2.20.0 CPU image (Docker Hub `tensorflow/tensorflow:2.20.0`, the
   * TensorFlow 2.20.0 release of 2025-08), which ships TensorBoard.
   */
  public static readonly TENSORBOARD = 'docker.io/tensorflow/tensorflow:2.20.0';
  /**
   * kubectl for retraining schedules (registry.k8s.io/kubectl, published for every Kubernetes release). It has no
   * shell: manifests come from a ConfigMap and the container runs `kubectl create -f`.
   */
  public static readonly KUBECTL = 'registry.k8s.io/kubectl:v1.34.3';
  /** Triton Inference Server 2.71.0 (NGC release 26.07; triton-inference-server/server README.md at v2.71.0). */
  public static readonly TRITON = 'nvcr.io/nvidia/tritonserver:26.07-py3';
  /** TensorFlow Serving 2.20.0, the base of the baked model images (tensorflow/serving, tools/docker/Dockerfile). */
  public static readonly TENSORFLOW_SERVING = 'docker.io/tensorflow/serving:2.20.0';
}

/**
 * Pinned versions of the cluster add-ons `ClusterAddons` installs as Argo CD Applications (chart versions exactly as
 * their repositories publish them: some with a leading `v`, some without), each the release whose CRDs the library
 * validates against (test/schemas/crds, cdk8s.yaml), and the oldest Kubernetes version each needs. Never a branch,
 * `HEAD` or a range: a new release is a reviewed change of this class.
 */
export class AddonVersions {
  /**
   * Kueue Helm chart (OCI `registry.k8s.io/kueue/charts/kueue`): kubernetes-sigs/kueue charts/kueue/Chart.yaml at
   * v0.19.2 (`version: 0.19.2`; hack/helm-chart-package.sh publishes the tag without its `v`).
   */
  public static readonly KUEUE = '0.19.2';
  /** Kueue 0.19: "Requires Kubernetes 1.29 or newer" (kubernetes-sigs/kueue README.md at v0.19.2). */
  public static readonly KUEUE_MIN_KUBERNETES = '1.29.0';
  /**
   * Knative Operator Helm chart (`https://knative.github.io/operator`, chart `knative-operator`): the gh-pages
   * index.yaml entry `version: "v1.23.0"` of release knative-v1.23.0.
   */
  public static readonly KNATIVE_OPERATOR = 'v1.23.0';
  /**
   * Knative Serving the operator installs (`KnativeServing.spec.version`): knative/operator knative-v1.23.0 ships
   * cmd/operator/kodata/knative-serving/1.23.0, the release of our Service CRD (knative/serving knative-v1.23.0).
   */
  public static readonly KNATIVE_SERVING = '1.23.0';
  /**
   * Knative Eventing the operator installs (`KnativeEventing.spec.version`): the operator at knative-v1.23.0 ships
   * cmd/operator/kodata/knative-eventing/1.22.2, the release of our Broker, Trigger and PingSource CRDs.
   */
  public static readonly KNATIVE_EVENTING = '1.22.2';
  /**
   * Knative 1.23 exits below Kubernetes 1.34.0: knative.dev/pkg version/version.go `DefaultKubernetesMinVersion =
   * "v1.34.0"` (since pkg ba7fd23, 2026-02-10, before Eventing 1.22 and Serving 1.23 branched), checked by
   * injection/sharedmain `CheckK8sClientMinimumVersionOrDie`. The chart's `kubernetes_min_version: v1.25.0` applies to
   * the operator's own pods only.
   */
  public static readonly KNATIVE_MIN_KUBERNETES = '1.34.0';
  /**
   * eventing-kafka-broker's KafkaSource controller, which the Knative Operator installs when
   * `KnativeEventing.spec.source.kafka.enabled` is true: knative/operator knative-v1.23.0 takes the manifests of
   * cmd/operator/kodata/eventing-source/<minor of spec.version>/kafka (pkg/reconciler/knativeeventing/source/source.go
   * `GetSourcePath`), i.e. eventing-source/1.22/kafka for Eventing {@link KNATIVE_EVENTING}, whose objects are labelled
   * `app.kubernetes.io/version: "1.22.3"` and whose KafkaSource CRD is the one we import (knative-extensions/
   * eventing-kafka-broker knative-v1.22.3 control-plane/config/eventing-kafka-broker/100-source/100-kafka-source.yaml,
   * same spec). Not written anywhere: the operator picks it from `spec.version`; kept here to pin what we validate
   * against. Its controller is a knative.dev/pkg sharedmain (go.mod: knative.dev/pkg of 2026-05-31), so
   * {@link KNATIVE_MIN_KUBERNETES} applies.
   */
  public static readonly KNATIVE_KAFKA_SOURCE = '1.22.3';
  /**
   * Strimzi cluster operator Helm chart (OCI `quay.io/strimzi-helm/strimzi-kafka-operator`): strimzi/strimzi-kafka-operator
   * at tag 1.2.0, Makefile `helm_pkg` packages helm-charts/helm3/strimzi-kafka-operator with `--version` = release.version
   * (`1.2.0`, no `v`), .github/workflows/release.yml pushes it to quay.io, org `strimzi-helm` (the chart README's
   * `helm install ... oci://quay.io/strimzi-helm/strimzi-kafka-operator`; the https://strimzi.io/charts/ repository is
   * deprecated since 0.36.0, CHANGELOG.md). The release of our Kafka and KafkaTopic CRDs.
   */
  public static readonly STRIMZI = '1.2.0';
  /**
   * Strimzi 1.2: "Kubernetes 1.30+" (helm-charts/helm3/strimzi-kafka-operator/README.md "Prerequisites" at 1.2.0;
   * documentation/shared/attributes.adoc `:KubernetesVersion: 1.30 and later`).
   */
  public static readonly STRIMZI_MIN_KUBERNETES = '1.30.0';
  /**
   * Kubeflow training operator (no chart: Argo CD renders the kustomize overlay manifests/overlays/standalone of
   * https://github.com/kubeflow/training-operator.git at this tag), the release of our TFJob CRD.
   */
  public static readonly TRAINING_OPERATOR = 'v1.9.0';
  /** Training operator 1.8+: Kubernetes 1.27+ (README "Version Matrix"; CI of v1.9.0 tests 1.28 to 1.31). */
  public static readonly TRAINING_OPERATOR_MIN_KUBERNETES = '1.27.0';
  /** cert-manager Helm chart (OCI `quay.io/jetstack/charts/cert-manager`), deploy/charts/cert-manager at v1.21.1. */
  public static readonly CERT_MANAGER = 'v1.21.1';
  /** cert-manager 1.21 supports Kubernetes 1.33 to 1.36 (cert-manager website, docs/releases). */
  public static readonly CERT_MANAGER_MIN_KUBERNETES = '1.33.0';
  /** trust-manager Helm chart (OCI `quay.io/jetstack/charts/trust-manager`), deploy/charts/trust-manager at v0.24.0. */
  public static readonly TRUST_MANAGER = 'v0.24.0';
  /** trust-manager chart `kubeVersion: ">= 1.25.0-0"` (deploy/charts/trust-manager/Chart.yaml at v0.24.0). */
  public static readonly TRUST_MANAGER_MIN_KUBERNETES = '1.25.0';
  /**
   * Karpenter Helm charts (OCI `public.ecr.aws/karpenter/karpenter` and `karpenter-crd`, no `v`): the v1.14 getting
   * started guide's `KARPENTER_VERSION="1.14.1"`, the release of our NodePool and EC2NodeClass CRDs.
   */
  public static readonly KARPENTER = '1.14.1';
  /** Karpenter 1.14's compatibility matrix starts at Kubernetes 1.30 (website v1.14 upgrading/compatibility.md). */
  public static readonly KARPENTER_MIN_KUBERNETES = '1.30.0';
  /**
   * Cluster Autoscaler Helm chart (`https://kubernetes.github.io/autoscaler`, chart `cluster-autoscaler`): 9.53.0
   * ships Cluster Autoscaler 1.34.2 (gh-pages index.yaml). The autoscaler's minor version must equal the cluster's:
   * this chart is for Kubernetes 1.34 clusters ({@link Versions.EKS_KUBERNETES}).
   */
  public static readonly CLUSTER_AUTOSCALER = '9.53.0';
  /** Cluster Autoscaler 1.34.x is for Kubernetes 1.34 (kubernetes/autoscaler cluster-autoscaler README, releases). */
  public static readonly CLUSTER_AUTOSCALER_MIN_KUBERNETES = '1.34.0';
}
