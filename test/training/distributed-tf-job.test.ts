import { ApiObject, Chart, Testing } from 'cdk8s';
import {
  CleanPodPolicy, DataBucket, DistributedTFJob, DistributedTFJobProps, GpuNodePool, GpuPool, GpuQueue, GpuType, MinioDataLake, RetrainingSchedule, TeamSpace,
  TfRestartPolicy, TrainingBackend,
} from '../../lib';
import { AddonRequirements } from '../../lib/addons/addon-requirements';
import { expectValidationError } from '../helpers/errors';
import { Manifest, ofKind, synthValid, validateManifests } from '../helpers/manifests';
import { podProblems } from '../helpers/pod-security';

const h100 = GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 2 });
const features = new DataBucket({ name: 'features' });
const models = new DataBucket({ name: 'models' });
const IMAGE = 'registry.example.com/ml/trainer:1.2.0';

function cluster() {
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  const team = new TeamSpace(chart, 'vision', { name: 'vision', quota: { gpus: 64, cpu: '256', memory: '2Ti' } });
  const dataNs = new TeamSpace(chart, 'data', { name: 'data', quota: { storage: '20Ti', persistentVolumeClaims: 32 } });
  const lake = new MinioDataLake(chart, 'lake', { namespace: dataNs, buckets: [features, models], rootCredentialsSecret: 'root' });
  // the queues the tests name: a GPU queue over the pool, and two made elsewhere (one of them dispatching)
  new GpuNodePool(chart, 'h100-pool', { pool: h100 });
  new GpuQueue(chart, 'vision-gpu', { pools: [h100], teams: [team] });
  GpuQueue.external(chart, team, 'vision-burst', true);
  GpuQueue.external(chart, team, 'vision-cpu');
  return { app, chart, team, lake };
}
function synth(chart: Chart): Manifest[] {
  const objects = synthValid(chart);
  expect(podProblems(objects)).toEqual([]);
  return objects;
}
function job(props: Partial<DistributedTFJobProps> = {}) {
  const c = cluster();
  const tf = new DistributedTFJob(c.chart, 'resnet', { team: c.team, image: IMAGE, workers: { replicas: 4 }, ...props });
  return { ...c, tf, objects: synth(c.chart) };
}
type Env = Array<{ name: string; value?: string; valueFrom?: unknown }>;
const trainingJobs = (objects: Manifest[]) => ofKind(objects, 'Job').filter((j) => j.metadata.name.startsWith('resnet-'));
const envOf = (c: Manifest) => Object.fromEntries((c.env as Env).map((e) => [e.name, e.value ?? e.valueFrom]));

