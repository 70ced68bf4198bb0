-- pg_auto_failover's monitor, tuned for a failover in seconds rather than half a minute (run on the
-- monitor's database pg_auto_failover; the failover drill bench/failover.bench.ts applies it).
-- Defaults in brackets; docs/deployment.md, "PostgreSQL failover", says what to weigh in production.
ALTER SYSTEM SET pgautofailover.health_check_period = 1000;            -- how often the monitor checks each node (5000 ms)
ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000;           -- a check's connection timeout (5000 ms)
ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1;          -- retries before a node is unhealthy (2)
ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500;        -- between retries (2000 ms)
ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 2000; -- no report from its keeper for this long (20000 ms)
ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 3000;         -- wait for the old primary to demote itself (30000 ms)
SELECT pg_reload_conf();
