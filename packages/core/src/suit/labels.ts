/**
 * SUIT integer labels, as named in the CDDL of draft-ietf-suit-manifest-37 §8 / IANA "SUIT" registries,
 * with the additions of draft-ietf-suit-trust-domains-12 §9 and draft-ietf-suit-firmware-encryption
 * (`suit-parameter-encryption-info`). 0 is never a key (manifest-37 §11: "unset detection").
 */

/** SUIT_Envelope keys (manifest-37 §8.2, trust-domains-12 §9.1). */
export const SUIT_ENVELOPE = {
  delegation: 1,
  authenticationWrapper: 2,
  manifest: 3,
  dependencyResolution: 15,
  payloadFetch: 16,
  candidateVerification: 18,
  install: 20,
  text: 23,
} as const;

/** SUIT_Manifest keys (manifest-37 §8.4, trust-domains-12 §5). */
export const SUIT_MANIFEST = {
  version: 1,
  sequenceNumber: 2,
  common: 3,
  referenceUri: 4,
  manifestComponentId: 5,
  validate: 7,
  load: 8,
  invoke: 9,
  dependencyResolution: 15,
  payloadFetch: 16,
  candidateVerification: 18,
  install: 20,
  text: 23,
  uninstall: 24,
} as const;

/** Manifest members that may be severed (replaced by their SUIT_Digest, element carried in the envelope). */
export const SUIT_SEVERABLE: readonly number[] = [
  SUIT_MANIFEST.dependencyResolution,
  SUIT_MANIFEST.payloadFetch,
  SUIT_MANIFEST.candidateVerification,
  SUIT_MANIFEST.install,
  SUIT_MANIFEST.text,
];

/** Manifest members that hold a command sequence (bstr .cbor SUIT_Command_Sequence). */
export const SUIT_SEQUENCES: readonly number[] = [
  SUIT_MANIFEST.validate,
  SUIT_MANIFEST.load,
  SUIT_MANIFEST.invoke,
  SUIT_MANIFEST.dependencyResolution,
  SUIT_MANIFEST.payloadFetch,
  SUIT_MANIFEST.candidateVerification,
  SUIT_MANIFEST.install,
  SUIT_MANIFEST.uninstall,
];

/** SUIT_Common keys (manifest-37 §8.4.5, trust-domains-12 §5.2.2). */
export const SUIT_COMMON = {
  dependencies: 1,
  components: 2,
  sharedSequence: 4,
} as const;

/** SUIT_Dependency_Metadata keys (trust-domains-12 §5.2.2). */
export const SUIT_DEPENDENCY_METADATA = { prefix: 1 } as const;

/** Conditions and directives (manifest-37 §8.4.9-8.4.10, trust-domains-12 §5.6). */
export const SUIT_COMMAND = {
  vendorIdentifier: 1,
  classIdentifier: 2,
  imageMatch: 3,
  componentSlot: 5,
  checkContent: 6,
  dependencyIntegrity: 7,
  isDependency: 8,
  processDependency: 11,
  setComponentIndex: 12,
  abort: 14,
  tryEach: 15,
  write: 18,
  setParameters: 19,
  overrideParameters: 20,
  fetch: 21,
  copy: 22,
  invoke: 23,
  deviceIdentifier: 24,
  swap: 31,
  runSequence: 32,
  unlink: 33,
} as const;

/** Conditions: no side effects; a failure may be soft (manifest-37 §8.4.9). */
export const SUIT_CONDITIONS: readonly number[] = [1, 2, 3, 5, 6, 7, 8, 14, 24];

/** Parameters (manifest-37 §8.4.8, trust-domains-12, firmware-encryption `encryption-info` 19). */
export const SUIT_PARAMETER = {
  vendorIdentifier: 1,
  classIdentifier: 2,
  imageDigest: 3,
  componentSlot: 5,
  strictOrder: 12,
  softFailure: 13,
  imageSize: 14,
  content: 18,
  encryptionInfo: 19,
  uri: 21,
  sourceComponent: 22,
  invokeArgs: 23,
  deviceIdentifier: 24,
  fetchArguments: 25,
} as const;

/** SUIT_Rep_Policy bits (manifest-37 §8.4.7). */
export const SUIT_REP_POLICY = {
  recordOnSuccess: 1,
  recordOnFailure: 2,
  sysinfoOnSuccess: 4,
  sysinfoOnFailure: 8,
} as const;

/** SUIT_Text_Map keys (manifest-37 §8.4.4). */
export const SUIT_TEXT = {
  manifestDescription: 1,
  updateDescription: 2,
  manifestJsonSource: 3,
  manifestYamlSource: 4,
} as const;
export const SUIT_TEXT_COMPONENT = {
  vendorName: 1,
  modelName: 2,
  vendorDomain: 3,
  modelInfo: 4,
  componentDescription: 5,
  componentVersion: 6,
} as const;

/** Digest algorithms (manifest-37 §10, COSE algorithm ids). Only SHA-256 is REQUIRED. */
export const SUIT_DIGEST_ALG = {
  sha256: -16,
  shake128: -18,
  sha384: -43,
  sha512: -44,
  shake256: -45,
} as const;

/** CBOR tags (manifest-37 §11, App. A; cbor-pen tag 112). */
export const SUIT_TAG = { envelope: 107, manifest: 1070, pen: 112 } as const;

/** Human names for the summary printer and reports. */
export const SUIT_COMMAND_NAME: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(SUIT_COMMAND).map(([k, v]) => [v, k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)]),
);
export const SUIT_SECTION_NAME: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(SUIT_MANIFEST).map(([k, v]) => [v, k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)]),
);
