// The metric names a PromQL expression reads. Strings, label matchers, grouping labels, ranges
// and numbers are taken out first; what is left are names, and a name followed by "(" is a
// function or an aggregation, not a metric.
'use strict';

const keywords = new Set([
  'and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool',
  'offset', 'atan2', 'inf', 'nan', 'start', 'end',
]);

// Grafana's variables, with values that keep the expression valid PromQL.
const grafanaVariables = {
  __rate_interval: '5m',
  __interval: '1m',
  __range: '1h',
  namespace: 'isobar',
};

function substituteGrafana(expr) {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced, plain) => {
    const name = braced || plain;
    if (name in grafanaVariables)
      return grafanaVariables[name];
    if (/^\d+$/.test(name)) // "${1}" in label_replace's replacement: a regex group
      return whole;
    throw new Error(`unknown Grafana variable $${name} in: ${expr}`);
  });
}

function metricNames(expr) {
  const names = new Set();
  let text = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/#[^\n]*/g, '')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b0x[0-9a-fA-F]+\b/g, ' ')
    .replace(/(^|[^\w:])\d[\w.]*(?:[eE][+-]?\d+)?/g, '$1 ');
  const name = /[A-Za-z_:][\w:]*/g;
  let m;
  while ((m = name.exec(text)) !== null) {
    const rest = text.slice(name.lastIndex);
    if (/^\s*\(/.test(rest) || keywords.has(m[0].toLowerCase()))
      continue;
    names.add(m[0]);
  }
  return names;
}

// The metric names a /metrics scrape has samples for, histogram and summary series (_bucket,
// _sum, _count) under their family's name too: a family announced without a sample is not
// counted, so a query on it has shown nothing yet.
function exportedNames(exposition) {
  const families = new Map();
  const names = new Set();
  for (const line of exposition.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      families.set(type[1], type[2]);
      continue;
    }
    const sample = /^([A-Za-z_:][\w:]*)[{ ]/.exec(line);
    if (!sample)
      continue;
    names.add(sample[1]);
    const family = /^(.*)_(bucket|sum|count)$/.exec(sample[1]);
    if (family && ['histogram', 'summary'].includes(families.get(family[1])))
      names.add(family[1]);
  }
  return names;
}

module.exports = { metricNames, exportedNames, substituteGrafana };
