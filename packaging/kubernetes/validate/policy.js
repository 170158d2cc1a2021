// What Isobar's manifests must say, overlay by overlay, beyond being well-formed: the probes,
// the hardening, scaling and disruption, the secrets as files, pinned images, resources, the
// network policy and the monitoring. Each rule returns findings; none is a pass.
'use strict';

const path = require('path');

const probePaths = { startupProbe: '/startupz', livenessProbe: '/livez', readinessProbe: '/readyz' };
const keyVariable = 'ISOBAR_ACCUWEATHER_API_KEY_FILE';
const requestRateMetric = 'isobar_http_requests_per_second';
// Variables that would put a secret itself into the environment.
const secretVariables = [
  'ISOBAR_ACCUWEATHER_API_KEY', 'PGPASSWORD', 'ISOBAR_REDIS_PASSWORD', 'AWS_SECRET_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID', 'AWS_SESSION_TOKEN',
];

// Every overlay check.sh renders, and what it must be. A new overlay needs a line here.
const profiles = {
  'eu-paris': { cluster: true, region: true, monitoring: true, namespace: 'isobar-eu-paris', timeZone: 'Europe/Paris' },
  'us-west': { cluster: true, region: true, monitoring: true, namespace: 'isobar-us-west', timeZone: 'America/Los_Angeles' },
  staging: { cluster: true, monitoring: true, namespace: 'isobar-staging' },
  test: { cluster: true, monitoring: true, namespace: 'isobar-test' },
  // A laptop cluster: one replica may do, and the dev stores' Secrets are rendered.
  dev: { cluster: true, namespace: 'isobar-dev', minReplicas: 1, secretsRendered: true },
  // podman kube play: one pod on the host's network, the local image, the key from a ConfigMap.
  podman: { cluster: false },
};

function named(docs, kind, name) {
  return docs.find((d) => d.kind === kind && d.metadata && d.metadata.name === name);
}

function matches(selector, labels) {
  return selector && Object.keys(selector).length > 0
    && Object.entries(selector).every(([k, v]) => labels && labels[k] === v);
}

function imageProblem(image) {
  if (typeof image !== 'string' || image === '')
    return 'has no image';
  if (/@sha256:[0-9a-f]{64}$/.test(image))
    return null;
  const last = image.split('/').pop();
  if (!last.includes(':'))
    return `image ${image} has no tag (that is :latest)`;
  if (last.split(':').pop() === 'latest')
    return `image ${image} is tagged latest`;
  return null;
}

// The pod templates of every workload, with a name for the findings.
function podTemplates(docs) {
  const found = [];
  for (const d of docs) {
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(d.kind) && d.spec && d.spec.template)
      found.push({ owner: `${d.kind}/${d.metadata.name}`, template: d.spec.template });
    else if (d.kind === 'CronJob' && d.spec && d.spec.jobTemplate)
      found.push({ owner: `CronJob/${d.metadata.name}`, template: d.spec.jobTemplate.spec.template });
    else if (d.kind === 'Pod')
      found.push({ owner: `Pod/${d.metadata.name}`, template: d });
  }
  return found;
}

// The probe's path: an httpGet's, or `isobar healthcheck --path P` run in the container.
function probePath(probe) {
  if (probe.httpGet)
    return probe.httpGet.path;
  const command = probe.exec && probe.exec.command;
  if (Array.isArray(command) && path.basename(command[0] || '') === 'isobar' && command[1] === 'healthcheck') {
    const i = command.indexOf('--path');
    return i > 0 ? command[i + 1] : '/readyz';
  }
  return null;
}

// The container's environment as the kubelet builds it: ConfigMaps of envFrom, then env.
function environment(docs, container) {
  const env = new Map();
  for (const source of container.envFrom || []) {
    if (source.configMapRef) {
      const map = named(docs, 'ConfigMap', source.configMapRef.name);
      for (const [k, v] of Object.entries((map && map.data) || {}))
        env.set(`${source.prefix || ''}${k}`, { value: v, from: `ConfigMap ${source.configMapRef.name}` });
    }
  }
  for (const e of container.env || [])
    env.set(e.name, { value: e.value, valueFrom: e.valueFrom, from: 'env' });
  return env;
}

