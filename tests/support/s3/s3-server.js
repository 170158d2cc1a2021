// A real S3-compatible server for the tests: s3rver (objects kept in a folder, the S3 REST API
// and its XML), started on a loopback port, printing "listening HOST:PORT" once it accepts.
// s3rver checks Signature Version 2 only and lets any version 4 signature through, so every
// version 4 request is checked here first, by signing it again with the AWS SDK's own signer
// and the account's secret: a request signed wrongly (another secret, region or canonical
// form) gets AWS's 403 SignatureDoesNotMatch, as from Amazon S3.
//
// usage: node s3-server.js DIRECTORY BUCKET [BUCKET...]
// The account is s3rver's: access key S3RVER, secret S3RVER.
'use strict';

const S3rver = require('s3rver');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Sha256 } = require('@aws-crypto/sha256-js');

const kAccessKey = 'S3RVER';
const kSecret = 'S3RVER';

function refuse(ctx, code, message) {
  ctx.status = 403;
  ctx.type = 'application/xml';
  ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

// "AWS4-HMAC-SHA256 Credential=AK/20261205/eu-west-3/s3/aws4_request, SignedHeaders=a;b, Signature=hex"
function parseAuthorization(header) {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(header);
  if (!match)
    return null;
  const [, accessKey, day, region, service, signedHeaders, signature] = match;
  return { accessKey, day, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

function amzDate(text) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text || '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : null;
}

async function checkSignatureV4(ctx, next) {
  const authorization = ctx.get('authorization');
  if (!authorization.startsWith('AWS4-'))
    return next();
  const auth = parseAuthorization(authorization);
  const signingDate = amzDate(ctx.get('x-amz-date'));
  if (!auth || !signingDate || !auth.signedHeaders.includes('host'))
    return refuse(ctx, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
  if (auth.accessKey !== kAccessKey)
    return refuse(ctx, 'InvalidAccessKeyId',
                  'The AWS Access Key Id you provided does not exist in our records.');
  if (!ctx.get('x-amz-content-sha256'))
    return next(); // s3rver answers its own error for this

  const headers = {};
  for (const name of auth.signedHeaders)
    headers[name] = ctx.get(name);
  const [path, query] = ctx.originalUrl.split(/\?(.*)/s);
  const queryObject = {};
  for (const [key, value] of new URLSearchParams(query || ''))
    queryObject[key] = value;
  const signer = new SignatureV4({
    credentials: { accessKeyId: kAccessKey, secretAccessKey: kSecret },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    uriEscapePath: false, // S3 signs the path as sent, not escaped twice
    applyChecksum: false,
  });
  const signed = await signer.sign({
    method: ctx.method,
    protocol: 'http:',
    hostname: ctx.hostname,
    path, // as sent: the canonical URI is the path encoded once
    query: queryObject,
    headers,
  }, { signingDate, signableHeaders: new Set(auth.signedHeaders) });
  const expected = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization)[1];
  if (expected !== auth.signature)
    return refuse(ctx, 'SignatureDoesNotMatch',
                  'The request signature we calculated does not match the signature you ' +
                  'provided. Check your key and signing method.');
  return next();
}

async function main() {
  const [directory, ...buckets] = process.argv.slice(2);
  if (!directory || buckets.length === 0) {
    console.error('usage: node s3-server.js DIRECTORY BUCKET [BUCKET...]');
    process.exit(2);
  }
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map(name => ({ name, configs: [] })),
  });
  server.middleware.unshift(checkSignatureV4);
  const { address, port } = await server.run();
  console.log(`listening ${address}:${port}`);
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
