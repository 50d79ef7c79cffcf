import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { Checks } from '../core/checks';
import { ClusterScope } from '../core/cluster-scope';
import { ValidationError } from '../core/errors';
import { ObjectOrder } from '../core/k8s/object-order';
import { Labels } from '../core/labels';
import { Names } from '../core/names';

/** Props of {@link EbsStorageClass}. */
export interface EbsStorageClassProps {
  /**
   * Name of the StorageClass (what a PersistentVolumeClaim's `storageClassName` names).
   * @default "gp3-encrypted"
   */
  readonly name?: string;
  /**
   * Make it the cluster's default StorageClass (annotation `storageclass.kubernetes.io/is-default-class`): claims
   * without a `storageClassName` get it. A cluster must have one default: turn EKS's own `gp2` class (in-tree
   * provisioner, no longer default on new clusters) into a non-default one if it is still marked default.
   * @default true
   */
  readonly defaultClass?: boolean;
  /**
   * ARN of the KMS key that encrypts the volumes (`arn:aws:kms:<region>:<account>:key/<id>`). The EBS CSI driver's
   * role (`EksGpuCluster.ebsCsiDriverRole`) needs grants on a customer managed key.
   * @default - the account's AWS managed key for EBS (`aws/ebs`)
   */
  readonly kmsKeyArn?: string;
}

/** The StorageClass annotation that makes a class the default (Kubernetes "Change the default StorageClass"). */
const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** The EBS CSI driver (the `aws-ebs-csi-driver` EKS add-on that `EksGpuCluster` installs). */
const PROVISIONER = 'ebs.csi.aws.com';
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:key\/[A-Za-z0-9-]+$/;

/**
 * The AWS cluster's StorageClass for persistent volumes: EBS gp3 through the EBS CSI driver, always encrypted, bound
 * where the pod is scheduled (`WaitForFirstConsumer`: the volume is created in the pod's availability zone, never in
 * a zone the pod cannot reach), expandable, and `Retain`ed when its claim is deleted (the data of a workbench home
 * or a lake drive is never lost by a deletion; release the PersistentVolume and delete the EBS volume by hand when
 * it is really no longer needed). Parameters from kubernetes-sigs/aws-ebs-csi-driver docs/parameters.md (`type`,
 * `encrypted`, `kmsKeyId`, `csi.storage.k8s.io/fstype`).
 *
 * Without the driver (Terraform: `EksGpuCluster`'s `aws-ebs-csi-driver` add-on) no claim of this class binds.
 */
export class EbsStorageClass extends Construct {
  /** The StorageClass name. */
  public readonly name: string;
  /** The StorageClass (escape hatch). */
  public readonly storageClass: k8s.KubeStorageClass;

  public constructor(scope: Construct, id: string, props: EbsStorageClassProps = {}) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, 'EbsStorageClassProps', props);
    this.name = props.name === undefined ? 'gp3-encrypted' : Names.validateDnsLabel(path, 'EbsStorageClassProps.name', props.name);
    const defaultClass = Checks.boolean(path, 'EbsStorageClassProps.defaultClass', props.defaultClass, true);
    if (props.kmsKeyArn !== undefined && (typeof props.kmsKeyArn !== 'string' || !KMS_KEY_ARN.test(props.kmsKeyArn))) {
      throw new ValidationError(path, 'EbsStorageClassProps.kmsKeyArn', props.kmsKeyArn, 'expected a KMS key ARN such as "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"');
    }
    ClusterScope.claimUnique(this, 'StorageClass', this.name, 'EbsStorageClassProps.name');

    this.storageClass = new k8s.KubeStorageClass(this, 'storage-class', {
      metadata: {
        name: this.name,
        labels: Labels.standard({ name: 'aws-ebs-csi-driver', instance: this.name, component: 'storage-class' }),
        annotations: { [DEFAULT_CLASS_ANNOTATION]: String(defaultClass) },
      },
      provisioner: PROVISIONER,
      parameters: {
        'type': 'gp3',
        'encrypted': 'true',
        'csi.storage.k8s.io/fstype': 'ext4',
        ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
      },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Retain',
    });
  }
}
