/**
 * @otrp/core: the pure protocol core of otrp (no I/O). Layers, lowest first:
 * wire (CBOR, EDN, hex/base64url) <- cose, jose, pki <- suit, eat <- teep, otrp.
 * Only what this file exports is public. Each layer keeps its own section below.
 */

// ---- shared ----
export { OtrpError, isOtrpError, InvalidArgument, EncodingError } from './errors.js';

// ---- wire ----
export { CborTag, CborSimple, CborFloat } from './wire/cbor-value.js';
export type { CborValue, CborMap } from './wire/cbor-value.js';
export { decodeCbor, decodeCborPrefix, decodeCborSequence, encodeCbor } from './wire/cbor.js';
export type { CborDecodeOptions, CborEncodeOptions, CborPrefixResult } from './wire/cbor.js';
export * as cborErrors from './wire/errors.js';
export { bytesEqual } from './wire/bytes.js';
export { CborError, EdnSyntaxError } from './wire/errors.js';
export type { CborErrorCode } from './wire/errors.js';
export { printDiagnostic, diagnose } from './wire/diag.js';
export type { DiagOptions, DiagAnnotator, DiagNode, DiagComment } from './wire/diag.js';
export { ednToCbor, parseDiagnostic } from './wire/edn.js';
export type { EdnOptions } from './wire/edn.js';
export { annotateHex } from './wire/annotate.js';
export type { AnnotateOptions } from './wire/annotate.js';
export { toHex, fromHex } from './wire/hex.js';
export { encodeBase64url, decodeBase64url } from './wire/base64url.js';

// ---- cose ----
export { coseDiagHints, COSE_HEADER_NAMES, COSE_ALG_NAMES } from './cose/diag-hints.js';
export * as coseErrors from './cose/errors.js';
export { CoseError } from './cose/errors.js';
export type { CoseErrorCode, AnyCoseError } from './cose/errors.js';
export { COSE_ALG, COSE_ALGORITHMS, findAlgorithm, getAlgorithm } from './cose/algorithms.js';
export type { CoseAlgorithm, SignAlgorithm, MacAlgorithm, ContentAlgorithm, KeyWrapAlgorithm, DirectAlgorithm, KeyAgreementAlgorithm, RecipientAlgorithm, CoseCurve, HashName } from './cose/algorithms.js';
export type { CryptoProvider, ProviderOption } from './cose/crypto-provider.js';
export { webCryptoProvider, createWebCryptoProvider } from './cose/webcrypto-provider.js';
export { COSE_KEY_LABEL, COSE_KTY, COSE_CRV, checkCoseKey, publicCoseKey, isPrivateCoseKey, encodeCoseKey, decodeCoseKey, coseKeyToMap, coseKeyFromMap } from './cose/key.js';
export type { CoseKey, CoseKty } from './cose/key.js';
export { coseKeyToJwk, coseKeyFromJwk } from './cose/key-jwk.js';
export type { Jwk } from './cose/key-jwk.js';
export { COSE_HEADER, decodeHeaders, headerValue, encodeProtected } from './cose/headers.js';
export type { CoseLabel, CoseHeaderMap, CoseHeaders, HeaderInput, HeaderDecodeOptions } from './cose/headers.js';
export { COSE_TAG } from './cose/message.js';
export type { CoseMessageType, TagPolicy, MessageDecodeOptions } from './cose/message.js';
export { encodeSigStructure, encodeMacStructure, encodeEncStructure } from './cose/sig-structure.js';
export type { KeyResolver, KeyInput } from './cose/signer.js';
export { createSign1, verifySign1, decodeSign1 } from './cose/sign1.js';
export type { CreateSign1Options, VerifyOptions, VerifySign1Result } from './cose/sign1.js';
export { X5T_HASH, encodeX5chain, decodeX5chain, readX5chain, encodeX5t, matchesX5t } from './cose/x5.js';
export { createSign, verifySign, decodeSign } from './cose/sign.js';
export type { CreateSignOptions, SignerOptions, VerifySignOptions, VerifySignResult, SignerResult } from './cose/sign.js';
export { createMac0, verifyMac0 } from './cose/mac0.js';
export type { CreateMac0Options, VerifyMac0Result } from './cose/mac0.js';
export { createMac, verifyMac, decodeMac } from './cose/mac.js';
export type { CreateMacOptions, VerifyMacOptions, VerifyMacResult } from './cose/mac.js';
export { createEncrypt0, decryptEncrypt0, decodeEncrypt0 } from './cose/encrypt0.js';
export type { CreateEncrypt0Options, DecryptOptions, DecryptEncrypt0Result } from './cose/encrypt0.js';
export { createEncrypt, decryptEncrypt, decodeEncrypt } from './cose/encrypt.js';
export type { CreateEncryptOptions, DecryptEncryptOptions, DecryptEncryptResult } from './cose/encrypt.js';
export type { RecipientOptions, CekAlgorithm } from './cose/recipient.js';
export type { DecodedRecipient } from './cose/recipient-list.js';
export { encodeKdfContext } from './cose/kdf-context.js';
export type { KdfContextOptions, PartyInfo } from './cose/kdf-context.js';
export { createNodeCryptoProvider } from './cose/node-crypto-provider.js';
export type { NodeCryptoLike, NodeKeyObjectLike } from './cose/node-crypto-provider.js';
export { countingCryptoProvider } from './cose/counting-crypto-provider.js';
export type { CountingCryptoProvider, CountedOperation } from './cose/counting-crypto-provider.js';
export { parsePem, formatPem, coseKeyFromSpki, coseKeyToSpki, spkiFromCertificate, coseKeyFromCertificate, coseKeyFromPkcs8, coseKeyToPkcs8, coseKeyToPem } from './cose/key-pem.js';
export type { PemBlock } from './cose/key-pem.js';
export { coseKeyThumbprint, thumbprintInput } from './cose/thumbprint.js';
export { parseKeyFile } from './cose/key-file.js';
export type { KeyFile, KeyFileFormat } from './cose/key-file.js';

