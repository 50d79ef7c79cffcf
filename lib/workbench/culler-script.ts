/**
 * The idle culler's program (Python 3, standard library only), run by each team's culler CronJob from a ConfigMap.
 * Kept as text here so that it ships with the compiled library; test/workbench runs it against a fake Kubernetes
 * API and fake Jupyter servers.
 *
 * It reads the workbenches it manages from CULLER_CONFIG (JSON), asks each running Jupyter server for its last
 * activity (GET /api/status with the server's token: that endpoint needs the token and reports `last_activity`;
 * a busy kernel in GET /api/kernels counts as activity, since a long cell may print nothing), and scales the StatefulSet of a server idle longer than its limit to 0 replicas through the `statefulsets/scale`
 * subresource. It never deletes anything: the home volume stays, and replicas 1 resumes the workbench. Workbenches
 * of kind "schedule" (Zeppelin, RStudio: no activity endpoint) are scaled to 0 whenever their CronJob runs (on the
 * stop schedule). A server that does not answer is left running; an error of the Kubernetes API fails the Job.
 * @internal
 */
export const CULLER_SCRIPT = String.raw`import datetime
import json
import os
import ssl
import sys
import urllib.error
import urllib.request

SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


def api_base():
    return os.environ.get("KUBE_API", "https://kubernetes.default.svc")


def api_request(method, path, body=None):
    with open(os.environ.get("KUBE_TOKEN_FILE", SA_DIR + "/token"), encoding="utf-8") as f:
        token = f.read().strip()
    headers = {"Authorization": "Bearer " + token, "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/merge-patch+json"
    request = urllib.request.Request(api_base() + path, data=data, method=method, headers=headers)
    context = None
    if api_base().startswith("https://"):
        context = ssl.create_default_context(cafile=os.environ.get("KUBE_CA_FILE", SA_DIR + "/ca.crt"))
    with urllib.request.urlopen(request, timeout=20, context=context) as response:
        return json.loads(response.read() or b"{}")


def scale_path(namespace, name):
    return "/apis/apps/v1/namespaces/%s/statefulsets/%s/scale" % (namespace, name)


def replicas(namespace, name):
    return api_request("GET", scale_path(namespace, name)).get("spec", {}).get("replicas", 0)


def stop(namespace, name):
    api_request("PATCH", scale_path(namespace, name), {"spec": {"replicas": 0}})


def jupyter_get(url, token):
    request = urllib.request.Request(url, headers={"Authorization": "token " + token})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def jupyter_idle_seconds(url, token, now):
    """Seconds since the server's last activity; 0 while a kernel is busy (a long cell prints nothing)."""
    # an authenticated GET of /api/kernels counts as activity unless it says no_track_activity
    # (jupyter_server 2.x base/handlers.py); /api/status never counts (_track_activity = False)
    kernels = jupyter_get(url + "/api/kernels?no_track_activity=1", token)
    if any(k.get("execution_state") == "busy" for k in kernels):
        return 0
    status = jupyter_get(url + "/api/status", token)
    # ISO 8601 with a Z suffix, e.g. 2026-12-01T10:00:00.123456Z
    last = datetime.datetime.fromisoformat(status["last_activity"].replace("Z", "+00:00"))
    return (now - last).total_seconds()


def main():
    config = json.loads(os.environ["CULLER_CONFIG"])
    namespace = config["namespace"]
    now = datetime.datetime.now(datetime.timezone.utc)
    unreachable = 0
    for wb in config["workbenches"]:
        name = wb["statefulSet"]
        if replicas(namespace, name) == 0:
            print("%s: already stopped" % name)
            continue
        if wb["kind"] == "schedule":
            stop(namespace, name)
            print("%s: stopped on schedule" % name)
            continue
        try:
            idle = jupyter_idle_seconds(wb["url"], os.environ.get(wb["tokenEnv"], ""), now)
        except (urllib.error.URLError, OSError, KeyError, ValueError) as e:
            unreachable += 1
            print("%s: not checked (%s): left running" % (name, e), file=sys.stderr)
            continue
        if idle >= wb["idleSeconds"]:
            stop(namespace, name)
            print("%s: idle for %ds (limit %ds): stopped" % (name, idle, wb["idleSeconds"]))
        else:
            print("%s: active %ds ago: left running" % (name, idle))
    print("done: %d not reachable" % unreachable)
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;
