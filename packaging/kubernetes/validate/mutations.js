// The self-test's mistakes: each is made in a copy of a rendered overlay, and the checks must
// then fail with the finding named here. A check that lets its mistake through fails the run.
'use strict';

function find(docs, kind, name = 'isobar') {
  const doc = docs.find((d) => d.kind === kind && d.metadata.name === name);
  if (!doc)
    throw new Error(`the self-test needs ${kind}/${name} in the render`);
  return doc;
}

function pod(docs) {
  return find(docs, 'Deployment').spec.template.spec;
}

function container(docs) {
  return pod(docs).containers.find((c) => c.name === 'isobar');
}

function rename(object, from, to) {
  object[to] = object[from];
  delete object[from];
}

// [overlay, what goes wrong, the finding expected (a regular expression), the mistake]
const mutations = [
  ['eu-paris', 'a misspelt field', /readinesProbe: unknown field \(did you mean 'readinessProbe'\?\)/,
    (d) => rename(container(d), 'readinessProbe', 'readinesProbe')],
  ['eu-paris', 'a wrong enum value', /imagePullPolicy: .*"Sometimes" is not one of "Always", "IfNotPresent", "Never"/,
    (d) => { container(d).imagePullPolicy = 'Sometimes'; }],
  ['eu-paris', 'a misspelt field in a probe', /httpGet\.paht: unknown field \(did you mean 'path'\?\)/,
    (d) => rename(container(d).livenessProbe.httpGet, 'path', 'paht')],
  ['eu-paris', 'a misspelt kind', /Deploymnet: no model for this kind/,
    (d) => { find(d, 'Deployment').kind = 'Deploymnet'; }],
  ['eu-paris', 'a wrong type', /replicas: must be integer/,
    (d) => { find(d, 'Deployment').spec.replicas = 'three'; }],
  ['eu-paris', 'a wrong autoscaler metric type', /metrics\[1\]\.type: .*"Pod" is not one of/,
    (d) => { find(d, 'HorizontalPodAutoscaler').spec.metrics[1].type = 'Pod'; }],
  ['eu-paris', 'a misspelt ServiceMonitor field', /ServiceMonitor\/isobar: spec\.endpoint: unknown field \(did you mean 'endpoints'\?\)/,
    (d) => rename(find(d, 'ServiceMonitor').spec, 'endpoints', 'endpoint')],
  ['eu-paris', 'a misspelt alert field', /PrometheusRule\/isobar: spec\.groups\[0\]\.rules\[0\]\.expresion: unknown field/,
    (d) => rename(find(d, 'PrometheusRule').spec.groups[0].rules[0], 'expr', 'expresion')],
  ['eu-paris', 'a missing probe', /no startupProbe/,
    (d) => { delete container(d).startupProbe; }],
  ['eu-paris', 'two probes on one path', /livenessProbe asks \/readyz, not \/livez|ask the same path/,
    (d) => { container(d).livenessProbe.httpGet.path = '/readyz'; }],
  ['eu-paris', 'an image tagged latest', /is tagged latest/,
    (d) => { container(d).image = 'registry.example.org/isobar/isobar:latest'; }],
  ['eu-paris', 'an image without a tag', /has no tag/,
    (d) => { container(d).image = 'registry.example.org/isobar/isobar'; }],
  ['eu-paris', 'no limits', /no memory in resources\.limits/,
    (d) => { delete container(d).resources.limits; }],
  ['eu-paris', 'the key in a variable', /ISOBAR_ACCUWEATHER_API_KEY puts a secret in the environment/,
    (d) => container(d).env.push({ name: 'ISOBAR_ACCUWEATHER_API_KEY', valueFrom: { secretKeyRef: { name: 'isobar-accuweather', key: 'accuweather-api-key' } } })],
  ['eu-paris', 'the key not mounted', /no volume is mounted where ISOBAR_ACCUWEATHER_API_KEY_FILE points/,
    (d) => { container(d).volumeMounts = container(d).volumeMounts.filter((m) => m.name !== 'accuweather'); }],
  ['eu-paris', 'the key from a ConfigMap', /the key's volume is not a Secret/,
    (d) => {
      const volume = pod(d).volumes.find((v) => v.name === 'accuweather');
      volume.configMap = { name: 'isobar-accuweather', items: volume.secret.items };
      delete volume.secret;
    }],
  ['eu-paris', 'a writable root filesystem', /readOnlyRootFilesystem is not true/,
    (d) => { container(d).securityContext.readOnlyRootFilesystem = false; }],
  ['eu-paris', 'privilege escalation', /allowPrivilegeEscalation is not false/,
    (d) => { delete container(d).securityContext.allowPrivilegeEscalation; }],
  ['eu-paris', 'capabilities kept', /capabilities do not drop ALL/,
    (d) => { container(d).securityContext.capabilities.drop = ['NET_RAW']; }],
  ['eu-paris', 'no seccomp profile', /seccompProfile is Unconfined, not RuntimeDefault/,
    (d) => { container(d).securityContext.seccompProfile = { type: 'Unconfined' }; }],
  ['eu-paris', 'root allowed', /runAsNonRoot is not true/,
    (d) => { container(d).securityContext.runAsNonRoot = false; }],
  ['eu-paris', 'service links', /enableServiceLinks is not false/,
    (d) => { delete pod(d).enableServiceLinks; }],
  ['eu-paris', 'a short grace period', /terminationGracePeriodSeconds 10 s does not cover/,
    (d) => { pod(d).terminationGracePeriodSeconds = 10; }],
  ['eu-paris', 'one replica at least', /minReplicas 1 is under 2/,
    (d) => { find(d, 'HorizontalPodAutoscaler').spec.minReplicas = 1; }],
  ['eu-paris', 'no room to scale', /maxReplicas 3 is not above minReplicas 3/,
    (d) => { find(d, 'HorizontalPodAutoscaler').spec.maxReplicas = 3; }],
  ['eu-paris', 'no scale-down stabilisation', /no behavior\.scaleDown\.stabilizationWindowSeconds/,
    (d) => { delete find(d, 'HorizontalPodAutoscaler').spec.behavior.scaleDown; }],
  ['eu-paris', 'no request-rate metric', /no Pods metric isobar_http_requests_per_second/,
    (d) => { find(d, 'HorizontalPodAutoscaler').spec.metrics.splice(1, 1); }],
  ['eu-paris', 'a replica count beside the autoscaler', /sets replicas/,
    (d) => { find(d, 'Deployment').spec.replicas = 3; }],
  ['eu-paris', 'no disruption budget', /no PodDisruptionBudget selects the isobar pods/,
    (d) => d.splice(d.indexOf(find(d, 'PodDisruptionBudget')), 1)],
  ['eu-paris', 'no zone spreading', /no topologySpreadConstraint on topology\.kubernetes\.io\/zone/,
    (d) => { pod(d).topologySpreadConstraints.shift(); }],
  ['eu-paris', 'a rollout that drops capacity', /maxUnavailable 0 and maxSurge 1/,
    (d) => { find(d, 'Deployment').spec.strategy.rollingUpdate.maxUnavailable = 1; }],
  ['eu-paris', '/metrics closed to monitoring', /\/metrics \(9090\) is not open to the monitoring namespace/,
    (d) => { find(d, 'NetworkPolicy').spec.ingress.pop(); }],
  ['eu-paris', 'no egress to PostgreSQL', /no egress to PostgreSQL \(5432\)/,
    (d) => { const e = find(d, 'NetworkPolicy').spec.egress; e[e.length - 1].ports.shift(); }],
  ['eu-paris', 'text logs', /ISOBAR_LOG_FORMAT is not json/,
    (d) => { d.find((x) => x.kind === 'ConfigMap' && x.data && x.data.ISOBAR_LOG_FORMAT).data.ISOBAR_LOG_FORMAT = 'text'; }],
  ['eu-paris', 'another region\'s time zone', /TZ is America\/Los_Angeles, not Europe\/Paris/,
    (d) => { d.find((x) => x.kind === 'ConfigMap' && x.data && x.data.TZ).data.TZ = 'America/Los_Angeles'; }],
  ['eu-paris', 'a scrape of the API port', /scrapes port http, not the scrape port 9090/,
    (d) => { find(d, 'ServiceMonitor').spec.endpoints[0].port = 'http'; }],
  ['eu-paris', 'no alerts', /no PrometheusRule with the alert IsobarNoGo/,
    (d) => d.splice(d.indexOf(find(d, 'PrometheusRule')), 1)],
  ['podman', 'an httpGet probe under podman', /readinessProbe is an httpGet, which podman runs with curl/,
    (d) => { container(d).readinessProbe = { httpGet: { path: '/readyz', port: 18181 } }; }],
  ['dev', 'a missing dev Secret', /isobar-accuweather-\w+ is not in the render/,
    (d) => d.splice(d.findIndex((x) => x.kind === 'Secret' && x.metadata.name.startsWith('isobar-accuweather')), 1)],
];

module.exports = { mutations };