// ---- pki ----
export {
  PkiError, CertificateExpired, CertificateNotYetValid, CertificateRevoked, RevocationUnknown, ChainUntrusted,
  CertificateRole, CertificateSignature, CertificateKeyUsage, CertificateConstraints, CertificateMalformed, WeakKey,
  UnsupportedAlgorithm, CsrInvalid, CrlInvalid, KeyMalformed, CaStateInvalid, TEEP_CERT_ERR_CODE,
} from './pki/errors.js';
export type { PkiErrorCode } from './pki/errors.js';
export {
  PKI_KEY_ALGORITHM, MIN_RSA_MODULUS_BITS, isPkiKeyAlgorithm, isSigningAlgorithm, generateKeyPair, keyAlgorithmOf, spkiInfo,
  importSpki, exportSpki,
} from './pki/key-algorithms.js';
export type { PkiKeyAlgorithm, PkiSigningAlgorithm, SpkiInfo } from './pki/key-algorithms.js';
export { encodePem, decodePem, toDer, exportPrivateKeyPem, exportPublicKeyPem, importPrivateKey, importPublicKey } from './pki/pem.js';
export type { PemLabel } from './pki/pem.js';
export { EKU, PKI_ROLE, PKI_BRANCH, isPkiRole, leafKeyUsage } from './pki/roles.js';
export type { PkiRole, PkiBranch, KeyUsageOptions } from './pki/roles.js';
export { createCaCertificate, issueCertificate } from './pki/certificate.js';
export type { CaHandle, ValidityOptions, CreateCaOptions, IssueCertificateOptions } from './pki/certificate.js';
export { parseCertificate, decodeCertificateChainPem } from './pki/certificate-info.js';
export type { CertificateInfo } from './pki/certificate-info.js';
export { createCsr, readCsr } from './pki/csr.js';
export type { CreateCsrOptions, CsrInfo } from './pki/csr.js';
export { CRL_REASON, isCrlReason, createCrl, readCrl } from './pki/crl.js';
export type { CrlReason, RevokedEntry, CreateCrlOptions, CrlInfo } from './pki/crl.js';
export { validateChain, isIssuedBy } from './pki/chain.js';
export type { TrustAnchor, LeafUsage, ValidateChainOptions, ValidatedChain } from './pki/chain.js';
export {
  PKI_LAYOUT, pkiPath, caCertificatePath, roleAnchorPaths, crlPaths, devicePath, encodePkiManifest, decodePkiManifest,
} from './pki/layout.js';
export type { PkiCa, PkiManifest } from './pki/layout.js';
export { emptyCaState, encodeCaState, decodeCaState, recordIssued, recordRevoked, takeCrlEntries } from './pki/ca-state.js';
export type { CaState, IssuedRecord, RevokedRecord } from './pki/ca-state.js';
export { createPki, issuedRecord } from './pki/create-pki.js';
export type { PkiFile, CreatePkiOptions, CreatePkiResult } from './pki/create-pki.js';

