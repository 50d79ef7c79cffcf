import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { DefaultImages } from '../core/versions';
import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { DataAccess } from '../data/data-lake-policy';
import { DataLakeMount, MinioDataLake } from '../data/minio-data-lake';
import { WritableDirectory } from '../workloads/workload-pod';

/** The protocol of a model's one Knative port: its name is how Knative knows it (`http1` or `h2c`). */
export enum ServingProtocol {
  /** HTTP/1.1 (REST): port name `http1`. */
  HTTP1 = 'http1',
  /** HTTP/2 cleartext (gRPC): port name `h2c`. */
  H2C = 'h2c',
}

/** A model server's log level, turned into the server's own setting (Knative has no per-revision log level). */
export enum ModelLogLevel {
  ERROR = 'error',
  WARNING = 'warning',
  INFO = 'info',
  DEBUG = 'debug',
}

/** Props of {@link ModelServer.tensorflowServing}. */
export interface TensorflowServingProps {
  /**
   * The model's name: its REST path is `/v1/models/<modelName>`, and the image holds it at `/models/<modelName>/<n>/`
   * (a SavedModel per numeric version directory), built `FROM tensorflow/serving:<version>`.
   */
  readonly modelName: string;
  /**
   * Serve gRPC (port 8500, `h2c`) instead of REST (port 8501, `http1`): Knative routes one port.
   * @default false
   */
  readonly grpc?: boolean;
}

/** Props of {@link ModelServer.triton}. */
export interface TritonServerProps {
  /**
   * The model repository in the data lake (Triton's layout: `<prefix>/<model>/<numeric version>/...` and a
   * `config.pbtxt` per model). Access must be `DataAccess.READ`; Triton downloads it at start.
   */
  readonly modelRepository: DataLakeMount;
  /**
   * Serve gRPC (port 8001, `h2c`) instead of HTTP/REST (port 8000, `http1`).
   * @default false
   */
  readonly grpc?: boolean;
  /**
   * Size of the writable directory Triton downloads the repository into (`TRITON_AWS_MOUNT_DIRECTORY`, an emptyDir).
   * @default "20Gi"
   */
  readonly cacheSize?: string;
}

/** Props of {@link ModelServer.generic}. */
export interface GenericServerProps {
  /** The port the server listens on (not one of Knative's reserved 8012, 8013, 8022, 8008, 9090, 9091). */
  readonly port: number;
  /** REST (`http1`) or gRPC (`h2c`). */
  readonly protocol: ServingProtocol;
  /**
   * HTTP path that answers 200 when the model is loaded; with gRPC, Kubernetes' gRPC health probe is used.
   * @default - a TCP probe of the port
   */
  readonly healthPath?: string;
  /** @default - the image's */
  readonly command?: string[];
  /** @default - the image's */
  readonly args?: string[];
  /**
   * uid the image's user has.
   * @default 65532
   */
  readonly runAsUser?: number;
  /**
   * Directories the server writes to.
   * @default [{ path: '/tmp' }]
   */
  readonly writableDirectories?: WritableDirectory[];
}

/** What a server kind contributes to its container at a log level. */
export interface ModelServerSettings {
  /** @default - the image's */
  readonly command?: string[];
  /** @default - the image's */
  readonly args?: string[];
  /** Plain environment variables. */
  readonly env: { [name: string]: string };
}
type ServerRecipe = ModelServerSettings;

/** Knative's reserved ports (knative/serving knative-v1.23.0 pkg/apis/serving/k8s_validation.go `reservedPorts`). */
const RESERVED_PORTS = [8012, 8013, 8022, 8008, 9090, 9091];

/**
 * A model server: its image's binary, its one Knative port, its probes, and how it loads the model. Each kind was
 * read upstream (cited at each factory).
 */
export class ModelServer {
  /** Official image of Triton Inference Server (DefaultImages.TRITON). */
  public static readonly TRITON_IMAGE = DefaultImages.TRITON;
  /** The TensorFlow Serving release the baked images are expected to build on (DefaultImages.TENSORFLOW_SERVING). */
  public static readonly TENSORFLOW_SERVING_BASE_IMAGE = DefaultImages.TENSORFLOW_SERVING;