function checkWorkloads(docs, report) {
  for (const { owner, template } of podTemplates(docs)) {
    const spec = template.spec || {};
    for (const c of [...(spec.initContainers || []), ...(spec.containers || [])]) {
      const where = `${owner} container ${c.name}`;
      const problem = imageProblem(c.image);
      if (problem)
        report(`${where}: ${problem}`);
      const resources = c.resources || {};
      for (const kind of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) {
          if (!resources[kind] || resources[kind][resource] === undefined)
            report(`${where}: no ${resource} in resources.${kind}`);
        }
      }
      for (const [name, { valueFrom }] of environment(docs, c)) {
        if (secretVariables.includes(name))
          report(`${where}: ${name} puts a secret in the environment; mount it as a file`);
        if (valueFrom && valueFrom.secretKeyRef && owner === 'Deployment/isobar')
          report(`${where}: ${name} comes from a Secret; Isobar reads secrets from files`);
      }
      for (const source of c.envFrom || []) {
        if (source.secretRef)
          report(`${where}: envFrom a Secret puts secrets in the environment`);
      }
    }
  }
}

function checkProbes(container, report) {
  const seen = new Map();
  for (const [probe, expected] of Object.entries(probePaths)) {
    if (!container[probe]) {
      report(`container isobar: no ${probe}`);
      continue;
    }
    const at = probePath(container[probe]);
    if (at !== expected)
      report(`container isobar: ${probe} asks ${at || 'no path'}, not ${expected}`);
    if (seen.has(at))
      report(`container isobar: ${probe} and ${seen.get(at)} ask the same path ${at}`);
    seen.set(at, probe);
  }
}

function checkHardening(pod, container, report) {
  const podContext = pod.securityContext || {};
  const context = container.securityContext || {};
  const effective = (field) => (context[field] !== undefined ? context[field] : podContext[field]);
  if (effective('runAsNonRoot') !== true)
    report('container isobar: runAsNonRoot is not true');
  if (effective('runAsUser') !== 10001)
    report(`container isobar: runAsUser is ${effective('runAsUser')}, not the image's user 10001`);
  if (context.readOnlyRootFilesystem !== true)
    report('container isobar: readOnlyRootFilesystem is not true');
  if (context.allowPrivilegeEscalation !== false)
    report('container isobar: allowPrivilegeEscalation is not false');
  const drop = (context.capabilities && context.capabilities.drop) || [];
  if (!drop.includes('ALL'))
    report('container isobar: capabilities do not drop ALL');
  if (context.capabilities && context.capabilities.add && context.capabilities.add.length)
    report(`container isobar: capabilities add ${context.capabilities.add.join(', ')}`);
  const seccomp = effective('seccompProfile');
  if (!seccomp || seccomp.type !== 'RuntimeDefault')
    report(`container isobar: seccompProfile is ${seccomp ? seccomp.type : 'unset'}, not RuntimeDefault`);
  if (pod.automountServiceAccountToken !== false)
    report('pod: automountServiceAccountToken is not false');
  if (pod.enableServiceLinks !== false)
    report('pod: enableServiceLinks is not false (the Service "isobar" would set ISOBAR_PORT=tcp://...)');
  if (pod.hostPID || pod.hostIPC)
    report('pod: shares the host\'s PID or IPC namespace');
}

// The key: a file under a read-only mount of a Secret (a ConfigMap only where allowed), the
// variable naming that file, and no variable holding the key itself.
function checkKeyFile(docs, pod, container, env, profile, report) {
  const variable = env.get(keyVariable);
  if (!variable || !variable.value) {
    report(`container isobar: ${keyVariable} is not set`);
    return;
  }
  const file = variable.value;
  const mount = (container.volumeMounts || [])
    .filter((m) => file.startsWith(`${m.mountPath.replace(/\/$/, '')}/`) || (m.subPath && file === m.mountPath))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  if (!mount) {
    report(`container isobar: no volume is mounted where ${keyVariable} points (${file})`);
    return;
  }
  if (mount.readOnly !== true)
    report(`container isobar: the key's mount ${mount.mountPath} is not read-only`);
  const volume = (pod.volumes || []).find((v) => v.name === mount.name);
  if (!volume) {
    report(`container isobar: the key's mount names no volume ${mount.name}`);
    return;
  }
  const relative = mount.subPath ? mount.subPath : file.slice(mount.mountPath.replace(/\/$/, '').length + 1);
  const source = volume.secret || (!profile.cluster && volume.configMap);
  if (!source) {
    report(`volume ${volume.name}: the key's volume is not a Secret`);
    return;
  }
  const items = source.items || [];
  if (items.length && !items.some((i) => i.path === relative))
    report(`volume ${volume.name}: no item puts a file at ${relative}`);
  const sourceName = source.secretName || source.name;
  if (profile.secretsRendered && !named(docs, volume.secret ? 'Secret' : 'ConfigMap', sourceName))
    report(`volume ${volume.name}: ${sourceName} is not in the render`);
}

