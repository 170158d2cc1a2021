-- POST the same tables/v4 body (BENCH_TABLE_BODY, written by run-api.sh) on every request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BENCH_TABLE_BODY")