// ---- suit ----
export * as suitErrors from './suit/errors.js';
export { SuitError, SuitConditionFailed, SUIT_REPORT_REASON } from './suit/errors.js';
export type { SuitErrorCode } from './suit/errors.js';
export {
  SUIT_ENVELOPE, SUIT_MANIFEST, SUIT_COMMON, SUIT_COMMAND, SUIT_PARAMETER, SUIT_REP_POLICY, SUIT_TEXT, SUIT_TEXT_COMPONENT,
  SUIT_DIGEST_ALG, SUIT_TAG, SUIT_DEPENDENCY_METADATA,
} from './suit/labels.js';
export { decodeDigest, decodeDigestBytes, encodeDigest, computeDigest, digestMatches } from './suit/digest.js';
export type { SuitDigest } from './suit/digest.js';
export { decodeEnvelope } from './suit/envelope.js';
export type { SuitEnvelope } from './suit/envelope.js';
export { decodeManifest, decodeCommon } from './suit/manifest.js';
export type { SuitManifest, SuitCommon, SuitMember, SuitDependency, SuitComponentId } from './suit/manifest.js';
export { decodeCommandSequence } from './suit/command-sequence.js';
export type { SuitCommand } from './suit/command-sequence.js';
export { decodeParameters } from './suit/parameters.js';
export type { SuitParameters } from './suit/parameters.js';
export { authenticateEnvelope, checkSeveredMembers } from './suit/authenticate.js';
export type { SuitTrust, SuitAuthBlock, SuitAuthResult } from './suit/authenticate.js';
export { verifyEnvelope } from './suit/verify.js';
export type { SuitVerifyResult } from './suit/verify.js';
export { processEnvelope, manifestIdOf, SUIT_PROCEDURES } from './suit/processor.js';
export type {
  SuitStorage, SuitSystemProperties, SuitSequenceStore, SuitDecryptionKeys, SuitProcedure, SuitProcessOptions,
  SuitInvocation, SuitProcessResult,
} from './suit/processor-types.js';
export { decryptPayload, encryptPayload, SUIT_PAYLOAD_KDF_OTHER } from './suit/encryption.js';
export type { EncryptPayloadOptions } from './suit/encryption.js';
export { encodeReport, decodeReport, suitResultCode, SUIT_REPORT, SUIT_RESULT_CODES } from './suit/report.js';
export type { SuitReport, SuitRecord, SuitSystemClaims } from './suit/report.js';
export { signReport, verifyReport } from './suit/report-sign.js';
export { assembleEnvelope, signEnvelope, manifestDigestBytes } from './suit/sign-envelope.js';
export type { AssembleEnvelopeOptions, SignEnvelopeOptions } from './suit/sign-envelope.js';
export { buildEnvelope, checkManifestSpec } from './suit/builder.js';
export type { SuitManifestSpec, SuitComponentSpec, BuildEnvelopeOptions } from './suit/builder.js';
export { componentIdToFileName, fileNameToComponentId, uriToRelativePath } from './suit/component-file-name.js';
export { summarizeEnvelope, formatComponentId } from './suit/summary.js';
export { decodeText } from './suit/text.js';
export type { SuitTextLanguage } from './suit/text.js';

// ---- eat ----
export * as eatErrors from './eat/errors.js';
export { EAT_CLAIM, decodeEatClaims, parseEatClaims } from './eat/claims.js';
export { encodeEatClaims, eatClaimsToMap } from './eat/claims-encode.js';
export type { EatClaims, EatCnf, EatManifest, EatVersion, NumericDate } from './eat/claims.js';
export {
  TEEP_EAT_PROFILE,
  TEEP_EAT_MEDIA_TYPE,
  isTeepEatMediaType,
  SUIT_REFERENCE_CONTENT_TYPE,
  checkTeepEatProfile,
  encodeSuitReference,
  decodeSuitReference,
  suitReferenceManifest,
} from './eat/teep-profile.js';
export type { SuitReference, TeepEatProfileOptions } from './eat/teep-profile.js';
export { buildEvidence, verifyEvidence } from './eat/evidence.js';
export type { BuildEvidenceOptions, EndorsementKeyResolver, VerifyEvidenceOptions, VerifiedEvidence } from './eat/evidence.js';
export type { SimulatedPlatform } from './eat/simulated-platform.js';
export { ReferenceValueVerifier } from './eat/verifier.js';
export { TEEP_EVIDENCE_MEDIA_TYPE, issueAttestationResult, verifyAttestationResult } from './eat/attestation-result.js';
export type { IssueAttestationResultOptions, VerifyAttestationResultOptions } from './eat/attestation-result.js';
export type { AttestationVerifier, AttestationResult, ReferenceValues, VerificationContext, ReferenceValueVerifierOptions } from './eat/verifier.js';
export {
  EatError,
  EatMalformed,
  EatInvalidClaim,
  EatMissingClaim,
  EatNonceMismatch,
  EatCnfMismatch,
  EatUntrustedSigner,
  EatExpired,
  EatReferenceValueMismatch,
} from './eat/errors.js';
export type { EatErrorCode, AnyEatError } from './eat/errors.js';

