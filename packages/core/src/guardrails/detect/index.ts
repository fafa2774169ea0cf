// guardrails/detect/: the built-in detectors, pure and synchronous; each finds one family of things in text.
export type { Detection, Detector } from './detector.js';
export { emailDetector } from './email.js';
export { phoneNumberDetector, phoneNumberDetectorUS } from './phone-number.js';
export { paymentCardDetector, luhnValid } from './payment-card.js';
export { ibanDetector, ibanChecksumValid } from './iban.js';
export { usSsnDetector } from './us-ssn.js';
export { ipv4Detector, ipv6Detector } from './ip-address.js';
export { secretsDetector, SECRET_TYPES } from './secrets.js';
export { promptInjectionDetector, injectionScore, PROMPT_INJECTION_THRESHOLD } from './prompt-injection.js';
export { patternListDetector, type NamedRegExp } from './pattern-list.js';
export { keywordTopicsDetector, type KeywordTopic } from './keyword-topics.js';
import { emailDetector } from './email.js';
import { ibanDetector } from './iban.js';
import { ipv4Detector, ipv6Detector } from './ip-address.js';
import { paymentCardDetector } from './payment-card.js';
import { phoneNumberDetectorUS } from './phone-number.js';
import { usSsnDetector } from './us-ssn.js';
import type { Detector } from './detector.js';

/** The PII detectors by kind (phone numbers read for the US when they have no `+` prefix). */
export const piiDetectors: Readonly<Record<'email' | 'phone_number' | 'payment_card' | 'iban' | 'us_ssn' | 'ipv4' | 'ipv6', Detector>> = {
  email: emailDetector,
  phone_number: phoneNumberDetectorUS,
  payment_card: paymentCardDetector,
  iban: ibanDetector,
  us_ssn: usSsnDetector,
  ipv4: ipv4Detector,
  ipv6: ipv6Detector,
};
