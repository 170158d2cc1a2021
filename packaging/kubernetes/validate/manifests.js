// Reads rendered manifests and checks every object three ways: Kubernetes' JSON schema
// (kubernetes-models), unknown fields and enum values (strict-schema.js, enums.js), Isobar's
// own rules for the overlay (policy.js).
'use strict';

const fs = require('fs');
const YAML = require('yaml');
const { modelOf } = require('./models');
const { checkStrictly } = require('./strict-schema');
const { checkEnums } = require('./enums');
const { checkOverlay, checkAcrossOverlays, profiles } = require('./policy');

function parseManifests(text, file) {
  const docs = [];
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length)
      throw new Error(`${file}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null)
      docs.push(value);
  }
  return docs;
}

function readManifests(file) {
  return parseManifests(fs.readFileSync(file, 'utf8'), file);
}

function objectName(doc) {
  return `${doc.kind}/${doc.metadata && doc.metadata.name}`;
}

// kustomize folds long base64 values of a Secret's data over several lines; the API server
// decodes them ignoring the line breaks, the schema's base64 pattern does not.
function asSent(doc) {
  if (doc.kind !== 'Secret' || !doc.data)
    return doc;
  const data = Object.fromEntries(Object.entries(doc.data).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/[\r\n]/g, '') : v]));
  return { ...doc, data };
}

function checkObject(doc) {
  const model = modelOf(doc.apiVersion, doc.kind);
  if (!model)
    return [`${doc.apiVersion} ${doc.kind}: no model for this kind (a typo, or add it to validate/models.js)`];
  const findings = [];
  try {
    new model.Model(asSent(doc)).validate();
  } catch (e) {
    if (!e.errors)
      throw e;
    for (const error of e.errors)
      findings.push(`${error.instancePath.slice(1).replace(/\//g, '.') || '(object)'}: ${error.message}${error.params && error.params.allowedValues ? ` (${error.params.allowedValues.join(', ')})` : ''}`);
  }
  findings.push(...checkStrictly(doc, model.declaration, model.interfaceName), ...checkEnums(doc));
  return findings.map((f) => `${objectName(doc)}: ${f}`);
}

// Findings for one render: every object, then the overlay's rules when it is an overlay.
function checkRender(name, docs) {
  const findings = docs.flatMap(checkObject);
  let hpa = null;
  if (profiles[name]) {
    const result = checkOverlay(name, docs);
    findings.push(...result.findings);
    hpa = result.hpa;
  }
  return { findings, hpa };
}

module.exports = { readManifests, parseManifests, checkRender, checkAcrossOverlays, profiles };
