// Checks rendered manifests offline; exit code 1 on any finding.
//
//   node check-manifests.js RENDER.yaml...        each file is one overlay (its name: the file's)
//   node check-manifests.js --self-test DIR       makes each mistake of mutations.js in a copy
//                                                 of DIR/OVERLAY.yaml and expects its finding
'use strict';

const path = require('path');
const { readManifests, checkRender, checkAcrossOverlays } = require('./manifests');
const { mutations } = require('./mutations');

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
      console.log(`${name}: ${docs.length} objects, no finding`);
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