function checkScaling(docs, deployment, pod, profile, report) {
  const hpa = docs.find((d) => d.kind === 'HorizontalPodAutoscaler' && d.spec && d.spec.scaleTargetRef
    && d.spec.scaleTargetRef.kind === 'Deployment' && d.spec.scaleTargetRef.name === 'isobar');
  if (!hpa) {
    report('no HorizontalPodAutoscaler scales Deployment/isobar');
    return null;
  }
  const { minReplicas, maxReplicas } = hpa.spec;
  const floor = profile.minReplicas || 2;
  if (!(minReplicas >= floor))
    report(`HorizontalPodAutoscaler/isobar: minReplicas ${minReplicas} is under ${floor}`);
  if (!(maxReplicas > minReplicas))
    report(`HorizontalPodAutoscaler/isobar: maxReplicas ${maxReplicas} is not above minReplicas ${minReplicas}`);
  const down = hpa.spec.behavior && hpa.spec.behavior.scaleDown;
  if (!down || !(down.stabilizationWindowSeconds > 0))
    report('HorizontalPodAutoscaler/isobar: no behavior.scaleDown.stabilizationWindowSeconds');
  const metrics = hpa.spec.metrics || [];
  if (!metrics.some((m) => m.type === 'Resource' && m.resource.name === 'cpu' && m.resource.target.type === 'Utilization'))
    report('HorizontalPodAutoscaler/isobar: no CPU utilisation metric');
  if (!metrics.some((m) => m.type === 'Pods' && m.pods.metric.name === requestRateMetric))
    report(`HorizontalPodAutoscaler/isobar: no Pods metric ${requestRateMetric}`);
  if (deployment.spec.replicas !== undefined)
    report('Deployment/isobar: sets replicas, which every `kubectl apply` would reset under the autoscaler');
  const labels = pod.metadata.labels;
  if (!docs.some((d) => d.kind === 'PodDisruptionBudget' && matches(d.spec.selector.matchLabels, labels)))
    report('no PodDisruptionBudget selects the isobar pods');
  const keys = (pod.spec.topologySpreadConstraints || []).map((t) => t.topologyKey);
  for (const key of ['topology.kubernetes.io/zone', 'kubernetes.io/hostname']) {
    if (!keys.includes(key))
      report(`Deployment/isobar: no topologySpreadConstraint on ${key}`);
  }
  return hpa;
}

function portNumber(container, port) {
  if (typeof port === 'number')
    return port;
  const found = (container.ports || []).find((p) => p.name === port);
  return found ? found.containerPort : null;
}

function checkNetwork(docs, pod, container, report) {
  const policy = docs.find((d) => d.kind === 'NetworkPolicy' && matches(d.spec.podSelector.matchLabels, pod.metadata.labels));
  if (!policy) {
    report('no NetworkPolicy selects the isobar pods');
    return;
  }
  const types = policy.spec.policyTypes || [];
  if (!types.includes('Ingress') || !types.includes('Egress'))
    report(`NetworkPolicy/${policy.metadata.name}: policyTypes is not Ingress and Egress`);
  const ingressPorts = (policy.spec.ingress || []).flatMap((rule) => (rule.ports || []).map((p) => ({ port: portNumber(container, p.port), rule })));
  const fromMonitoring = ingressPorts.find((p) => p.port === 9090);
  if (!ingressPorts.some((p) => p.port === 8080))
    report(`NetworkPolicy/${policy.metadata.name}: no ingress to the API port 8080`);
  if (!fromMonitoring || !(fromMonitoring.rule.from || []).some((f) => f.namespaceSelector
      && f.namespaceSelector.matchLabels && f.namespaceSelector.matchLabels['kubernetes.io/metadata.name'] === 'monitoring'))
    report(`NetworkPolicy/${policy.metadata.name}: /metrics (9090) is not open to the monitoring namespace`);
  const egressPorts = (policy.spec.egress || []).flatMap((rule) => (rule.ports || []).map((p) => p.port));
  for (const [port, what] of [[53, 'DNS'], [5432, 'PostgreSQL'], [6379, 'Redis'], [443, 'HTTPS']]) {
    if (!egressPorts.includes(port))
      report(`NetworkPolicy/${policy.metadata.name}: no egress to ${what} (${port})`);
  }
}

