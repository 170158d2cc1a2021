#pragma once

// The family names GET /metrics exposes, written once: each component's writePrometheus uses
// them to write its families, and the desktop's ServerCounters to read them back.
namespace isobar::prometheus {

// Requests and their latency, by route pattern (TrafficCounters).
inline constexpr char kHttpRequests[] = "isobar_http_requests_total";
inline constexpr char kHttpRequestDuration[] = "isobar_http_request_duration_seconds";
// Connections (HttpServer).
inline constexpr char kHttpConnections[] = "isobar_http_connections";
inline constexpr char kHttpConnectionEvents[] = "isobar_http_connection_events_total";
// Where watches ask from and who asks most (AudienceCounters).
inline constexpr char kWeatherRequestsByArea[] = "isobar_weather_requests_by_area_total";
inline constexpr char kTopCallerRequests[] = "isobar_top_caller_requests";
// The weather cache (WeatherCache) and its upstream (AccuWeatherClient).
inline constexpr char kWeatherCacheHits[] = "isobar_weather_cache_hits_total";
inline constexpr char kWeatherCacheMisses[] = "isobar_weather_cache_misses_total";
inline constexpr char kWeatherCacheStale[] = "isobar_weather_cache_stale_total";
inline constexpr char kWeatherCacheEvictions[] = "isobar_weather_cache_evictions_total";
inline constexpr char kWeatherCacheEntries[] = "isobar_weather_cache_entries";
inline constexpr char kUpstreamCalls[] = "isobar_upstream_calls_total";
inline constexpr char kUpstreamBudgetRemaining[] = "isobar_upstream_budget_remaining";
inline constexpr char kUpstreamBudgetDaily[] = "isobar_upstream_budget_daily_calls";
// The fleet's shared weather cache (SharedWeatherCache) and its Redis.
inline constexpr char kWeatherFleetAnswers[] = "isobar_weather_fleet_answers_total";
inline constexpr char kRedisUp[] = "isobar_redis_up";
// Tokens (Authenticator), signing keys (OidcKeyProvider), rate limits (RateLimiter).
inline constexpr char kJwksRefreshes[] = "isobar_jwks_refreshes_total";
inline constexpr char kTokens[] = "isobar_tokens_total";
inline constexpr char kRateLimited[] = "isobar_rate_limited_total";
// Uploads (UploadApi) and charts (ChartsApi).
inline constexpr char kIngestFiles[] = "isobar_ingest_files_total";
inline constexpr char kIngestPoints[] = "isobar_ingest_points_total";
inline constexpr char kDropoffFiles[] = "isobar_dropoff_files_total";
inline constexpr char kDropoffUp[] = "isobar_dropoff_up";
inline constexpr char kDropoffScanner[] = "isobar_dropoff_scanner";
inline constexpr char kChartRenders[] = "isobar_chart_renders_total";
inline constexpr char kChartRenderQueueDepth[] = "isobar_chart_render_queue_depth";
// The response caches (ResponseCache), a sample per cache: "metrics" answers and "charts".
inline constexpr char kResponseCacheHits[] = "isobar_response_cache_hits_total";
inline constexpr char kResponseCacheMisses[] = "isobar_response_cache_misses_total";
inline constexpr char kResponseCacheEvictions[] = "isobar_response_cache_evictions_total";
inline constexpr char kResponseCacheEntries[] = "isobar_response_cache_entries";
inline constexpr char kResponseCacheBytes[] = "isobar_response_cache_bytes";
inline constexpr char kResponseCacheBodyFiles[] = "isobar_response_cache_body_files";
// The request log's writer (RequestRecorder).
inline constexpr char kRequestEventsQueueDepth[] = "isobar_request_events_queue_depth";
inline constexpr char kRequestEventsDropped[] = "isobar_request_events_dropped_total";
inline constexpr char kRequestEventsWritten[] = "isobar_request_events_written_total";
// This replica's readiness (ReplicaProbes), as /readyz answers it.
inline constexpr char kReady[] = "isobar_ready";
// The process itself (PrometheusExposition), under the name Prometheus's own clients use.
inline constexpr char kResidentMemory[] = "process_resident_memory_bytes";

} // namespace isobar::prometheus
