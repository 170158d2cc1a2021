// The model of each kind the manifests use: the class that validates an object against
// Kubernetes' JSON schema, and the type declaration strict-schema.js reads its fields from.
'use strict';

const path = require('path');

const packages = [
  'kubernetes-models',
  '@kubernetes-models/prometheus-operator',
];

// apiVersion "apps/v1" -> folder "apps/v1"; the core group's "v1" -> "v1".
function modelOf(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[\w.]+(\/\w+)?$/.test(apiVersion) || !/^\w+$/.test(kind))
    return null;
  for (const pkg of packages) {
    const module = `${pkg}/${apiVersion}/${kind}`;
    let exported;
    try {
      exported = require(module)[kind];
    } catch (e) {
      if (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED')
        continue;
      throw e;
    }
    if (exported)
      return {
        Model: exported,
        declaration: path.join(__dirname, 'node_modules', pkg, apiVersion, `${kind}.d.ts`),
        interfaceName: `I${kind}`,
      };
  }
  return null;
}

module.exports = { modelOf };
