// The public API of cdk8s-ai-platform: everything a user imports comes from here.

// core: shared by both construct trees
// ValidationError extends Error, which jsii cannot publish: like aws-cdk-lib, the public API offers
// Errors.isValidationError(); TypeScript code may import the class from 'cdk8s-ai-platform/build/lib/core/errors'.
export { Errors } from './core/errors';
export * from './core/names';
export * from './core/labels';
export * from './core/quantity';
export * from './core/images';
export * from './core/versions';
export * from './core/gpu-resources';
export * from './core/eks-contract';
export * from './core/kubernetes-versions';
export * from './core/cidr';
export * from './core/regions';
export * from './core/cron';
export * from './core/system-namespaces';
export * from './core/cloud-tags';
// core, Kubernetes side
export * from './core/k8s/security';
export * from './core/k8s/resources';

// tenancy
export * from './teams/team-space';

// cloud (cdktf)
export * from './cloud/cloud-app';
export * from './cloud/platform-stack';
export * from './cloud/aws/aws-platform-stack';
export * from './cloud/gcp/gcp-platform-stack';

// GPUs
export * from './gpu/gpu-type';
export * from './gpu/gpu-sharing';
export * from './gpu/gpu-pool';
export * from './gpu/gpu-node-pool';
export * from './gpu/gpu-placement';
export * from './cloud/node-taints';
export * from './cloud/aws/eks-gpu-cluster';
export * from './cloud/gcp/gke-gpu-cluster';

// data
export * from './data/data-bucket';
export * from './data/data-lake-policy';
export * from './data/minio-data-lake';
export * from './cloud/aws/s3-replica-bucket';
export * from './cloud/gcp/gcs-replica-bucket';

// add-ons (Kubernetes side)
export * from './addons/ebs-storage-class';

// workloads: the one pod builder of workbenches, training jobs and served models
export * from './workloads/workload-pod';

// workbenches
export * from './workbench/workbench-kind';
export * from './workbench/workbench-culling';
export * from './workbench/workbench';
export * from './workbench/workbench-fleet';

// cluster add-ons and GitOps (Argo CD)
export * from './addons/addon';
export * from './addons/knative-feature';
export * from './addons/kueue-integration';
export * from './addons/addon-requirements';
export * from './addons/gitops';
export * from './addons/cluster-addons';
export * from './addons/gitops-root';

// training
export * from './training/training-backend';
export * from './training/tf-replica';
export * from './training/tensorboard';
export * from './training/distributed-tf-job';
export * from './training/retraining-schedule';

// serving: eventing and observability
// (EventSinks and EventDeliveries in these two files are internal helpers)
export { EventSink } from './serving/eventing-sink';
export type { EventSinkRef, IEventSink } from './serving/eventing-sink';
export { BackoffPolicy } from './serving/eventing-delivery';
export type { EventDelivery } from './serving/eventing-delivery';
export * from './serving/eventing-broker';
export * from './serving/eventing-trigger';
export * from './serving/eventing-ping-source';
export * from './serving/model-events-bridge';
export * from './serving/eventing-observability';

// serving (Knative)
export * from './serving/model-server';
export * from './serving/knative-model-traffic';
export * from './serving/knative-model';

// bursting: Kueue queues, MultiKueue, prices
export * from './burst/gpu-queue';
export * from './burst/workload-priority';
export * from './burst/price-table';
export * from './burst/burst-cluster';
export * from './burst/burst-manager';
export * from './burst/burst-worker';
