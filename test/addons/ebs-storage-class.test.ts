import { buildCluster } from '../../apps/k8s';
import { EbsStorageClass } from '../../lib';
import { expectValidationError } from '../helpers/errors';
import { ofKind, synthValid, testChart } from '../helpers/manifests';
import { readManifests, tempDir } from '../helpers/output';
import { podProblems } from '../helpers/pod-security';

describe('EbsStorageClass (issue 7, defect 4: no PVC binds on EKS)', () => {
  const chart = testChart();
  new EbsStorageClass(chart, 'gp3');
  const objects = synthValid(chart);

  test('the default class: EBS CSI gp3, encrypted, bound where the pod runs, expandable, retained', () => {
    expect(podProblems(objects)).toEqual([]);
    const [sc] = ofKind(objects, 'StorageClass');
    expect(sc.metadata.name).toBe('gp3-encrypted');
    expect((sc.metadata as unknown as { annotations: Record<string, string> }).annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
    expect(sc).toMatchObject({
      provisioner: 'ebs.csi.aws.com',
      parameters: { 'type': 'gp3', 'encrypted': 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Retain',
    });
    expect(sc.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('cdk8s-ai-platform');
  });

  test('a named, non-default class with a customer managed key', () => {
    const c = testChart();
    new EbsStorageClass(c, 'fast', { name: 'fast', defaultClass: false, kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
    const [sc] = ofKind(synthValid(c), 'StorageClass');
    expect((sc.metadata as unknown as { annotations: Record<string, string> }).annotations['storageclass.kubernetes.io/is-default-class']).toBe('false');
    expect(sc.parameters.kmsKeyId).toMatch(/^arn:aws:kms:/);
  });

  test.each([
    [{ name: 'GP3' }, 'EbsStorageClassProps.name'],
    [{ defaultClass: 'yes' }, 'EbsStorageClassProps.defaultClass'],
    [{ kmsKeyArn: 'alias/aws/ebs' }, 'EbsStorageClassProps.kmsKeyArn'],
    ['gp3', 'EbsStorageClassProps'],
  ])('bad input %j names the field', (props, field) => {
    expectValidationError(() => new EbsStorageClass(testChart(), 'sc', props as never), field, 'test/sc');
  });

  test('the reference platform\'s AWS cluster has it (and only the AWS cluster)', () => {
    const out = tempDir('ebs-sc');
    for (const cluster of ['aws', 'onprem', 'gcp'] as const) {
      const app = buildCluster(cluster, out);
      app.synth();
      const classes = ofKind(readManifests(app.outdir), 'StorageClass');
      expect(classes.map((c) => c.provisioner)).toEqual(cluster === 'aws' ? ['ebs.csi.aws.com'] : []);
    }
  });
});
