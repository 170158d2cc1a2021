// The HTTP request parser (server/http/HttpRequestParser) on arbitrary bytes. Beyond "no crash,
// no sanitizer report", the stream must read the same whether it arrives at once or in reads of
// any size (a proxy and Isobar must agree on where requests begin and end), no request may
// exceed the limits, and every target must be origin-form or "*".
#include "FuzzSupport.h"
#include "http/HttpRequestParser.h"

#include <cstdlib>

using namespace isobar;

namespace {

struct Reading {
    QList<HttpRequest> requests;
    int rejection = 0;
};

Reading readInSteps(const QByteArray &stream, qsizetype step, const HttpLimits &limits)
{
    HttpRequestParser parser(limits);
    Reading reading;
    QByteArray input;
    for (qsizetype at = 0; at < stream.size() && !reading.rejection; at += step) {
        input += stream.mid(at, step);
        for (;;) {
            const HttpRequestParser::Result result = parser.parse(input);
            if (result == HttpRequestParser::Result::Rejected) {
                reading.rejection = parser.rejection().status;
                break;
            }
            if (result == HttpRequestParser::Result::NeedMore) {
                if (!input.isEmpty())
                    abort(); // NeedMore promises every byte was taken
                break;
            }
            reading.requests << parser.takeRequest();
            if (!parser.keepAlive())
                return reading; // nothing after this request is read
        }
    }
    return reading;
}

bool sameRequest(const HttpRequest &a, const HttpRequest &b)
{
    return a.method == b.method && a.target == b.target && a.headers == b.headers
           && a.body == b.body;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    HttpLimits limits;
    limits.maxHeaderBytes = 2048;
    limits.maxBodyBytes = 4096;
    // The first byte chooses the size of the reads the stream arrives in.
    const qsizetype step = 1 + data[0] % 97;
    const QByteArray stream = fuzz::bytes(data + 1, size - 1);
    const Reading whole = readInSteps(stream, qMax<qsizetype>(1, stream.size()), limits);
    const Reading pieces = readInSteps(stream, step, limits);
    for (const HttpRequest &request : whole.requests) {
        if (request.body.size() > limits.maxBodyBytes || request.method.isEmpty()
            || !(request.target.startsWith('/') || request.target == "*"))
            abort();
    }
    if (whole.rejection != 0 && whole.rejection != 400 && whole.rejection != 413)
        abort();
    // Which fault is seen first may differ (the head limit counts what has arrived), not
    // whether the stream is refused, nor after which request.
    if ((whole.rejection == 0) != (pieces.rejection == 0)
        || whole.requests.size() != pieces.requests.size())
        abort();
    for (qsizetype i = 0; i < whole.requests.size(); ++i) {
        if (!sameRequest(whole.requests.at(i), pieces.requests.at(i)))
            abort();
    }
    return 0;
}
