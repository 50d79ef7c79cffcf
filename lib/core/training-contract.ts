/**
 * What a training job's pods and the constructs around them agree on: the label every pod of a DistributedTFJob
 * carries, and TensorFlow's port (the training operator's `tfjob-port`, training-operator v1.9.0
 * pkg/apis/kubeflow.org/v1/tensorflow_types.go `DefaultPort`). A MultiKueue worker uses them to let the pods of a
 * job dispatched to it reach each other: the job's own NetworkPolicy stays on the manager.
 * @internal not part of the public API
 */
export class TrainingContract {
  /** Label of every pod of a DistributedTFJob (value: the job's name). */
  public static readonly JOB_LABEL = 'ai-platform/training-job';
  /** TensorFlow's port between the pods of a job. */
  public static readonly PORT = 2222;
  /** Its name. */
  public static readonly PORT_NAME = 'tfjob-port';
}