describe('DistributedTFJob on the TFJob backend', () => {
  test('MultiWorkerMirroredStrategy: a chief and N workers, container tensorflow with tfjob-port 2222, ExitCode, cleanPodPolicy Running', () => {
    const { objects, tf } = job();
    const tfjob = ofKind(objects, 'TFJob', 'resnet')[0];
    expect(tfjob.apiVersion).toBe('kubeflow.org/v1');
    expect(Object.keys(tfjob.spec.tfReplicaSpecs).sort()).toEqual(['Chief', 'Worker']);
    expect(tfjob.spec.tfReplicaSpecs.Chief.replicas).toBe(1);
    expect(tfjob.spec.tfReplicaSpecs.Worker.replicas).toBe(4);
    expect(tfjob.spec.tfReplicaSpecs.Worker.restartPolicy).toBe('ExitCode');
    const c = tfjob.spec.tfReplicaSpecs.Worker.template.spec.containers[0];
    expect(c.name).toBe('tensorflow');
    expect(c.ports).toEqual([{ name: 'tfjob-port', containerPort: 2222 }]);
    expect(c.resources.limits).toMatchObject({ cpu: '2', memory: '8Gi' });
    expect(tfjob.spec.runPolicy).toMatchObject({ cleanPodPolicy: 'Running', backoffLimit: 3, ttlSecondsAfterFinished: 604800, suspend: false });
    expect(tfjob.spec.runPolicy.managedBy).toBeUndefined();
    expect(tfjob.spec.runPolicy.schedulingPolicy).toBeUndefined();
    expect(tf.replicaCounts).toEqual({ chief: 1, worker: 4 });
    expect(AddonRequirements.of(tf).filter((r) => r.by === tf).map((r) => r.requirement.addon.id)).toEqual(['training-operator']);
    // peers reach each other on 2222 only
    const np = ofKind(objects, 'NetworkPolicy', 'resnet-peers')[0];
    expect(np.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 2222 }]);
  });

  test('ParameterServerStrategy and an evaluator: PS without GPUs, own resources and restart policies', () => {
    const { objects } = job({
      gpu: { pool: h100, perWorker: 2 },
      parameterServers: { replicas: 2, resources: { cpu: '4', memory: '16Gi' }, restartPolicy: TfRestartPolicy.ON_FAILURE },
      evaluator: {},
      chief: { replicas: 0 },
    });
    const specs = ofKind(objects, 'TFJob', 'resnet')[0].spec.tfReplicaSpecs;
    expect(Object.keys(specs).sort()).toEqual(['Evaluator', 'PS', 'Worker']);
    expect(specs.PS).toMatchObject({ replicas: 2, restartPolicy: 'OnFailure' });
    expect(specs.PS.template.spec.containers[0].resources.limits).toEqual({ cpu: '4', memory: '16Gi' });
    expect(specs.PS.template.spec.nodeSelector).toBeUndefined();
    expect(specs.Evaluator.replicas).toBe(1);
    expect(specs.Worker.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe(2);
  });

  test('GPUs: limits, the pool\'s node selector, tolerations and runtime class on chief and workers', () => {
    const { objects } = job({ gpu: { pool: h100, perWorker: 8 } });
    for (const role of ['Chief', 'Worker']) {
      const spec = ofKind(objects, 'TFJob', 'resnet')[0].spec.tfReplicaSpecs[role].template.spec;
      expect(spec.containers[0].resources.limits['nvidia.com/gpu']).toBe(8);
      expect(spec.nodeSelector).toEqual({ 'ai-platform/gpu-pool': 'h100' });
      expect(spec.tolerations).toContainEqual(expect.objectContaining({ key: 'nvidia.com/gpu', effect: 'NoSchedule' }));
      expect(spec.runtimeClassName).toBe('nvidia');
    }
  });

  test('queue: the Kueue label and the tfjob integration declared; MultiKueue sets runPolicy.managedBy', () => {
    const local = job({ queue: 'vision-gpu' });
    const tfjob = ofKind(local.objects, 'TFJob', 'resnet')[0];
    expect(tfjob.metadata.labels!['kueue.x-k8s.io/queue-name']).toBe('vision-gpu');
    expect(tfjob.spec.runPolicy.managedBy).toBeUndefined();
    const kueue = AddonRequirements.of(local.tf).find((r) => r.by === local.tf && r.requirement.addon.id === 'kueue')!;
    expect(kueue.requirement.kueueIntegrations!.map((k) => k.name)).toEqual(['kubeflow.org/tfjob']);
    const burst = job({ queue: 'vision-burst', burst: true });
    expect(ofKind(burst.objects, 'TFJob', 'resnet')[0].spec.runPolicy.managedBy).toBe('kueue.x-k8s.io/multikueue');
  });

  test('gang scheduling is its own option, never the Kueue queue', () => {
    const { objects } = job({ queue: 'vision-gpu', gangScheduling: { minAvailable: 5, queue: 'volcano-default' } });
    const runPolicy = ofKind(objects, 'TFJob', 'resnet')[0].spec.runPolicy;
    expect(runPolicy.schedulingPolicy).toEqual({ minAvailable: 5, queue: 'volcano-default' });
  });

  test('data: input read, checkpoints, logs and the model written at models/<job>/<version>', () => {
    const c = cluster();
    const tf = new DistributedTFJob(c.chart, 'resnet', {
      team: c.team, image: IMAGE, workers: { replicas: 2 }, version: 'v3', data: { lake: c.lake, input: features, inputPrefix: 'images/2026', output: models },
      cleanPodPolicy: CleanPodPolicy.ALL,
    });
    const objects = synth(c.chart);
    expect(tf.modelPath).toBe('models/resnet/v3');
    expect(tf.modelUri).toBe('s3://models/models/resnet/v3');
    const env = envOf(ofKind(objects, 'TFJob', 'resnet')[0].spec.tfReplicaSpecs.Worker.template.spec.containers[0]);
    expect(env).toMatchObject({
      TRAINING_DATA_URI: 's3://features/images/2026', CHECKPOINT_DIR: 's3://models/checkpoints/resnet/v3', LOG_DIR: 's3://models/logs/resnet/v3',
      MODEL_DIR: 's3://models/models/resnet/v3', MODEL_VERSION: 'v3', JOB_NAME: 'resnet', S3_BUCKET: 'features', S3_PREFIX: 'images/2026',
    });
    expect(env.AWS_ACCESS_KEY_ID).toBeDefined();
  });

  test('TensorBoard: a Deployment and Service reading the job\'s logs from the lake through a read-only copy', () => {
    const c = cluster();
    new DistributedTFJob(c.chart, 'resnet', { team: c.team, image: IMAGE, workers: { replicas: 2 }, data: { lake: c.lake, input: features, output: models }, tensorBoard: {} });
    const objects = synth(c.chart);
    const dep = ofKind(objects, 'Deployment', 'resnet-tensorboard')[0];
    const [board, sync] = dep.spec.template.spec.containers;
    expect(board.image).toBe('docker.io/tensorflow/tensorflow:2.20.0');
    expect(board.args).toContain('--logdir=/logs');
    expect(sync.command[2]).toContain('mc mirror --watch --overwrite lake/models/logs/resnet /logs');
    expect(ofKind(objects, 'Service', 'resnet-tensorboard')[0].spec.ports[0].port).toBe(6006);
  });
});

