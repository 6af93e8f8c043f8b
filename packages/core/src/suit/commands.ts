/**
 * The conditions and directives that act on one component (draft-ietf-suit-manifest-37 §8.4.9-8.4.10,
 * trust-domains-12 §5.6, firmware-encryption §4). Flow control (set-component-index, try-each,
 * run-sequence, parameters) is in machine.ts. Conditions never have side effects; directives only
 * stage writes (committed by the processor when the whole procedure succeeded).
 */
import { CborTag, type CborValue } from '../wire/cbor-value.js';
import { bytesEqual } from './cbor-util.js';
import { decodeDigestBytes, digestMatches } from './digest.js';
import { decodeEnvelope } from './envelope.js';
import { decryptPayload } from './encryption.js';
import {
  SuitAbort, SuitClassMismatch, SuitCommandUnsupported, SuitContentMismatch, SuitDependencyIntegrity, SuitDeviceMismatch,
  SuitFetchFailed, SuitImageMismatch, SuitInvalidState, SuitNotADependency, SuitOperationFailed, SuitSlotMismatch,
  SuitVendorMismatch, SuitDependencyNotVerified, SuitError,
} from './errors.js';
import { SUIT_COMMAND as C, SUIT_MANIFEST, SUIT_PARAMETER as P } from './labels.js';
import {
  componentIdAt, isDependencyIndex, paramsOf, readComponent, requireParam, stageComponent, systemOf,
  type Frame, type ManifestContext,
} from './machine-context.js';
import { authenticateEnvelope } from './authenticate.js';
import { isOtrpError } from '../errors.js';

/** Hook to run a dependency (set by processor.ts, avoids an import cycle). */
export type ProcessDependency = (ctx: ManifestContext, index: number, frame: Frame) => Promise<void>;

/** Runs one command with a reporting-policy argument on component `index`. */
export async function runComponentCommand(
  ctx: ManifestContext, code: number, index: number, frame: Frame, processDependency: ProcessDependency,
): Promise<void> {
  const id = () => componentIdAt(ctx, index);
  switch (code) {
    case C.vendorIdentifier: {
      const want = requireParam(ctx, index, P.vendorIdentifier);
      const have = systemOf(ctx, id()).vendorId;
      const w = want instanceof CborTag ? want.value : want; // cbor-pen #6.112(bstr): compared as bytes
      if (!(have && w instanceof Uint8Array && bytesEqual(have, w))) throw new SuitVendorMismatch('vendor identifier does not match');
      return;
    }
    case C.classIdentifier:
      return matchId(requireParam(ctx, index, P.classIdentifier), systemOf(ctx, id()).classId, () => new SuitClassMismatch('class identifier does not match'));
    case C.deviceIdentifier:
      return matchId(requireParam(ctx, index, P.deviceIdentifier), systemOf(ctx, id()).deviceId, () => new SuitDeviceMismatch('device identifier does not match'));
    case C.imageMatch:
      return imageMatch(ctx, index);
    case C.componentSlot: {
      const want = requireParam(ctx, index, P.componentSlot);
      if (systemOf(ctx, id()).componentSlot !== Number(want)) throw new SuitSlotMismatch('component slot does not match');
      return;
    }
    case C.checkContent: {
      const want = requireParam(ctx, index, P.content) as Uint8Array;
      const have = await readComponent(ctx, id());
      if (!have || !bytesEqual(have, want)) throw new SuitContentMismatch('component content does not match');
      return;
    }
    case C.abort:
      throw new SuitAbort('condition-abort');
    case C.isDependency:
      if (!isDependencyIndex(ctx, index)) throw new SuitNotADependency(`component ${index} is not a dependency`);
      return;
    case C.dependencyIntegrity:
      return dependencyIntegrity(ctx, index);
    case C.processDependency:
      if (!isDependencyIndex(ctx, index)) throw new SuitInvalidState(`process-dependency on component ${index}, which is not a dependency`);
      if (frame.section === SUIT_MANIFEST.common) throw new SuitInvalidState('process-dependency is not allowed in the shared sequence');
      // trust-domains-12 §5.6.2: abort unless the dependency passed condition-dependency-integrity.
      if (!ctx.verifiedDependencies.has(index)) throw new SuitDependencyNotVerified(`dependency ${index} was not the target of condition-dependency-integrity`);
      return processDependency(ctx, index, frame);
    case C.fetch:
      return fetchInto(ctx, index);
    case C.write: {
      const content = requireParam(ctx, index, P.content) as Uint8Array;
      stageComponent(ctx, id(), await maybeDecrypt(ctx, index, content));
      return;
    }
    case C.copy: {
      const src = Number(requireParam(ctx, index, P.sourceComponent));
      const data = await readComponent(ctx, componentIdAt(ctx, src));
      if (!data) throw new SuitOperationFailed(`copy: source component ${src} is empty`);
      stageComponent(ctx, id(), await maybeDecrypt(ctx, index, data));
      return;
    }
    case C.swap: {
      const src = Number(requireParam(ctx, index, P.sourceComponent));
      const a = await readComponent(ctx, id());
      const b = await readComponent(ctx, componentIdAt(ctx, src));
      stageComponent(ctx, id(), b ?? null);
      stageComponent(ctx, componentIdAt(ctx, src), a ?? null);
      return;
    }
    case C.invoke: {
      const args = paramsOf(ctx, index).get(P.invokeArgs);
      ctx.state.invocations.push({ componentId: id(), ...(args instanceof Uint8Array ? { args } : {}) });
      return;
    }
    case C.unlink:
      // trust-domains-12 §5.6.5: reference counting is the platform's job; here the component is removed at commit.
      stageComponent(ctx, id(), null);
      return;
    default:
      throw new SuitCommandUnsupported(`command ${code} is not supported`);
  }
}

