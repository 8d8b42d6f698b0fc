// Keys reach screens through one ink subscription, held by the App for its whole life. A screen
// registers its handler in a layout effect, which runs in the same commit that draws it, so a
// key pressed the moment a screen shows reaches that screen, never the one it replaced (ink's
// own useInput subscribes in a passive effect, which can lag behind the frame on a busy machine).
import { createContext, useContext, useLayoutEffect, useMemo, useRef } from 'react';
import { useInput, type Key } from 'ink';

export type KeyHandler = (input: string, key: Key) => void;

interface Registered {
  handler: KeyHandler;
  isActive: boolean;
}

type Registry = Set<{ current: Registered }>;

const KeysContext = createContext<Registry | null>(null);
export const KeysProvider = KeysContext.Provider;

/** The screen's keys while `isActive` (only the focused screen listens). */
export function useKeys(handler: KeyHandler, isActive = true): void {
  const registry = useContext(KeysContext);
  if (registry === null) throw new Error('useKeys needs a KeysProvider (the App provides it)');
  const latest = useRef<Registered>({ handler, isActive });
  useLayoutEffect(() => {
    latest.current = { handler, isActive };
  });
  useLayoutEffect(() => {
    registry.add(latest);
    return () => {
      registry.delete(latest);
    };
  }, [registry]);
}

/**
 * The App's one subscription: `global` sees every key first and says whether it took it;
 * otherwise the active screens' handlers get it.
 */
export function useKeyRouter(global: (input: string, key: Key) => boolean): Registry {
  const registry = useMemo<Registry>(() => new Set(), []);
  const latest = useRef(global);
  useLayoutEffect(() => {
    latest.current = global;
  });
  useInput((input, key) => {
    if (latest.current(input, key)) return;
    for (const entry of [...registry]) if (entry.current.isActive) entry.current.handler(input, key);
  });
  return registry;
}
