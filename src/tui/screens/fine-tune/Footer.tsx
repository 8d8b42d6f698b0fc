import { Text } from 'ink';

type Props = Readonly<{ keys: readonly (readonly [key: string, action: string])[] }>;

/** The keys that act on the screen, always visible. */
export function Footer({ keys }: Props) {
  return <Text dimColor wrap="truncate-end">{` ${keys.map(([k, a]) => `${k} ${a}`).join('  ')}`}</Text>;
}
