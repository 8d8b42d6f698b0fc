// ink hands a new key handler over in a passive effect, after the screen has drawn, so a key
// arriving just after a change of state can meet the handler of the state before. The steps
// subscribe once, and the handler they call is the one of the last commit.
import { useCallback, useLayoutEffect, useRef } from 'react';
import { useInput } from 'ink';

type Handler = Parameters<typeof useInput>[0];

export function useLatestInput(handler: Handler): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useInput(useCallback<Handler>((input, key) => latest.current(input, key), []));
}
