/**
 * The console's words, in Ukrainian (the default) and English. One dictionary per language with the
 * same keys (the type makes a missing translation a build error); `{name}` placeholders are filled
 * from the values given.
 */
const uk = {
  appName: 'Суповід',
  signIn: 'Увійти',
  signOut: 'Вийти',
  login: 'Логін',
  password: 'Пароль',
  signInTitle: 'Вхід для працівників',
  signInHint: 'Обліковий запис створює адміністратор служби.',
  signInFailed: 'Неправильний логін або пароль.',
  lockedOut: 'Забагато невдалих спроб. Спробуйте знову о {time}.',
  language: 'Мова',
  choosePassword: 'Оберіть власний пароль',
  choosePasswordHint: 'Пароль дав адміністратор. Оберіть свій: щонайменше 12 символів.',
  currentPassword: 'Поточний пароль',
  newPassword: 'Новий пароль',
  savePassword: 'Зберегти пароль',
  wrongCurrentPassword: 'Поточний пароль неправильний.',
  passwordTooShort: 'Щонайменше 12 символів.',
  caseload: 'Мої випадки',
  loading: 'Завантаження…',
  noCases: 'Випадків немає.',
  search: 'Пошук за іменем або номером',
  stage: 'Етап',
  priority: 'Пріоритет',
  hromada: 'Громада',
  all: 'Усі',
  nextDeadline: 'Наступний строк',
  overdue: 'прострочено',
  caseNumber: 'Номер',
  region: 'Регіон',
  team: 'Команда',
  caseManager: 'Фахівець',
  supervisor: 'Супервізор',
  deadlines: 'Строки',
  timeline: 'Хронологія',
  back: 'Назад',
  errorTitle: 'Щось пішло не так',
  inDays: 'через {n} дн.',
  daysAgo: '{n} дн. тому',
  today: 'сьогодні',
  'stage.intake': 'Прийом',
  'stage.assessment': 'Оцінювання потреб',
  'stage.planning': 'Планування',
  'stage.intervention': 'Втручання',
  'stage.monitoring': 'Моніторинг',
  'stage.closure_requested': 'Запит на закриття',
  'stage.closed': 'Закрито',
  'priority.routine': 'Звичайний',
  'priority.urgent': 'Терміновий',
  'priority.crisis': 'Кризовий',
};
type Words = Record<keyof typeof uk, string>;
const en: Words = {
  appName: 'Suprovid',
  signIn: 'Sign in',
  signOut: 'Sign out',
  login: 'Login',
  password: 'Password',
  signInTitle: 'Staff sign-in',
  signInHint: "Your service's administrator creates your account.",
  signInFailed: 'Wrong login or password.',
  lockedOut: 'Too many failed attempts. Try again at {time}.',
  language: 'Language',
  choosePassword: 'Choose your own password',
  choosePasswordHint: 'An administrator gave you this password. Choose your own: at least 12 characters.',
  currentPassword: 'Current password',
  newPassword: 'New password',
  savePassword: 'Save password',
  wrongCurrentPassword: 'The current password is wrong.',
  passwordTooShort: 'At least 12 characters.',
  caseload: 'My caseload',
  loading: 'Loading…',
  noCases: 'No cases.',
  search: 'Search by name or case number',
  stage: 'Stage',
  priority: 'Priority',
  hromada: 'Hromada',
  all: 'All',
  nextDeadline: 'Next deadline',
  overdue: 'overdue',
  caseNumber: 'Number',
  region: 'Region',
  team: 'Team',
  caseManager: 'Case manager',
  supervisor: 'Supervisor',
  deadlines: 'Deadlines',
  timeline: 'Timeline',
  back: 'Back',
  errorTitle: 'Something went wrong',
  inDays: 'in {n} days',
  daysAgo: '{n} days ago',
  today: 'today',
  'stage.intake': 'Intake',
  'stage.assessment': 'Needs assessment',
  'stage.planning': 'Planning',
  'stage.intervention': 'Intervention',
  'stage.monitoring': 'Monitoring',
  'stage.closure_requested': 'Closure requested',
  'stage.closed': 'Closed',
  'priority.routine': 'Routine',
  'priority.urgent': 'Urgent',
  'priority.crisis': 'Crisis',
};

export const languages = { uk, en } as const;
export type Language = keyof typeof languages;
export type WordKey = keyof Words;

const STORAGE_KEY = 'suprovid.language';

export function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'uk' ? saved : 'uk';
}

export function saveLanguage(lang: Language): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
}

export function translate(lang: Language, key: WordKey, values: Record<string, string | number> = {}): string {
  return languages[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** Dates as people of the language write them, in the service's time zone, with the zone shown. */
export function formatDateTime(lang: Language, iso: string, timeZone = 'Europe/Kyiv'): string {
  return new Intl.DateTimeFormat(lang === 'uk' ? 'uk-UA' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(new Date(iso));
}