  /**
   * TensorFlow Serving (tensorflow/serving 2.20.0, tensorflow_serving/tools/docker/Dockerfile: binary
   * `/usr/bin/tensorflow_model_server`, gRPC `--port=8500`, REST `--rest_api_port=8501`, models under
   * `MODEL_BASE_PATH=/models`; model_servers/main.cc flags). The model is baked into a versioned image (the CD4ML
   * path): TF Serving 2.7 and later cannot read `s3://` (tensorflow/serving#1963: "File system scheme 's3' not
   * implemented"). Readiness: `GET /v1/models/<name>` on the REST port (the REST server also runs in gRPC mode, and
   * Knative's queue-proxy probes the port the probe names). Log level: `TF_CPP_MIN_LOG_LEVEL` /
   * `TF_CPP_MAX_VLOG_LEVEL` (TensorFlow's tsl/platform/default/logging.cc).
   */
  public static tensorflowServing(props: TensorflowServingProps): ModelServer {
    Checks.object('', 'TensorflowServingProps', props);
    const name = Checks.string('', 'TensorflowServingProps.modelName', props.modelName);
    if (!/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(name)) throw new ValidationError('', 'TensorflowServingProps.modelName', name, 'expected a model name of letters, digits, "-", "_", "." (it is a URL path segment and a directory)');
    const grpc = Checks.boolean('', 'TensorflowServingProps.grpc', props.grpc, false);
    const health = `/v1/models/${name}`;
    return new ModelServer({
      kind: 'tensorflow-serving',
      port: grpc ? 8500 : 8501,
      protocol: grpc ? ServingProtocol.H2C : ServingProtocol.HTTP1,
      runAsUser: 65532,
      defaultImage: undefined,
      readinessProbe: { httpGet: { path: health, port: k8s.IntOrString.fromNumber(8501) }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3, successThreshold: 1 },
      healthPath: health,
      writableDirectories: [{ path: '/tmp' }],
      recipe: (level) => ({
        command: ['/usr/bin/tensorflow_model_server'],
        args: ['--port=8500', '--rest_api_port=8501', `--model_name=${name}`, `--model_base_path=/models/${name}`],
        env: level === undefined ? {} : {
          TF_CPP_MIN_LOG_LEVEL: { [ModelLogLevel.DEBUG]: '0', [ModelLogLevel.INFO]: '0', [ModelLogLevel.WARNING]: '1', [ModelLogLevel.ERROR]: '2' }[level],
          ...(level === ModelLogLevel.DEBUG ? { TF_CPP_MAX_VLOG_LEVEL: '1' } : {}),
        },
      }),
    });
  }

  /**
   * NVIDIA Triton Inference Server (triton-inference-server/server v2.71.0): HTTP `--http-port` 8000, gRPC
   * `--grpc-port` 8001 (src/command_line_parser.cc, src/grpc/grpc_server.h), readiness `GET /v2/health/ready`
   * (ready only when every model is loaded with `--strict-readiness=true`, docs/customization_guide/deploy.md),
   * liveness `/v2/health/live`. It reads the repository from the lake's S3 directly:
   * `--model-repository=s3://[https://]host:port/bucket/path` (docs/user_guide/model_repository.md; the path
   * regex of triton-inference-server/core src/filesystem/implementations/s3.h), credentials and region from
   * `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_DEFAULT_REGION` (s3.h `S3Credential`), downloading into
   * `TRITON_AWS_MOUNT_DIRECTORY` (an existing, empty, writable directory; default /tmp). Runs as the image's
   * `triton-server` user, uid 1000 (build.py). Log level: `--log-verbose=1` (debug), `--log-info=false` (warning),
   * `--log-warning=false` too (error).
   *
   * With a TLS lake: s3.h sets no CA file on its AWS client, so Triton trusts the image's system CA store only;
   * the lake's CA must be in the image (a derived image), or the lake reached over HTTP.
   */
  public static triton(props: TritonServerProps): ModelServer {
    Checks.object('', 'TritonServerProps', props);
    const mount = Checks.object('', 'TritonServerProps.modelRepository', props.modelRepository, 'a DataLakeMount ({ lake, bucket, access, prefix })');
    Checks.instance('', 'TritonServerProps.modelRepository.lake', mount.lake, MinioDataLake, 'a MinioDataLake');
    if (mount.access !== DataAccess.READ) throw new ValidationError('', 'TritonServerProps.modelRepository.access', mount.access, 'expected DataAccess.READ: a server only reads its models');
    const grpc = Checks.boolean('', 'TritonServerProps.grpc', props.grpc, false);
    const cacheSize = props.cacheSize ?? '20Gi';
    const endpoint = /^(https?):\/\/([0-9A-Za-z.-]+):(\d+)\/?$/.exec(mount.lake.endpoint);
    if (!endpoint) throw new ValidationError('', 'TritonServerProps.modelRepository.lake', mount.lake.endpoint, 'expected a lake endpoint "http(s)://host:port" (Triton needs the port in its s3:// path)');
    const prefix = (mount.prefix ?? '').replace(/^\/+|\/+$/g, '');
    if (prefix && !/^[0-9A-Za-z._-]+(\/[0-9A-Za-z._-]+)*$/.test(prefix)) {
      throw new ValidationError('', 'TritonServerProps.modelRepository.prefix', mount.prefix, 'expected path segments of letters, digits, ".", "_", "-" (Triton\'s s3 path pattern)');
    }
    const repository = `s3://${endpoint[1] === 'https' ? 'https://' : ''}${endpoint[2]}:${endpoint[3]}/${mount.bucket.name}${prefix ? `/${prefix}` : ''}`;
    const cache = '/var/cache/triton';
    return new ModelServer({
      kind: 'triton',
      port: grpc ? 8001 : 8000,
      protocol: grpc ? ServingProtocol.H2C : ServingProtocol.HTTP1,
      runAsUser: 1000,
      defaultImage: ModelServer.TRITON_IMAGE,
      readinessProbe: { httpGet: { path: '/v2/health/ready', port: k8s.IntOrString.fromNumber(8000) }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3, successThreshold: 1 },
      healthPath: '/v2/health/ready',
      dataLake: mount,
      modelRepository: repository,
      writableDirectories: [{ path: '/tmp' }, { path: cache, name: 'model-cache', sizeLimit: cacheSize }],
      recipe: (level) => ({
        command: ['tritonserver'],
        args: [
          `--model-repository=${repository}`, '--http-port=8000', '--grpc-port=8001', '--exit-on-error=true', '--strict-readiness=true',
          ...(level === ModelLogLevel.DEBUG ? ['--log-verbose=1'] : []),
          ...(level === ModelLogLevel.WARNING || level === ModelLogLevel.ERROR ? ['--log-info=false'] : []),
          ...(level === ModelLogLevel.ERROR ? ['--log-warning=false'] : []),
        ],
        env: { TRITON_AWS_MOUNT_DIRECTORY: cache },
      }),
    });
  }

