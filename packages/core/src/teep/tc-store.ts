/**
 * An in-memory TC store (ports.ts TcStore) that the SUIT processor port writes to: installed
 * manifests by manifest component id, with their envelope so that they can be unlinked later.
 */
import type { SuitComponentIdentifier } from './messages/fields.js';
import type { InstalledTc, TcStore } from './ports.js';
import { componentKey } from './session-util.js';

export interface StoredTc extends InstalledTc {
  /** The SUIT_Envelope as installed (its uninstall section runs when it is unlinked). */
  readonly envelope: Uint8Array;
}

export class MemoryTcStore implements TcStore {
  readonly #byManifest = new Map<string, StoredTc>();

  list(): StoredTc[] {
    return [...this.#byManifest.values()];
  }

  get(manifestId: SuitComponentIdentifier): StoredTc | undefined {
    return this.#byManifest.get(componentKey(manifestId));
  }

  put(tc: StoredTc): void {
    this.#byManifest.set(componentKey(tc.manifestId), tc);
  }

  delete(manifestId: SuitComponentIdentifier): boolean {
    return this.#byManifest.delete(componentKey(manifestId));
  }
}
