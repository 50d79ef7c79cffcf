/**
 * What the EKS side of Terraform and the Kubernetes side (Karpenter, the Cluster Autoscaler) must agree on, derived
 * from the cluster name so that neither writes it twice.
 *
 * The controllers authenticate with EKS Pod Identity: Terraform creates an `aws_eks_pod_identity_association` for
 * the namespace and service account below, so the Kubernetes side only has to run the controller under exactly that
 * service account (no `eks.amazonaws.com/role-arn` annotation is needed).
 */
export class EksContract {
  /** Tag Karpenter's EC2NodeClass selects subnets and security groups by (value: the cluster name). */
  public static readonly DISCOVERY_TAG = 'karpenter.sh/discovery';

  /** Namespace the Karpenter controller runs in (upstream's getting-started default, `KARPENTER_NAMESPACE`). */
  public static readonly KARPENTER_NAMESPACE = 'kube-system';

  /** Service account of the Karpenter controller (the chart's name for a release called `karpenter`). */
  public static readonly KARPENTER_SERVICE_ACCOUNT = 'karpenter';

  /** Namespace the Cluster Autoscaler runs in. */
  public static readonly CLUSTER_AUTOSCALER_NAMESPACE = 'kube-system';

  /**
   * Service account of the Cluster Autoscaler. The chart must set `rbac.serviceAccount.name` to this: its default
   * is `<release>-aws-cluster-autoscaler`, which would not match the Pod Identity association.
   */
  public static readonly CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = 'cluster-autoscaler';

  /** IAM role of the nodes Karpenter launches (the EC2NodeClass `role`; it has an EKS access entry). */
  public static karpenterNodeRoleName(clusterName: string): string {
    return `${clusterName}-karpenter-node`;
  }

  /** IAM role of the Karpenter controller (bound to its service account by EKS Pod Identity). */
  public static karpenterControllerRoleName(clusterName: string): string {
    return `${clusterName}-karpenter-controller`;
  }

  /**
   * SQS queue Karpenter reads interruption events from (the chart's `settings.interruptionQueue`). Upstream names
   * the queue after the cluster; so do we.
   */
  public static interruptionQueueName(clusterName: string): string {
    return clusterName;
  }

  /** IAM role of the Cluster Autoscaler (bound to its service account by EKS Pod Identity). */
  public static clusterAutoscalerRoleName(clusterName: string): string {
    return `${clusterName}-cluster-autoscaler`;
  }
}
