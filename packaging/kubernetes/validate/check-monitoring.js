// Checks the monitoring's sources and writes what promtool reads; exit code 1 on any finding.
//
//   node check-monitoring.js OUT_DIR METRICS_SCRAPE
//
// OUT_DIR/isobar.rules.yaml: the alert rules as a plain Prometheus rules file (the
//   PrometheusRule's spec), for `promtool check rules` and `promtool test rules`.
// OUT_DIR/queries.rules.yaml: every board and adapter query as a recording rule, so that
//   `promtool check rules` parses them too.
// METRICS_SCRAPE: the /metrics text of a real `isobar serve`; every metric the rules, the board
//   and the adapter read must be in it.
'use strict';

const fs = require('fs');
const path = require('path');
const { checkMonitoringSources, checkNames, yamlText } = require('./monitoring');
const { exportedNames } = require('./promql');

function main(args) {
  if (args.length !== 2) {
    console.error('usage: node check-monitoring.js OUT_DIR METRICS_SCRAPE');
    return false;
  }
  const [out, scrape] = args;
  const findings = [];
  const report = (finding) => findings.push(finding);

  const { rules, queries } = checkMonitoringSources(report);
  fs.writeFileSync(path.join(out, 'isobar.rules.yaml'), yamlText(rules));
  const recorded = queries.map((q, i) => ({ record: `isobar_check:query_${i}`, expr: q.expr }));
  fs.writeFileSync(path.join(out, 'queries.rules.yaml'), yamlText({ groups: [{ name: 'board-and-adapter-queries', rules: recorded }] }));

  const exported = exportedNames(fs.readFileSync(scrape, 'utf8'));
  if (!exported.has('isobar_http_requests_total'))
    report(`${scrape}: not a scrape of isobar serve (no isobar_http_requests_total)`);
  const used = checkNames(queries, exported, report);

  for (const finding of findings)
    console.log(`monitoring: ${finding}`);
  if (findings.length === 0)
    console.log(`monitoring: ${queries.length} queries read ${used.size} metrics, all exported by isobar serve (or Prometheus's own: up)`);
  return findings.length === 0;
}

process.exitCode = main(process.argv.slice(2)) ? 0 : 1;