describe('the indexed-Job backend', () => {
  test('one Indexed Job per role, a headless Service, TASK_INDEX before TF_CONFIG, hostnames <job>-<role>-<index>.<service>', () => {
    const { objects, tf } = job({ backend: TrainingBackend.INDEXED_JOB, evaluator: {} });
    expect(AddonRequirements.of(tf).filter((r) => r.by === tf)).toEqual([]);
    const svc = ofKind(objects, 'Service', 'resnet')[0];
    expect(svc.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ name: 'tfjob-port', port: 2222 }] });
    const jobs = trainingJobs(objects);
    expect(jobs.map((j) => j.metadata.name)).toEqual(['resnet-chief', 'resnet-worker', 'resnet-evaluator']);
    const worker = jobs[1];
    expect(worker.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4 });
    expect(worker.spec.template.spec.subdomain).toBe('resnet');
    expect(worker.spec.template.spec.restartPolicy).toBe('Never');
    expect(worker.spec.podFailurePolicy.rules[0]).toMatchObject({ action: 'FailJob', onExitCodes: { containerName: 'tensorflow', operator: 'In' } });
    const env = worker.spec.template.spec.containers[0].env as Env;
    const names = env.map((e) => e.name);
    expect(names.indexOf('TASK_INDEX')).toBeLessThan(names.indexOf('TF_CONFIG'));
    expect(env[names.indexOf('TASK_INDEX')].valueFrom).toEqual({ fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } });
    const tfConfig = JSON.parse(env[names.indexOf('TF_CONFIG')].value!.replace('$(TASK_INDEX)', '3'));
    expect(tfConfig.task).toEqual({ type: 'worker', index: 3 });
    expect(tfConfig.cluster.chief).toEqual(['resnet-chief-0.resnet:2222']);
    expect(tfConfig.cluster.worker[3]).toBe('resnet-worker-3.resnet:2222');
    expect(tfConfig.cluster.evaluator).toBeUndefined();
  });

  test('both backends: the same roles, replica counts, container and port', () => {
    const structure = (backend: TrainingBackend) => {
      const { objects } = job({ backend, gpu: { pool: h100, perWorker: 4 }, evaluator: {} });
      const pods: Record<string, { replicas: number; container: string; ports: unknown; gpus: unknown }> = {};
      if (backend === TrainingBackend.TFJOB) {
        for (const [type, spec] of Object.entries(ofKind(objects, 'TFJob', 'resnet')[0].spec.tfReplicaSpecs as Record<string, Manifest>)) {
          const c = spec.template.spec.containers[0];
          pods[type.toLowerCase()] = { replicas: spec.replicas, container: c.name, ports: c.ports, gpus: c.resources.limits['nvidia.com/gpu'] };
        }
      } else {
        for (const j of trainingJobs(objects)) {
          const c = j.spec.template.spec.containers[0];
          pods[j.metadata.name.replace('resnet-', '')] = { replicas: j.spec.completions, container: c.name, ports: c.ports, gpus: c.resources.limits['nvidia.com/gpu'] };
        }
      }
      return pods;
    };
    expect(structure(TrainingBackend.INDEXED_JOB)).toEqual(structure(TrainingBackend.TFJOB));
  });

  test('a queue: the label on each Job and Kueue\'s batch/job integration', () => {
    const { objects, tf } = job({ backend: TrainingBackend.INDEXED_JOB, queue: 'vision-cpu' });
    for (const j of trainingJobs(objects)) expect(j.metadata.labels!['kueue.x-k8s.io/queue-name']).toBe('vision-cpu');
    expect(tf.kueueIntegration!.name).toBe('batch/job');
  });
});

