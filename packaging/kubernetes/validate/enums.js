// Fields that the declarations type as plain strings although Kubernetes accepts only a few
// values (its OpenAPI documents list them in prose, not as enums): their values, for the kinds
// these manifests use, so that `type: Pod` in an autoscaler fails here rather than at apply.
'use strict';

const targetTypes = ['AverageValue', 'Utilization', 'Value'];
const workloads = ['Deployment', 'StatefulSet', 'DaemonSet'];
const capabilities = [
  'ALL', 'AUDIT_CONTROL', 'AUDIT_READ', 'AUDIT_WRITE', 'BLOCK_SUSPEND', 'BPF', 'CHECKPOINT_RESTORE',
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'IPC_LOCK', 'IPC_OWNER', 'KILL',
  'LEASE', 'LINUX_IMMUTABLE', 'MAC_ADMIN', 'MAC_OVERRIDE', 'MKNOD', 'NET_ADMIN', 'NET_BIND_SERVICE',
  'NET_BROADCAST', 'NET_RAW', 'PERFMON', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYSLOG',
  'SYS_ADMIN', 'SYS_BOOT', 'SYS_CHROOT', 'SYS_MODULE', 'SYS_NICE', 'SYS_PACCT', 'SYS_PTRACE',
  'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'WAKE_ALARM',
];

// [kinds, path ([] walks a list), values]
const enums = [
  [['HorizontalPodAutoscaler'], 'spec.metrics[].type', ['ContainerResource', 'External', 'Object', 'Pods', 'Resource']],
  ...['resource', 'pods', 'object', 'external', 'containerResource'].map((source) =>
    [['HorizontalPodAutoscaler'], `spec.metrics[].${source}.target.type`, targetTypes]),
  ...['scaleUp', 'scaleDown'].flatMap((direction) => [
    [['HorizontalPodAutoscaler'], `spec.behavior.${direction}.policies[].type`, ['Percent', 'Pods']],
    [['HorizontalPodAutoscaler'], `spec.behavior.${direction}.selectPolicy`, ['Disabled', 'Max', 'Min']],
  ]),
  [workloads, 'spec.template.spec.volumes[].emptyDir.medium', ['', 'HugePages', 'Memory']],
  ...['containers', 'initContainers'].flatMap((list) => ['add', 'drop'].map((change) =>
    [workloads, `spec.template.spec.${list}[].securityContext.capabilities.${change}[]`, capabilities])),
];

function walk(value, steps, where, visit) {
  if (value === undefined || value === null)
    return;
  if (steps.length === 0) {
    visit(value, where);
    return;
  }
  const [step, ...rest] = steps;
  const list = step.endsWith('[]');
  const key = list ? step.slice(0, -2) : step;
  const next = key ? value[key] : value;
  const at = key ? (where ? `${where}.${key}` : key) : where;
  if (list) {
    if (Array.isArray(next))
      next.forEach((item, i) => walk(item, rest, `${at}[${i}]`, visit));
  } else {
    walk(next, rest, at, visit);
  }
}

function checkEnums(doc) {
  const findings = [];
  for (const [kinds, field, values] of enums) {
    if (!kinds.includes(doc.kind))
      continue;
    walk(doc, field.split('.'), '', (value, where) => {
      if (!values.includes(value))
        findings.push(`${where}: ${JSON.stringify(value)} is not one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
    });
  }
  return findings;
}

module.exports = { checkEnums };