function matchId(want: CborValue, have: Uint8Array | undefined, fail: () => SuitError): void {
  if (!(have && want instanceof Uint8Array && bytesEqual(have, want))) throw fail();
}

/** The bytes image-match hashes: a dependency's bstr-wrapped manifest (trust-domains-12 §5.2.2), else the component. */
async function imageOf(ctx: ManifestContext, index: number): Promise<{ data: Uint8Array; size: number } | undefined> {
  if (isDependencyIndex(ctx, index)) {
    const envBytes = await dependencyImage(ctx, index);
    if (!envBytes) return undefined;
    return { data: decodeEnvelope(envBytes).manifestBstr, size: envBytes.length };
  }
  const data = await readComponent(ctx, componentIdAt(ctx, index));
  return data && { data, size: data.length };
}

async function imageMatch(ctx: ManifestContext, index: number): Promise<void> {
  const digest = decodeDigestBytes(requireParam(ctx, index, P.imageDigest) as Uint8Array);
  const size = paramsOf(ctx, index).get(P.imageSize);
  const image = await imageOf(ctx, index);
  if (!image) throw new SuitImageMismatch(`component ${index} is empty`);
  if (size !== undefined && Number(size) !== image.size) throw new SuitImageMismatch(`component ${index} has size ${image.size}, expected ${String(size)}`);
  if (!(await digestMatches(digest, image.data, ctx.state.opts.provider))) throw new SuitImageMismatch(`component ${index} does not match its image digest`);
}

export async function dependencyImage(ctx: ManifestContext, index: number): Promise<Uint8Array | undefined> {
  const fetched = ctx.dependencyImages.get(index);
  if (fetched) return fetched;
  const look = ctx.state.opts.lookupDependency;
  return look ? ((await look(ctx.manifest.common.dependencies.get(index)?.prefix, index)) ?? undefined) : undefined;
}

/** trust-domains-12 §5.6.4: authenticate the dependency, then match its digest to image-digest. */
async function dependencyIntegrity(ctx: ManifestContext, index: number): Promise<void> {
  if (!isDependencyIndex(ctx, index)) throw new SuitNotADependency(`component ${index} is not a dependency`);
  const want = decodeDigestBytes(requireParam(ctx, index, P.imageDigest) as Uint8Array);
  const bytes = await dependencyImage(ctx, index);
  if (!bytes) throw new SuitDependencyIntegrity(`dependency ${index} has not been fetched`);
  try {
    const env = decodeEnvelope(bytes);
    await authenticateEnvelope(env, ctx.state.opts.trust, ctx.state.opts.provider);
    if (env.digest.algorithmId !== want.algorithmId || !bytesEqual(env.digest.bytes, want.bytes)) {
      throw new SuitDependencyIntegrity(`dependency ${index} does not match its image digest`);
    }
  } catch (e) {
    if (e instanceof SuitDependencyIntegrity) throw e;
    throw new SuitDependencyIntegrity(`dependency ${index} failed its integrity check`, { cause: e });
  }
  ctx.verifiedDependencies.add(index);
}

async function fetchInto(ctx: ManifestContext, index: number): Promise<void> {
  const uri = requireParam(ctx, index, P.uri) as string;
  const id = componentIdAt(ctx, index);
  let data: Uint8Array | undefined;
  if (uri.startsWith('#')) {
    // manifest-37 §7.5 / trust-domains-12 §8.1.1: integrated payloads and dependencies live in the envelope.
    data = ctx.envelope.integrated.get(uri);
    if (!data) throw new SuitFetchFailed(`integrated payload ${uri} is not in the envelope`);
  } else {
    const fetch = ctx.state.opts.fetch;
    if (!fetch) throw new SuitFetchFailed(`no fetcher for ${uri}`);
    try {
      data = await fetch(uri, id);
    } catch (e) {
      throw new SuitFetchFailed(`fetch of ${uri} failed`, { cause: e });
    }
    if (!(data instanceof Uint8Array)) throw new SuitFetchFailed(`fetch of ${uri} returned nothing`);
  }
  if (isDependencyIndex(ctx, index)) {
    ctx.dependencyImages.set(index, data);
    ctx.verifiedDependencies.delete(index); // trust-domains-12 §5.6.4: a fetch clears the integrity result
  } else {
    stageComponent(ctx, id, data);
  }
}

/** firmware-encryption §4: write and copy decrypt when encryption-info is set. */
async function maybeDecrypt(ctx: ManifestContext, index: number, data: Uint8Array): Promise<Uint8Array> {
  const info = paramsOf(ctx, index).get(P.encryptionInfo);
  if (!(info instanceof Uint8Array)) return data;
  try {
    return await decryptPayload(info, data, ctx.state.opts.decryptionKeys ?? {}, ctx.state.opts.provider);
  } catch (e) {
    if (isOtrpError(e)) throw e;
    throw new SuitOperationFailed('decryption failed', { cause: e });
  }
}
