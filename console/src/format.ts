import { translate, type Language } from './i18n';

const DAY = 86_400_000;

/** How far off a moment is, in whole days, as a case manager reads it ("in 3 days", "2 days ago"). */
export function fromNow(lang: Language, iso: string, now = Date.now()): string {
  const days = Math.round((Date.parse(iso) - now) / DAY);
  if (days === 0) return translate(lang, 'today');
  return days > 0 ? translate(lang, 'inDays', { n: days }) : translate(lang, 'daysAgo', { n: -days });
}