function checkService(docs, pod, container, report) {
  const service = named(docs, 'Service', 'isobar');
  if (!service) {
    report('no Service isobar');
    return null;
  }
  if (!matches(service.spec.selector, pod.metadata.labels))
    report('Service/isobar: its selector does not select the isobar pods');
  for (const port of service.spec.ports || []) {
    if (portNumber(container, port.targetPort) === null)
      report(`Service/isobar: targetPort ${port.targetPort} is no port of the container`);
  }
  return service;
}

function checkMonitoring(docs, service, report) {
  const monitor = docs.find((d) => d.kind === 'ServiceMonitor');
  if (!monitor)
    report('no ServiceMonitor');
  else if (service) {
    if (!matches(monitor.spec.selector.matchLabels, service.metadata.labels))
      report(`ServiceMonitor/${monitor.metadata.name}: does not select Service/isobar`);
    const ports = (service.spec.ports || []).map((p) => p.name);
    for (const endpoint of monitor.spec.endpoints || []) {
      if (!ports.includes(endpoint.port))
        report(`ServiceMonitor/${monitor.metadata.name}: Service/isobar has no port ${endpoint.port}`);
      else if (service.spec.ports.find((p) => p.name === endpoint.port).port !== 9090)
        report(`ServiceMonitor/${monitor.metadata.name}: scrapes port ${endpoint.port}, not the scrape port 9090`);
      if ((endpoint.path || '/metrics') !== '/metrics')
        report(`ServiceMonitor/${monitor.metadata.name}: path is ${endpoint.path}, not /metrics`);
    }
  }
  const rules = docs.find((d) => d.kind === 'PrometheusRule');
  if (!rules || !(rules.spec.groups || []).some((g) => (g.rules || []).some((r) => r.alert === 'IsobarNoGo')))
    report('no PrometheusRule with the alert IsobarNoGo');
  const board = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.labels && d.metadata.labels.grafana_dashboard);
  if (!board)
    report('no ConfigMap with the label grafana_dashboard');
  else {
    for (const [file, text] of Object.entries(board.data || {})) {
      try {
        JSON.parse(text);
      } catch (e) {
        report(`ConfigMap/${board.metadata.name}: ${file} is not JSON: ${e.message}`);
      }
    }
  }
}

