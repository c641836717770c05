import { createContext, useContext } from 'react';
import type { Session } from './api';
import { translator, type Language, type WordKey } from './i18n';

export interface AppContext {
  lang: Language;
  session: Session;
  navigate: (path: string) => void;
}

export const App = createContext<AppContext | undefined>(undefined);

export function useApp(): AppContext & { t: (key: WordKey, values?: Record<string, string | number>) => string } {
  const ctx = useContext(App);
  if (!ctx) throw new Error('useApp outside the signed-in console');
  return { ...ctx, t: translator(ctx.lang) };
}