describe('retraining', () => {
  test('a CronJob creates a new run (generateName, version = run name); its Role may only create tfjobs', () => {
    const c = cluster();
    const tf = new DistributedTFJob(c.chart, 'resnet', { team: c.team, image: IMAGE, workers: { replicas: 2 }, data: { lake: c.lake, input: features, output: models }, queue: 'vision-gpu' });
    new RetrainingSchedule(c.chart, 'nightly', { job: tf, team: c.team, schedule: '0 2 * * *', keepRuns: 5 });
    const objects = synth(c.chart);
    const role = ofKind(objects, 'Role', 'resnet-retrain')[0];
    expect(role.rules).toEqual([{ apiGroups: ['kubeflow.org'], resources: ['tfjobs'], verbs: ['create'] }]);
    const cron = ofKind(objects, 'CronJob', 'resnet-retrain')[0];
    expect(cron.spec.successfulJobsHistoryLimit).toBe(5);
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.containers[0].image).toBe('registry.k8s.io/kubectl:v1.34.3');
    expect(pod.containers[0].args).toEqual(['create', '-f', '/etc/retraining/run.json', '-o', 'name']);
    expect(pod.serviceAccountName).toBe('resnet-retrain');
    const run = JSON.parse(ofKind(objects, 'ConfigMap', 'resnet-retrain')[0].data['run.json']);
    expect(run.metadata).toMatchObject({ generateName: 'resnet-', namespace: 'vision' });
    expect(run.metadata.name).toBeUndefined();
    expect(run.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('vision-gpu');
    expect(run.spec.runPolicy.ttlSecondsAfterFinished).toBe(259200);
    const env = run.spec.tfReplicaSpecs.Worker.template.spec.containers[0].env as Env;
    const names = env.map((e) => e.name);
    expect(env[names.indexOf('MODEL_VERSION')].valueFrom).toEqual({ fieldRef: { fieldPath: "metadata.labels['training.kubeflow.org/job-name']" } });
    expect(names.indexOf('MODEL_VERSION')).toBeLessThan(names.indexOf('MODEL_DIR'));
    expect(env[names.indexOf('MODEL_DIR')].value).toBe('s3://models/models/resnet/$(MODEL_VERSION)');
    // the run itself is a valid TFJob (validated strictly as an object of its own; its queue is the cluster's)
    const runChart = new Chart(Testing.app(), 'run');
    new ApiObject(runChart, 'run', { ...run, metadata: { ...run.metadata, name: 'resnet-abcde', generateName: undefined } });
    validateManifests(Testing.synth(runChart) as Manifest[]);
  });
});