  /** Any other server (ONNX Runtime, MLeap, a custom one): its port, protocol and health path. */
  public static generic(props: GenericServerProps): ModelServer {
    Checks.object('', 'GenericServerProps', props);
    const port = Checks.number('', 'GenericServerProps.port', props.port, 1, 65535);
    if (RESERVED_PORTS.includes(port)) throw new ValidationError('', 'GenericServerProps.port', port, `expected a port other than Knative's reserved ${RESERVED_PORTS.join(', ')}`);
    const protocol = Checks.oneOf('', 'GenericServerProps.protocol', props.protocol, [ServingProtocol.HTTP1, ServingProtocol.H2C]);
    let readinessProbe: k8s.Probe;
    if (props.healthPath !== undefined) {
      const path = Checks.string('', 'GenericServerProps.healthPath', props.healthPath);
      if (!path.startsWith('/')) throw new ValidationError('', 'GenericServerProps.healthPath', path, 'expected an absolute HTTP path such as "/health"');
      readinessProbe = { httpGet: { path, port: k8s.IntOrString.fromNumber(port) }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3, successThreshold: 1 };
    } else {
      readinessProbe = { tcpSocket: { port: k8s.IntOrString.fromNumber(port) }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3, successThreshold: 1 };
    }
    return new ModelServer({
      kind: 'generic',
      port,
      protocol,
      runAsUser: props.runAsUser ?? 65532,
      defaultImage: undefined,
      readinessProbe,
      healthPath: props.healthPath,
      writableDirectories: props.writableDirectories ?? [{ path: '/tmp' }],
      recipe: (level) => {
        if (level !== undefined) {
          throw new ValidationError('', 'KnativeModelProps.logLevel', level, 'expected no logLevel with ModelServer.generic: set the server\'s own log flag or variable in its args or env (Knative has no per-model log level)');
        }
        return { command: props.command, args: props.args, env: {} };
      },
    });
  }

  /** `tensorflow-serving`, `triton` or `generic`. */
  public readonly kind: string;
  /** The one port Knative routes to. */
  public readonly port: number;
  /** Its protocol (the port's name). */
  public readonly protocol: ServingProtocol;
  /** uid of the image's user. */
  public readonly runAsUser: number;
  /** The server's own image, when it has one (Triton); TF Serving and generic servers need the version's image. */
  public readonly defaultImage?: string;
  /** HTTP health path, when the server has one. */
  public readonly healthPath?: string;
  /** The probe Knative's queue-proxy runs before it sends traffic. */
  public readonly readinessProbe: k8s.Probe;
  /** Directories the server writes to. */
  public readonly writableDirectories: WritableDirectory[];
  /** The lake bucket the server reads its models from (Triton). */
  public readonly dataLake?: DataLakeMount;
  /** Triton's `--model-repository`. */
  public readonly modelRepository?: string;
  private readonly recipeOf: (level: ModelLogLevel | undefined) => ServerRecipe;

  private constructor(spec: {
    kind: string; port: number; protocol: ServingProtocol; runAsUser: number; defaultImage?: string; healthPath?: string;
    readinessProbe: k8s.Probe; writableDirectories: WritableDirectory[]; dataLake?: DataLakeMount; modelRepository?: string;
    recipe: (level: ModelLogLevel | undefined) => ServerRecipe;
  }) {
    this.kind = spec.kind;
    this.port = spec.port;
    this.protocol = spec.protocol;
    this.runAsUser = spec.runAsUser;
    this.defaultImage = spec.defaultImage;
    this.healthPath = spec.healthPath;
    this.readinessProbe = spec.readinessProbe;
    this.writableDirectories = spec.writableDirectories;
    this.dataLake = spec.dataLake;
    this.modelRepository = spec.modelRepository;
    this.recipeOf = spec.recipe;
  }

  /** The server's command, args and env at a log level (throws for a level the server cannot take). */
  public containerSettings(logLevel?: ModelLogLevel): ModelServerSettings {
    return this.recipeOf(logLevel);
  }
}
