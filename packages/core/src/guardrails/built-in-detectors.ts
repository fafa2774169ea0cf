// The detectors behind each built-in guardrail type, as its options select them.
import type { Detection, Detector } from './detect/detector.js';
import { keywordTopicsDetector, patternListDetector, phoneNumberDetector, piiDetectors, PROMPT_INJECTION_THRESHOLD, promptInjectionDetector, secretsDetector } from './detect/index.js';
import { DetectionScan } from './detection-scan.js';
import type { GuardrailOptions, PatternSource, PiiEntity } from './guardrail-options.js';
import { PII_ENTITIES } from './guardrail-options.js';

type DetectorOptions = Exclude<GuardrailOptions, { type: 'custom' } | { type: 'json-schema' }>;

const regex = (source: PatternSource) => (typeof source === 'string' ? new RegExp(source, 'u') : source);

/** A detector that keeps only the detections of some of its types. */
function onlyTypes(detector: Detector, types: ReadonlySet<string>): Detector {
  return {
    name: detector.name,
    types: detector.types.filter((type) => types.has(type)),
    maxLength: detector.maxLength,
    pending: (text) => detector.pending(text),
    find: (text): Detection[] => detector.find(text).filter((detection) => types.has(detection.type)),
  };
}

export function detectionScanFor(options: DetectorOptions): { scan: DetectionScan; threshold: number | undefined } {
  switch (options.type) {
    case 'pii': {
      const entities: readonly PiiEntity[] = options.entities ?? PII_ENTITIES;
      const detectors = entities.map((entity) => (entity === 'phone_number' && options.defaultCountry ? phoneNumberDetector(options.defaultCountry) : piiDetectors[entity]));
      return { scan: new DetectionScan([...new Set(detectors)], (options.allow ?? []).map(regex)), threshold: undefined };
    }
    case 'secrets': {
      const kinds = options.kinds;
      const detector = kinds ? onlyTypes(secretsDetector, new Set(kinds)) : secretsDetector;
      return { scan: new DetectionScan([detector], (options.allow ?? []).map(regex)), threshold: undefined };
    }
    case 'prompt-injection':
      return { scan: new DetectionScan([promptInjectionDetector]), threshold: options.threshold ?? PROMPT_INJECTION_THRESHOLD };
    case 'regex': {
      const patterns = options.deny.map((entry) => (typeof entry === 'object' && !(entry instanceof RegExp) ? { name: entry.name, pattern: regex(entry.pattern) } : { name: String(entry instanceof RegExp ? entry.source : entry), pattern: regex(entry) }));
      return { scan: new DetectionScan([patternListDetector(patterns, options.maxLength)], (options.allow ?? []).map(regex)), threshold: undefined };
    }
    case 'topics':
      return { scan: new DetectionScan([keywordTopicsDetector(options.topics)]), threshold: undefined };
  }
}

/** The secret kinds the `secrets` guardrail knows (for config validation and docs): the detector's own list. */
export { SECRET_TYPES as SECRET_KINDS } from './detect/index.js';