describe('bad input names the field', () => {
  const build = (props: Partial<DistributedTFJobProps>) => () => {
    const c = cluster();
    new DistributedTFJob(c.chart, 'resnet', { team: c.team, image: IMAGE, workers: { replicas: 4 }, ...props });
  };
  const at = 'c/resnet';
  test('zero workers', () => { expectValidationError(build({ workers: { replicas: 0 } }), 'DistributedTFJobProps.workers.replicas', at); });
  test('parameter servers without workers', () => {
    expect(expectValidationError(build({ workers: { replicas: 0 }, parameterServers: { replicas: 1 } }), 'DistributedTFJobProps.workers.replicas', at).message).toContain('parameter servers');
  });
  test('parameter servers on the indexed backend', () => {
    expect(expectValidationError(build({ backend: TrainingBackend.INDEXED_JOB, parameterServers: { replicas: 1 } }), 'DistributedTFJobProps.parameterServers', at).message).toContain('never exit');
  });
  test('the indexed backend on a burst queue', () => {
    expect(expectValidationError(build({ backend: TrainingBackend.INDEXED_JOB, queue: 'burst', burst: true }), 'DistributedTFJobProps.burst', at).message).toContain('spec.managedBy');
  });
  test('GPUs per worker above a node of the pool', () => { expectValidationError(build({ gpu: { pool: h100, perWorker: 9 } }), 'DistributedTFJobProps.gpu.perWorker', at); });
  test('a Secret-sourced variable the job sets itself', () => {
    const c = cluster();
    const data = { lake: c.lake, input: features, output: models };
    expectValidationError(() => new DistributedTFJob(c.chart, 'resnet', { team: c.team, image: IMAGE, workers: { replicas: 2 }, data, secretEnv: { MODEL_DIR: 'data/dir' } }),
      'DistributedTFJobProps.secretEnv', at);
    expectValidationError(build({ secretEnv: { TF_CONFIG: 'x/y' } }), 'DistributedTFJobProps.secretEnv', at);
    expect(DistributedTFJob.modelPathOf('resnet', 'v2')).toBe('models/resnet/v2');
  });
  test('two chiefs', () => { expectValidationError(build({ chief: { replicas: 2 } }), 'DistributedTFJobProps.chief.replicas', at); });
  test('an invalid image', () => { expectValidationError(build({ image: 'trainer:latest' }), 'DistributedTFJobProps.image', at); });
  test('a name that is no DNS-1035 label', () => { expectValidationError(build({ name: '1resnet' }), 'DistributedTFJobProps.name', at); });
  test('burst without a queue', () => { expectValidationError(build({ burst: true }), 'DistributedTFJobProps.burst', at); });
  test('retraining an indexed-backend job', () => {
    const c = cluster();
    const tf = new DistributedTFJob(c.chart, 'resnet', { team: c.team, image: IMAGE, workers: { replicas: 2 }, backend: TrainingBackend.INDEXED_JOB });
    expectValidationError(() => new RetrainingSchedule(c.chart, 'nightly', { job: tf, team: c.team, schedule: '0 2 * * *' }), 'RetrainingScheduleProps.job', 'c/nightly');
  });
  test('a bad schedule', () => {
    const c = cluster();
    const tf = new DistributedTFJob(c.chart, 'resnet', { team: c.team, image: IMAGE, workers: { replicas: 2 } });
    expectValidationError(() => new RetrainingSchedule(c.chart, 'nightly', { job: tf, team: c.team, schedule: 'nightly' }), 'RetrainingScheduleProps.schedule', 'c/nightly');
  });
});
