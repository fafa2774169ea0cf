// Finds the tracer and meter to use for a call, and whether there is one at all: with no SDK registered, the answer costs a few property reads.
import { createNoopMeter, metrics, ProxyTracerProvider, trace, type Meter, type MeterProvider, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { GatewayInstruments } from './gateway-instruments.js';

const SCOPE_NAME = '@switchyard/core';
const SCOPE_VERSION = '0.1.0';
/** The API's own no-op tracer provider: what the global proxy delegates to until an SDK registers. */
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
const NOOP_METER = createNoopMeter();

/**
 * The OpenTelemetry handles of one config: the configured providers, or the global ones as they
 * are when each call starts (an SDK registered after the gateway was made is picked up; one
 * disabled is let go). Instruments are made once per meter provider.
 */
export class OtelHandles {
  readonly #tracerProvider: TracerProvider | undefined;
  readonly #meterProvider: MeterProvider | undefined;
  #tracer: Tracer | undefined;
  #tracerOf: TracerProvider | undefined;
  #instruments: GatewayInstruments | undefined;
  #instrumentsOf: MeterProvider | undefined;

  constructor(tracerProvider: TracerProvider | undefined, meterProvider: MeterProvider | undefined) {
    this.#tracerProvider = tracerProvider;
    this.#meterProvider = meterProvider;
  }

  /** The tracer to use now, or `undefined` when no SDK records spans. */
  tracer(): Tracer | undefined {
    const provider = this.#tracerProvider ?? liveTracerProvider();
    if (provider === undefined) return undefined;
    if (provider !== this.#tracerOf) {
      this.#tracerOf = provider;
      this.#tracer = provider.getTracer(SCOPE_NAME, SCOPE_VERSION);
    }
    return this.#tracer;
  }

  /** The gateway's instruments on the meter provider in use now, or `undefined` when none records. */
  instruments(): GatewayInstruments | undefined {
    const provider = this.#meterProvider ?? metrics.getMeterProvider();
    if (provider === this.#instrumentsOf) return this.#instruments;
    this.#instrumentsOf = provider;
    const meter: Meter = provider.getMeter(SCOPE_NAME, SCOPE_VERSION);
    this.#instruments = meter === NOOP_METER ? undefined : new GatewayInstruments(meter);
    return this.#instruments;
  }
}

/** The global tracer provider, unless it is the API's no-op one (no SDK registered). */
function liveTracerProvider(): TracerProvider | undefined {
  const global = trace.getTracerProvider();
  if (global instanceof ProxyTracerProvider) {
    const delegate = global.getDelegate();
    return delegate === NOOP_TRACER_PROVIDER ? undefined : global;
  }
  // A provider of another copy of the API: it may record, so it is used.
  return global;
}
