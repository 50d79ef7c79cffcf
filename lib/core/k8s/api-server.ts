import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';

/**
 * The Kubernetes API server as a NetworkPolicy destination, for the few pods that talk to it (the workbench culler,
 * retraining schedules). It is no pod, and its address differs per cluster (an EKS ENI, GKE's control-plane range,
 * an on-prem host), so the rule admits any address on its ports, as a pod sees them after the `kubernetes` Service's
 * NAT: 443 (EKS, GKE) and 6443 (kubeadm).
 * @internal
 */
export class ApiServer {
  public static readonly PORTS = [443, 6443];

  /** The egress rule to the API server. */
  public static egressRule(): k8s.NetworkPolicyEgressRule {
    return { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: ApiServer.PORTS.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })) };
  }
}