function checkSettings(env, deployment, pod, profile, report) {
  const value = (name) => (env.get(name) || {}).value;
  if (value('ISOBAR_LOG_FORMAT') !== 'json')
    report('container isobar: ISOBAR_LOG_FORMAT is not json');
  const delay = Number(value('ISOBAR_SHUTDOWN_DELAY_MS'));
  if (!(delay > 0))
    report('container isobar: ISOBAR_SHUTDOWN_DELAY_MS is not set: endpoints would still send to a stopping pod');
  const timeout = Number(value('ISOBAR_REQUEST_TIMEOUT_MS') || 10000);
  const grace = pod.terminationGracePeriodSeconds === undefined ? 30 : pod.terminationGracePeriodSeconds;
  if (!(grace * 1000 >= delay + timeout + 5000))
    report(`pod: terminationGracePeriodSeconds ${grace} s does not cover the shutdown delay and a request's time (${(delay + timeout) / 1000} s) with 5 s to spare`);
  const replica = env.get('ISOBAR_REPLICA_ID');
  if (!replica || !replica.valueFrom || !replica.valueFrom.fieldRef || replica.valueFrom.fieldRef.fieldPath !== 'metadata.name')
    report('container isobar: ISOBAR_REPLICA_ID is not the pod name (downward API)');
  if (profile.cluster) {
    const strategy = deployment.spec.strategy || {};
    const rolling = strategy.rollingUpdate || {};
    if (strategy.type !== 'RollingUpdate' || rolling.maxUnavailable !== 0 || rolling.maxSurge !== 1)
      report('Deployment/isobar: the strategy is not RollingUpdate with maxUnavailable 0 and maxSurge 1');
    if (value('ISOBAR_NO_AUTH') === 'true' && profile.monitoring)
      report('container isobar: ISOBAR_NO_AUTH is on outside dev and podman');
    if (profile.monitoring && !/^https:\/\//.test(value('ISOBAR_OIDC_ISSUER') || ''))
      report('container isobar: ISOBAR_OIDC_ISSUER is not an https URL');
  }
  if (profile.region) {
    if (value('TZ') !== profile.timeZone)
      report(`container isobar: TZ is ${value('TZ')}, not ${profile.timeZone}`);
    if (!(Number(value('ISOBAR_ACCUWEATHER_DAILY_BUDGET')) > 0))
      report('container isobar: no ISOBAR_ACCUWEATHER_DAILY_BUDGET: the region could spend the whole allowance');
  }
}

function checkPodman(deployment, pod, container, report) {
  if (pod.hostNetwork !== true)
    report('Deployment/isobar: hostNetwork is not true');
  if (deployment.spec.replicas !== 1)
    report('Deployment/isobar: replicas is not 1');
  if (container.image !== 'localhost/isobar:0.1.0')
    report(`container isobar: image is ${container.image}, not localhost/isobar:0.1.0`);
  if (container.imagePullPolicy !== 'Never')
    report('container isobar: imagePullPolicy is not Never');
  for (const [probe, expected] of Object.entries(probePaths)) {
    if (container[probe] && container[probe].httpGet)
      report(`container isobar: ${probe} is an httpGet, which podman runs with curl (not in the image); use isobar healthcheck --path ${expected}`);
  }
}

// All findings for one overlay's rendered objects, and its autoscaler for checkAcrossOverlays.
function checkOverlay(overlay, docs) {
  const findings = [];
  const report = (message) => findings.push(message);
  const profile = profiles[overlay];
  if (!profile)
    return { findings: [`no profile for the overlay ${overlay} in validate/policy.js`], hpa: null };
  checkWorkloads(docs, report);
  const deployment = named(docs, 'Deployment', 'isobar');
  if (!deployment)
    return { findings: [...findings, 'no Deployment isobar'], hpa: null };
  const pod = deployment.spec.template;
  const container = (pod.spec.containers || []).find((c) => c.name === 'isobar');
  if (!container)
    return { findings: [...findings, 'Deployment/isobar: no container isobar'], hpa: null };
  const env = environment(docs, container);
  checkProbes(container, report);
  checkHardening(pod.spec, container, report);
  checkKeyFile(docs, pod.spec, container, env, profile, report);
  checkSettings(env, deployment, pod.spec, profile, report);
  if (profile.namespace) {
    for (const d of docs) {
      const ns = d.kind === 'Namespace' ? d.metadata.name : d.metadata.namespace;
      if (ns !== profile.namespace)
        report(`${d.kind}/${d.metadata.name}: namespace ${ns}, not ${profile.namespace}`);
    }
  }
  let hpa = null;
  if (profile.cluster) {
    hpa = checkScaling(docs, deployment, pod, profile, report);
    checkNetwork(docs, pod, container, report);
    const service = checkService(docs, pod, container, report);
    if (profile.monitoring)
      checkMonitoring(docs, service, report);
  } else {
    checkPodman(deployment, pod.spec, container, report);
  }
  return { findings, hpa };
}

// Across overlays: the regions' fleets are larger than test's and staging's.
function checkAcrossOverlays(results) {
  const findings = [];
  const bounds = (name) => results[name] && results[name].hpa && results[name].hpa.spec;
  for (const region of Object.keys(profiles).filter((o) => profiles[o].region)) {
    for (const environment of ['test', 'staging']) {
      const r = bounds(region);
      const e = bounds(environment);
      if (r && e && !(r.minReplicas >= e.minReplicas && r.maxReplicas > e.maxReplicas))
        findings.push(`${region}: replica bounds ${r.minReplicas}-${r.maxReplicas} are not larger than ${environment}'s ${e.minReplicas}-${e.maxReplicas}`);
    }
  }
  return findings;
}

module.exports = { checkOverlay, checkAcrossOverlays, profiles };
