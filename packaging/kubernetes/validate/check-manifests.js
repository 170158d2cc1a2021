// Checks rendered manifests offline; exit code 1 on any finding.
//
//   node check-manifests.js RENDER.yaml...        each file is one overlay (its name: the file's)
//   node check-manifests.js --self-test DIR       makes each mistake of mutations.js in a copy
//                                                 of DIR/OVERLAY.yaml and expects its finding
'use strict';

const path = require('path');
const { readManifests, checkRender, checkAcrossOverlays } = require('./manifests');
const { mutations } = require('./mutations');

// The Secrets the pods mount that the render does not make: created in the cluster beforehand.
function secretsNotRendered(docs) {
  const rendered = new Set(docs.filter((d) => d.kind === 'Secret').map((d) => d.metadata.name));
  const mounted = new Set();
  for (const d of docs) {
    const spec = d.spec && d.spec.template && d.spec.template.spec;
    for (const volume of (spec && spec.volumes) || []) {
      if (volume.secret && !rendered.has(volume.secret.secretName))
        mounted.add(volume.secret.secretName);
    }
  }
  return [...mounted].sort();
}

function checkFiles(files) {
  const results = {};
  let failed = false;
  for (const file of files) {
    const name = path.basename(file, '.yaml');
    const docs = readManifests(file);
    const result = checkRender(name, docs);
    results[name] = result;
    if (result.findings.length) {
      failed = true;
      for (const finding of result.findings)
        console.log(`${name}: ${finding}`);
    } else {
      const missing = secretsNotRendered(docs);
      console.log(`${name}: ${docs.length} objects, no finding${missing.length ? `; Secrets made out of band: ${missing.join(', ')}` : ''}`);
    }
  }
  for (const finding of checkAcrossOverlays(results)) {
    failed = true;
    console.log(finding);
  }
  return !failed;
}

function selfTest(dir) {
  const renders = {};
  let failed = false;
  for (const [overlay, what, expected, mutate] of mutations) {
    renders[overlay] = renders[overlay] || readManifests(path.join(dir, `${overlay}.yaml`));
    const before = checkRender(overlay, renders[overlay]).findings;
    if (before.length)
      throw new Error(`${overlay}: the self-test needs a render without findings: ${before[0]}`);
    const docs = structuredClone(renders[overlay]);
    mutate(docs);
    const findings = checkRender(overlay, docs).findings;
    const caught = findings.find((f) => expected.test(f));
    if (caught) {
      console.log(`self-test: ${overlay}, ${what}: caught (${caught})`);
    } else {
      failed = true;
      console.log(`self-test: ${overlay}, ${what}: NOT CAUGHT; expected ${expected}, found: ${findings.join('; ') || 'nothing'}`);
    }
  }
  console.log(`self-test: ${mutations.length} mistakes, ${failed ? 'some not caught' : 'each caught'}`);
  return !failed;
}

function main(args) {
  if (args[0] === '--self-test' && args.length === 2)
    return selfTest(args[1]);
  if (args.length === 0 || args[0].startsWith('-')) {
    console.error('usage: node check-manifests.js RENDER.yaml... | --self-test DIR');
    return false;
  }
  return checkFiles(args);
}

process.exitCode = main(process.argv.slice(2)) ? 0 : 1;
