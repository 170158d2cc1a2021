// The monitoring's sources, read and checked: the alert rules (the PrometheusRule's spec), the
// Grafana board, the prometheus-adapter rule. What each must contain is written here; whether
// their PromQL parses is promtool's job (check.sh), whether their metrics exist a real scrape's.
'use strict';

const fs = require('fs');
const path = require('path');
const YAML = require('yaml');
const { metricNames, substituteGrafana } = require('./promql');

const root = path.join(__dirname, '..');
const sources = {
  rules: path.join(root, 'monitoring', 'prometheusrule.yaml'),
  board: path.join(root, 'monitoring', 'grafana', 'isobar.json'),
  adapter: path.join(root, 'monitoring', 'prometheus-adapter', 'rules.yaml'),
  autoscaler: path.join(root, 'base', 'horizontalpodautoscaler.yaml'),
};

// Names the PromQL may read that Isobar does not export: Prometheus's own.
const externalMetrics = new Set(['up']);

const requiredAlerts = {
  IsobarNoGo: 'critical',
  IsobarLatencyObjective: 'warning',
  IsobarUpstreamBudgetNearlySpent: 'warning',
  IsobarRequestEventsDropped: 'warning',
  IsobarReplicaNotReady: 'warning',
};

function readYaml(file) {
  return YAML.parse(fs.readFileSync(file, 'utf8'));
}

// The plain Prometheus rules file: the PrometheusRule's spec, nothing added.
function rulesFile() {
  return { groups: readYaml(sources.rules).spec.groups };
}

// YAML as a person would write it: multi-line expressions as literal blocks, no folding.
function yamlText(value) {
  return YAML.stringify(value, { lineWidth: 0, blockQuote: 'literal' });
}

