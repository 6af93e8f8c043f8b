/**
 * Prometheus metrics of one TAM server (prom-client). Each server gets its own Registry, never the
 * process-global one, so two servers in one process (tests, a blue/green restart) do not share or
 * double-register counters.
 *
 * - `otrp_tam_exchanges_total{route,kind,outcome}`: every request on a TEEP route. `kind` is
 *   `connect` (empty body, ProcessConnect) or `message` (ProcessTeepMessage) or `refused` (answered
 *   before either was called); `outcome` is `message` (200 + TEEP body), `done` (204, nothing to
 *   send), `dropped` (204, the TAM dropped the message), `rejected` (4xx) or `failed` (5xx).
 * - `otrp_tam_errors_total{code}`: every error response (and drop) by its stable code.
 * - `otrp_tam_exchange_duration_seconds{route,kind}`: time from request to response on TEEP routes.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type ExchangeKind = 'connect' | 'message' | 'refused';
export type ExchangeOutcome = 'message' | 'done' | 'dropped' | 'rejected' | 'failed';

/** The metric objects of one server. */
export interface TamMetrics {
  readonly registry: Registry;
  readonly exchanges: Counter<'route' | 'kind' | 'outcome'>;
  readonly errors: Counter<'code'>;
  readonly duration: Histogram<'route' | 'kind'>;
}

export interface TamMetricsOptions {
  /** Also collect prom-client's process metrics (CPU, memory, event loop) into this registry. */
  readonly defaultMetrics?: boolean;
}

/** Create a registry with the TAM's metrics registered in it. */
export function createTamMetrics(options: TamMetricsOptions = {}): TamMetrics {
  const registry = new Registry();
  if (options.defaultMetrics === true) collectDefaultMetrics({ register: registry });
  const exchanges = new Counter({
    name: 'otrp_tam_exchanges_total',
    help: 'TEEP-over-HTTP exchanges by route, kind and outcome',
    labelNames: ['route', 'kind', 'outcome'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'otrp_tam_errors_total',
    help: 'Error responses and dropped TEEP messages by error code',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'otrp_tam_exchange_duration_seconds',
    help: 'Latency of TEEP-over-HTTP exchanges',
    labelNames: ['route', 'kind'] as const,
    // A TEEP exchange is sub-millisecond to a few hundred ms (signatures, database); the default
    // prom-client buckets start at 5 ms and would hide the fast path.
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, exchanges, errors, duration };
}

/** The outcome label for a finished TEEP exchange. */
export function exchangeOutcome(status: number, dropped: boolean): ExchangeOutcome {
  if (status === 204) return dropped ? 'dropped' : 'done';
  if (status >= 200 && status < 300) return 'message';
  return status >= 500 ? 'failed' : 'rejected';
}