// ---- teep ----
export * as teepErrors from './teep/errors.js';
export {
  TEEP_MESSAGE_KINDS,
  TEEP_CIPHER_SUITE,
  SUIT_COSE_PROFILE,
  TEEP_DATA_ITEM,
  TEEP_FRESHNESS,
  COSE_SIGN1_TYPE,
  DRAFT_26,
  PRE_26,
  TEEP_PROFILES,
  teepProfile,
  resolveTeepProfile,
  messageKindOf,
  labelNameOf,
  errorNameOf,
} from './teep/profiles.js';
export type { TeepProfile, TeepProfileName, TeepMessageKind, TeepLabelName, TeepCipherSuite, SuitCoseProfile } from './teep/profiles.js';
export { decodeTeepMessage, encodeTeepMessage, parseTeepMessage } from './teep/messages/teep-message.js';
export type { TeepMessage } from './teep/messages/teep-message.js';
export { openTeepMessage, verifyTeepMessage } from './teep/secured-message.js';
export type { OpenedTeepMessage, TeepWrapper, VerifiedTeepMessage, VerifyTeepMessageOptions } from './teep/secured-message.js';
export { decodeQueryRequest, encodeQueryRequest } from './teep/messages/query-request.js';
export type { QueryRequest } from './teep/messages/query-request.js';
export { decodeQueryResponse, encodeQueryResponse } from './teep/messages/query-response.js';
export type { QueryResponse } from './teep/messages/query-response.js';
export type { RequestedTcInfo } from './teep/messages/requested-tc-info.js';
export { decodeUpdate, encodeUpdate } from './teep/messages/update.js';
export type { Update } from './teep/messages/update.js';
export { decodeSuccess, encodeSuccess } from './teep/messages/success.js';
export type { Success } from './teep/messages/success.js';
export { decodeTeepError, encodeTeepError } from './teep/messages/teep-error.js';
export type { TeepErrorMessage } from './teep/messages/teep-error.js';
export type { TeepCodecOptions } from './teep/messages/framework.js';
export type { TeepExtension, TeepOptionKey, TeepMessageExtras } from './teep/messages/options.js';
export type { SuitComponentIdentifier } from './teep/messages/fields.js';
export {
  TEEP_ERROR_NAMES,
  TeepError,
  TeepMalformedMessage,
  TeepUnknownMessageType,
  TeepUnexpectedMessage,
  TeepMissingField,
  TeepInvalidField,
  TeepFieldSize,
  TeepTokenRequired,
  TeepInconsistentFields,
  TeepCipherSuiteMismatch,
  TeepUnsupportedExtension,
  TeepUnsupportedFreshnessMechanisms,
  TeepUnsupportedMsgVersion,
  TeepUnsupportedCipherSuites,
  TeepBadCertificate,
  TeepAttestationRequired,
  TeepAttestationUnavailable,
  TeepUnsupportedSuitReport,
  TeepCertificateExpired,
  TeepTemporaryError,
  TeepManifestProcessingFailed,
} from './teep/errors.js';
export {
  TeepReplayed,
  TeepTokenExpired,
  TeepTokenUnknown,
  TeepReportNonceMismatch,
  TeepReportInvalid,
  TeepPeerMismatch,
  TeepSessionState,
} from './teep/errors.js';
export type { TeepErrorName, TeepErrorCode, AnyTeepError } from './teep/errors.js';
export type {
  PeerTrust, ChainValidator, AttestationPayload, AttestationRequest, AttestationSource, TokenRecord, TokenConsumeResult, TokenStore,
  PolicyInput, PolicyDecision, UpdateOutcome, TamPolicy, InstalledTc, TcStore, SuitPortResult, SuitPort,
} from './teep/ports.js';
export { createPeerTrust } from './teep/peer-trust.js';
export type { PeerTrustOptions } from './teep/peer-trust.js';
export { MemoryTokenStore } from './teep/token-store.js';
export { MemoryTcStore } from './teep/tc-store.js';
export type { StoredTc } from './teep/tc-store.js';
export { createSuitProcessorPort, unlinkNotInstalled } from './teep/suit-processor-port.js';
export type { SuitProcessorPortOptions } from './teep/suit-processor-port.js';
export { createEvidenceSource, createPassportSource, createSimulatedPlatformSource } from './teep/attestation-sources.js';
export type { EvidenceSourceOptions, PassportSourceOptions, SimulatedPlatformSourceOptions } from './teep/attestation-sources.js';
export { suiteAlg, sameSuite, commonSuites, signTeepPayload } from './teep/cipher-suites.js';
export { TEEP_KDF_OTHER, encryptToTam, decryptFromAgent, isEncryptedToTam } from './teep/confidentiality.js';
export { protectReport, openReport, checkReportNonces } from './teep/suit-reports.js';
export { processConnect, processTeepMessage as processTamTeepMessage } from './teep/tam-session.js';
export type {
  AttestationModel, TamConfig, TamContext, MessageContext, ConnectContext, TamPhase, OutstandingRequest, TamSessionState, TeepOutbound, TamEvent, TamStepResult,
} from './teep/tam-types.js';
export {
  createAgentSession, requestTA, unrequestTA, requestPolicyCheck, processError, processTeepMessage as processAgentTeepMessage,
} from './teep/agent-session.js';
export type { RequestTaInput } from './teep/agent-session.js';
export type { AgentConfig, RequestedTc, AgentSessionState, AgentEvent, ConnectOutput, AgentStepResult } from './teep/agent-types.js';
export type { TeepPartyConfig } from './teep/party-config.js';

