#include "FleetRateLimit.h"

#include "RedisClient.h"

#include <cmath>

namespace isobar {

namespace {

// KEYS[1]: the caller's arrival time (ms). ARGV[1]: ms between requests at the rate; ARGV[2]:
// how far ahead of now the arrival time may run (the burst's worth). Returns the ms to wait, 0
// when the request fits (and then books it).
constexpr const char *kGcraScript = R"lua(
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local arrival = tonumber(redis.call('GET', KEYS[1])) or now
if arrival < now then arrival = now end
local booked = arrival + interval
local wait = booked - tolerance - now
if wait > 0 then return math.ceil(wait) end
redis.call('SET', KEYS[1], booked, 'PX', math.ceil(booked - now) + 1000)
return 0
)lua";

} // namespace

FleetRateLimit::FleetRateLimit(RedisClient &redis, Options options)
    : m_redis(redis)
    , m_options(std::move(options))
{}

QFuture<std::optional<qint64>> FleetRateLimit::count(const QString &caller)
{
    const double intervalMs = 1000.0 / m_options.ratePerSecond;
    return m_redis
        .command({"EVAL", kGcraScript, "1", m_options.keyPrefix + caller.toUtf8(),
                  QByteArray::number(intervalMs, 'f', 3),
                  QByteArray::number(intervalMs * m_options.burst, 'f', 3)})
        .then([](const RedisReply &reply) -> std::optional<qint64> {
            if (reply.kind != RedisReply::Kind::Integer)
                return std::nullopt;
            return reply.integer;
        });
}

} // namespace isobar
