#pragma once

#include "TrustedProxies.h"

#include <QtGlobal>

namespace isobar {

// What one connection may cost the server; every limit is configurable (see README).
struct HttpLimits {
    qsizetype maxHeaderBytes = 16'384;  // request line + headers; over it: 413
    qsizetype maxBodyBytes = 1'048'576; // declared or streamed body; over it: 413
    int requestTimeoutMs = 10'000;      // first byte to complete request; over it: 408
    int idleTimeoutMs = 30'000;         // keep-alive wait for the next request
    int firstByteTimeoutMs = 10'000;    // a new connection silent this long is closed
    int maxPipelined = 16;              // requests parsed ahead of their responses
    // Answers written but not yet taken by the client: past it no further request is read,
    // and a client that takes nothing for idleTimeoutMs is dropped.
    qsizetype maxUnsentBytes = 1'048'576;
    // Of those, what the kernel may hold unsent for one connection (ClientSocket); the rest
    // waits in the server, shared with the responses.
    qsizetype kernelUnsentBytes = 131'072;
    int maxConnections = 2048;          // beyond it new connections get 503
    int maxConnectionsPerAddress = 128; // from one IPv4 address or IPv6 /64; beyond: 503
    int listenBacklog = 1024;           // connections the kernel queues before accepting
    // Not a limit, but the connection layer's too: whose X-Forwarded-* headers are believed
    // (none by default).
    TrustedProxies trustedProxies;
};

} // namespace isobar
