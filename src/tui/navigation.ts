// Which screen shows: one Screen union and a stack of them. Esc pops, the home keys push.
import type { RecalibrateForm } from './recalibration.js';

/** What the Recalibrate form shows when it opens: its own values when a run started from it comes back. */
export type RecalibrateDraft = Partial<RecalibrateForm>;

export type Screen =
  | { name: 'home' }
  | { name: 'fine-tune' }
  | { name: 'recalibrate'; draft?: RecalibrateDraft }
  | { name: 'inspect' }
  | { name: 'dashboard' }
  | { name: 'runs' }
  | { name: 'run'; id: string }
  | { name: 'replay'; id: string }
  | { name: 'compare'; a: string; b: string };

export type NavAction =
  | { type: 'push'; screen: Screen }
  | { type: 'back' }
  /** Replaces the top screen: a form that started its run gives way to the dashboard. */
  | { type: 'replace'; screen: Screen }
  | { type: 'home' };

const HOME: Screen = { name: 'home' };

/** The stack never empties: home is always at its bottom. */
export function navReducer(stack: readonly Screen[], action: NavAction): Screen[] {
  switch (action.type) {
    case 'push':
      return [...stack, action.screen];
    case 'back':
      return stack.length > 1 ? stack.slice(0, -1) : [...stack];
    case 'replace':
      return stack.length > 1 ? [...stack.slice(0, -1), action.screen] : [HOME, action.screen];
    case 'home':
      return [HOME];
  }
}

export const initialStack: Screen[] = [HOME];
