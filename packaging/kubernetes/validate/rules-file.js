// Prints the alert rules as a plain Prometheus rules file, for a Prometheus without the
// Operator: the spec of monitoring/prometheusrule.yaml, their one source.
//
//   node packaging/kubernetes/validate/rules-file.js > isobar.rules.yaml
'use strict';

const { rulesFile, yamlText } = require('./monitoring');

process.stdout.write(yamlText(rulesFile()));
