/**
 * SUIT_Text_Map (draft-ietf-suit-manifest-37 §8.4.4): human-readable text by language tag, with
 * manifest-wide keys and per-component maps keyed by SUIT_Component_Identifier.
 *
 * ```cddl
 * SUIT_Text_Map = { + tag38-ltag => SUIT_Text_LMap }
 * SUIT_Text_LMap = {
 *     SUIT_Text_Keys,
 *     * SUIT_Component_Identifier => { SUIT_Text_Component_Keys }
 * }
 * SUIT_Text_Keys = ( ? 1 manifest-description, ? 2 update-description, ? 3 json-source, ? 4 yaml-source => tstr )
 * SUIT_Text_Component_Keys = ( ? 1 vendor-name, ? 2 model-name, ? 3 vendor-domain, ? 4 model-info,
 *                              ? 5 component-description, ? 6 component-version => tstr )
 * ```
 */
import { decodeComponentId, decodeSuitCbor, expectMap } from './cbor-util.js';
import { SuitMalformed } from './errors.js';
import type { SuitComponentId } from './manifest.js';

export interface SuitTextLanguage {
  /** Manifest-wide texts by SUIT_TEXT key. */
  readonly texts: ReadonlyMap<number, string>;
  /** Per-component texts by SUIT_TEXT_COMPONENT key. */
  readonly components: readonly { readonly componentId: SuitComponentId; readonly texts: ReadonlyMap<number, string> }[];
}

const LTAG = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;

function addText(what: string, into: Map<number, string>, k: unknown, v: unknown): void {
  if (typeof k !== 'number' || typeof v !== 'string') throw new SuitMalformed(`${what}: text keys are integers with text values`);
  into.set(k, v);
}

/** Decodes the content of a suit-text member, by language tag. */
export function decodeText(bytes: Uint8Array): ReadonlyMap<string, SuitTextLanguage> {
  const out = new Map<string, SuitTextLanguage>();
  for (const [lang, lmapValue] of expectMap(decodeSuitCbor(bytes, 'SUIT_Text_Map'), 'SUIT_Text_Map')) {
    if (typeof lang !== 'string' || !LTAG.test(lang)) throw new SuitMalformed('SUIT_Text_Map: keys must be language tags');
    const lmap = expectMap(lmapValue, 'SUIT_Text_LMap');
    const manifestTexts = new Map<number, string>();
    const components: { componentId: SuitComponentId; texts: Map<number, string> }[] = [];
    for (const [k, v] of lmap) {
      if (Array.isArray(k)) {
        const ct = new Map<number, string>();
        const cm = expectMap(v, 'SUIT_Text_Component_Keys');
        for (const [ck, cv] of cm) addText('SUIT_Text_Component_Keys', ct, ck, cv);
        components.push({ componentId: decodeComponentId(k, 'SUIT_Text component'), texts: ct });
      } else {
        addText('SUIT_Text_Keys', manifestTexts, k, v);
      }
    }
    out.set(lang, { texts: manifestTexts, components });
  }
  return out;
}