// ---- jose ----
export * as joseErrors from './jose/errors.js';
export { JoseError, JoseMalformed, JoseAlgorithmRefused, JoseWeakKey, JoseKeyUnsupported, JoseSignerMissing, JwsSignatureInvalid, JweDecryptionFailed } from './jose/errors.js';
export type { JoseErrorCode, AnyJoseError } from './jose/errors.js';
export {
  JWS_ALGORITHMS, JWE_KEY_ALGORITHMS, JWE_CONTENT_ALGORITHMS, DEFAULT_JOSE_POLICY, DRAFT_MANDATORY_POLICY, DEFAULT_JWS_ALG, withRsa15,
  isJwsAlgorithm, isJweKeyAlgorithm, isJweContentAlgorithm,
} from './jose/algorithms.js';
export type { JoseKeyType, JwsAlgorithm, JweKeyAlgorithm, JweContentAlgorithm, JosePolicy } from './jose/algorithms.js';
export { MIN_RSA_BITS, describeSpki, generateJoseKeyPair, josePrivateKeyFromPkcs8 } from './jose/keys.js';
export type { JosePublicKey, JosePrivateKey, KeyDescription } from './jose/keys.js';
export { encodeBase64, decodeBase64Lenient } from './jose/base64.js';
export { signJws, verifyJws, parseFlattenedJws, jwsAlgorithm, readSignerChain, x5cHeader } from './jose/jws.js';
export type { FlattenedJws, SignJwsOptions, VerifyJwsOptions, VerifyJwsResult } from './jose/jws.js';
export { DRAFT_SAMPLE_SPKI_SHA256, isDraftSampleKey, verifyDraftSampleJws } from './jose/jws-draft-sample.js';
export { encryptJwe, decryptJwe, parseJwe, jweAlgorithms, chooseKeyAlgorithm } from './jose/jwe.js';
export type { OtrpJwe, EncryptJweOptions, DecryptJweOptions, DecryptJweResult } from './jose/jwe.js';
export { createNodeRawRsa } from './jose/raw-rsa.js';
export type { RawRsa, NodeRawRsaCryptoLike } from './jose/raw-rsa.js';
export { wrapRsa15, unwrapRsa15 } from './jose/rsa1-5.js';