function checkRules(rules, report) {
  const alerts = new Map();
  for (const group of rules.groups) {
    for (const rule of group.rules) {
      const name = rule.alert || rule.record;
      if (rule.alert) {
        alerts.set(rule.alert, rule);
        if (!/^Isobar[A-Z]\w+$/.test(rule.alert))
          report(`alert ${name}: its name does not start with Isobar`);
        if (!rule.labels || !['critical', 'warning'].includes(rule.labels.severity))
          report(`alert ${name}: severity is not critical or warning`);
        for (const annotation of ['summary', 'description']) {
          if (!rule.annotations || !rule.annotations[annotation])
            report(`alert ${name}: no ${annotation}`);
        }
      }
    }
  }
  for (const [alert, severity] of Object.entries(requiredAlerts)) {
    const rule = alerts.get(alert);
    if (!rule)
      report(`no alert ${alert}`);
    else if (rule.labels.severity !== severity)
      report(`alert ${alert}: severity ${rule.labels.severity}, not ${severity}`);
  }
  const expr = (alert) => (alerts.get(alert) ? String(alerts.get(alert).expr) : '');
  if (!/<\s*0\.8\b/.test(expr('IsobarNoGo')) || !/status=~"2\.\."/.test(expr('IsobarNoGo')))
    report('alert IsobarNoGo: not the 2xx share under 0.8');
  if (!/histogram_quantile\(0\.95/.test(expr('IsobarLatencyObjective')) || !/\broute\b/.test(expr('IsobarLatencyObjective')) || !/>\s*0\.2\b/.test(expr('IsobarLatencyObjective')))
    report('alert IsobarLatencyObjective: not the p95 per route over 0.2 s');
  if (!/isobar_upstream_budget_daily_calls/.test(expr('IsobarUpstreamBudgetNearlySpent')) || !/0\.1\s*\*/.test(expr('IsobarUpstreamBudgetNearlySpent')))
    report('alert IsobarUpstreamBudgetNearlySpent: not under 10% of the daily budget');
}

function panelsOf(board) {
  return (board.panels || []).flatMap((p) => (p.type === 'row' ? p.panels || [] : [p]));
}

function queriesOf(board) {
  const queries = [];
  for (const panel of panelsOf(board)) {
    for (const target of panel.targets || [])
      queries.push({ where: `panel ${panel.id} "${panel.title}" ${target.refId}`, expr: target.expr, panel });
  }
  for (const variable of (board.templating && board.templating.list) || []) {
    if (variable.type !== 'query')
      continue;
    const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
    const labelValues = /^label_values\(\s*(.+),\s*\w+\s*\)$/.exec(query);
    queries.push({ where: `variable ${variable.name}`, expr: labelValues ? labelValues[1] : query, panel: null });
  }
  return queries;
}

const uses = (panel, pattern) => (panel.targets || []).some((t) => pattern.test(t.expr || ''));
const thresholdAt = (panel, value) => {
  const steps = panel.fieldConfig && panel.fieldConfig.defaults.thresholds && panel.fieldConfig.defaults.thresholds.steps;
  return (steps || []).some((s) => s.value === value);
};
const thresholdLine = (panel) => {
  const custom = panel.fieldConfig && panel.fieldConfig.defaults.custom;
  return custom && custom.thresholdsStyle && custom.thresholdsStyle.mode !== 'off';
};

// The plan's board: what each panel must show.
const requiredPanels = [
  ['answers by status class', (p) => p.type === 'timeseries' && uses(p, /label_replace\(.*isobar_http_requests_total.*"status"/s)],
  ['share of each status class', (p) => p.type === 'piechart' && uses(p, /label_replace\(.*isobar_http_requests_total.*"status"/s)],
  ['2xx share against the 80% no-go', (p) => uses(p, /status=~"2\.\."/) && thresholdAt(p, 0.8)],
  ['p95 per route against the 200 ms objective', (p) => p.type === 'timeseries'
    && uses(p, /histogram_quantile\(0\.95,\s*sum by \(route, le\)/) && thresholdAt(p, 0.2) && thresholdLine(p)],
  ['requests per hour', (p) => uses(p, /increase\(isobar_http_requests_total\{[^}]*\}\[1h\]\)/)],
  ['request geography on a map', (p) => p.type === 'geomap' && uses(p, /sum by \(latitude, longitude\) \(increase\(isobar_weather_requests_by_area_total/)
    && (p.options.layers || []).some((l) => l.location && l.location.mode === 'coords'
      && l.location.latitude === 'latitude' && l.location.longitude === 'longitude')],
  ['requests per user', (p) => p.type === 'bargauge' && uses(p, /isobar_top_caller_requests/)],
  ['replicas ready', (p) => uses(p, /isobar_ready/)],
  ['upstream budget', (p) => uses(p, /isobar_upstream_budget_remaining/) && uses(p, /isobar_upstream_budget_daily_calls/)],
  ['weather cache hit ratio', (p) => uses(p, /isobar_weather_cache_hits_total.*isobar_weather_cache_misses_total/s)],
];

function checkBoard(board, report) {
  if (!board.uid || !board.title)
    report('board: no uid or title');
  const ids = new Set();
  for (const panel of panelsOf(board)) {
    const where = `board panel ${panel.id} "${panel.title}"`;
    if (ids.has(panel.id))
      report(`${where}: the id is used twice`);
    ids.add(panel.id);
    const grid = panel.gridPos || {};
    if (!(grid.w > 0 && grid.h > 0 && grid.x >= 0 && grid.x + grid.w <= 24))
      report(`${where}: gridPos is off the 24-column grid`);
    if (!panel.datasource || panel.datasource.uid !== '${datasource}')
      report(`${where}: not on the board's data source variable`);
    if (!(panel.targets || []).length)
      report(`${where}: no query`);
    for (const target of panel.targets || []) {
      if (!target.refId || !target.expr)
        report(`${where}: a query without refId or expr`);
    }
  }
  for (const [what, test] of requiredPanels) {
    if (!panelsOf(board).some(test))
      report(`board: no panel shows ${what}`);
  }
}

function checkAdapter(adapter, report) {
  const hpa = readYaml(sources.autoscaler);
  const wanted = hpa.spec.metrics.filter((m) => m.type === 'Pods').map((m) => m.pods.metric.name);
  const served = [];
  const queries = [];
  for (const [i, rule] of (adapter.rules || []).entries()) {
    const where = `adapter rule ${i}`;
    const series = [...metricNames(rule.seriesQuery || '')];
    if (series.length !== 1) {
      report(`${where}: seriesQuery names ${series.length} metrics, not one`);
      continue;
    }
    const overrides = (rule.resources && rule.resources.overrides) || {};
    if (!overrides.namespace || !overrides.pod)
      report(`${where}: namespace and pod are not mapped to their resources (a Pods metric needs both)`);
    const as = rule.name && rule.name.as;
    if (!rule.name || !new RegExp(rule.name.matches).test(series[0]))
      report(`${where}: name.matches does not match ${series[0]}`);
    served.push(as);
    queries.push({ where, expr: rule.seriesQuery, panel: null });
    // The query the adapter sends for a pod: its template filled as the adapter fills it.
    queries.push({
      where: `${where} metricsQuery`,
      expr: rule.metricsQuery.replace(/<<\.Series>>/g, series[0])
        .replace(/<<\.LabelMatchers>>/g, 'namespace="isobar",pod=~"isobar-.*"')
        .replace(/<<\.GroupBy>>/g, 'pod'),
      panel: null,
    });
  }
  for (const name of wanted) {
    if (!served.includes(name))
      report(`the autoscaler's Pods metric ${name} is served by no adapter rule`);
  }
  return queries;
}

// Checks the sources; returns the expressions to hand to promtool and to compare with a scrape.
function checkMonitoringSources(report) {
  const rules = rulesFile();
  checkRules(rules, report);
  const board = JSON.parse(fs.readFileSync(sources.board, 'utf8'));
  checkBoard(board, report);
  const queries = queriesOf(board).map((q) => {
    try {
      return { ...q, expr: substituteGrafana(q.expr) };
    } catch (e) {
      report(`board ${q.where}: ${e.message}`);
      return null;
    }
  }).filter(Boolean);
  queries.push(...checkAdapter(readYaml(sources.adapter), report));
  for (const group of rules.groups) {
    for (const rule of group.rules)
      queries.push({ where: `rule ${rule.alert || rule.record}`, expr: String(rule.expr), panel: null });
  }
  return { rules, queries };
}

// Every metric the expressions read must be one the scrape exposes, or a known external one.
function checkNames(queries, exported, report) {
  const used = new Set();
  for (const { where, expr } of queries) {
    for (const name of metricNames(expr)) {
      used.add(name);
      if (!exported.has(name) && !externalMetrics.has(name))
        report(`${where}: reads ${name}, which isobar serve does not export`);
    }
  }
  return used;
}

module.exports = { rulesFile, yamlText, checkMonitoringSources, checkNames, sources };