// ---- otrp ----
export * as otrpErrors from './otrp/errors.js';
export { OTRP_ERROR_CODES, isOtrpWireErrorCode, OtrpProtocolError, OtrpPeerFailure, OtrpUnexpectedResponse } from './otrp/errors.js';
export type { OtrpWireErrorCode, OtrpErrorCode, AnyOtrpProtocolError } from './otrp/errors.js';
export { OTRP_MESSAGE, OTRP_COMMANDS, GET_DEVICE_STATE_RESPONSE, isOtrpMessageName } from './otrp/messages/names.js';
export type { OtrpMessageName, OtrpTbsName, OtrpCommand } from './otrp/messages/names.js';
export { OTRP_VERSION } from './otrp/fields.js';
export { parseOtrpJson } from './otrp/json.js';
export type { OtrpJsonLimits } from './otrp/json.js';
export { signOtrpMessage, openOtrpMessage, verifyOtrpMessage, readTbs } from './otrp/signed-message.js';
export type { OpenedMessage, SignMessageOptions } from './otrp/signed-message.js';
export { decodeGetDeviceStateRequest, encodeGetDeviceStateRequest, decodeGetDeviceTeeStateResponse } from './otrp/messages/get-device-state.js';
export type { GetDeviceStateTbsRequest, GetDeviceTeeStateTbsResponse, OtrpReason } from './otrp/messages/get-device-state.js';
export { decodeSdTaRequest, encodeSdTaRequest, decodeSdTaResponse, encodeSdTaResponse } from './otrp/messages/sd-ta.js';
export type { SdTaTbsRequest, SdTaTbsResponse } from './otrp/messages/sd-ta.js';
export { decodeRequestContent, decodeResponseContent } from './otrp/messages/contents.js';
export type { CommandContent, CreateSdContent, UpdateSdContent, UpdateSdChanges, DeleteSdContent, TaContent, DeleteTaContent, ResponseContent } from './otrp/messages/contents.js';
export { decodeDsi, encodeDsiDocument, dsiHash, dsiHashEquals, deviceId } from './otrp/dsi.js';
export type { Dsi, DsiSd, DsiTa, DsiSpAik, TfwData } from './otrp/dsi.js';
export { encryptTa, decryptTa } from './otrp/encrypted-ta.js';
export type { EncryptTaOptions, DecryptTaOptions, TaMembers } from './otrp/encrypted-ta.js';
export type {
  OtrpIdentity, RidTidStore, OcspVerifier, TrustedTam, TamTrust, TeeTrust, TeeTa, TeeSd, TeeSpAik, TeeState, TeeStore, TfwSigner, TaSignatureCheck,
} from './otrp/ports.js';
export { createMemoryTeeStore, createMemoryRidTidStore } from './otrp/memory-stores.js';
export { createPkiTamTrust, createPkiTeeTrust } from './otrp/trust.js';
export type { PkiTamTrustOptions, PkiTeeTrustOptions } from './otrp/trust.js';
export { buildDsi } from './otrp/tee-dsi.js';
export type { TeeDescription } from './otrp/tee-dsi.js';
export { processOtrpRequest } from './otrp/tee-agent.js';
export type { TeeAgentOptions, TeeAgentResult } from './otrp/tee-agent.js';
export { buildGetDeviceStateRequest, processGetDeviceStateResponse, buildCommandRequest, processCommandResponse } from './otrp/tam-session.js';
export type {
  TamOptions, TeeView, PendingRequest, BuiltRequest, GetDeviceStateParams, TeeStateResult, CommandParams, CommandRequestParams, CommandResult,
} from './otrp/tam-session.js';
export { inspectOtrpMessage, INSPECT_POLICY } from './otrp/inspect.js';
export type { InspectOptions, InspectedMessage } from './otrp/inspect.js';
export { createOcspResponse, OID_OCSP_BASIC } from './otrp/ocsp-response.js';
export type { CreateOcspResponseOptions, OcspCertStatus } from './otrp/ocsp-response.js';
export { createOcspVerifier } from './otrp/ocsp.js';
export type { OcspVerifierOptions } from './otrp/ocsp.js';
export { encodeOtrpBrokerError, brokerErrorCode } from './otrp/messages/broker-error.js';
export type { BrokerErrorCode } from './otrp/messages/broker-error.js';
export { verifyTfwData, createTfwSigner } from './otrp/tfw.js';
export type { TfwPolicy } from './otrp/tfw.js';
