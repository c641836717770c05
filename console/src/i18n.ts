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
  actions: 'Дії',
  queue: 'Черга супервізора',
  inbox: 'Сповіщення',
  staff: 'Працівники',
  registerStaff: 'Додати працівника',
  setPassword: 'Обліковий запис і пароль',
  temporaryPassword: 'Тимчасовий пароль (працівник змінить його при першому вході)',
  accountSaved: 'Обліковий запис збережено. Передайте логін і пароль працівникові.',
  active: 'Працює',
  left: 'Звільнений',
  staffSaved: 'Працівника додано.',
  noNotifications: 'Сповіщень немає.',
  markRead: 'Прочитано',
  unreadOnly: 'Лише непрочитані',
  report: 'Звіт',
  reportTitle: 'Регіональний звіт',
  from: 'З',
  to: 'До (не включно)',
  downloadCsv: 'Завантажити CSV',
  servicesByCategory: 'Послуги за категоріями',
  casesByStage: 'Випадки за етапами (зараз)',
  missedByWeek: 'Прострочені строки за тижнями',
  weekOf: 'тиждень з {date}',
  approached: 'Звернулося',
  casesOpened: 'Відкрито випадків',
  activeCases: 'Активних',
  casesClosed: 'Закрито',
  closedPositive: 'З позитивним результатом',
  noRows: 'За цей період нічого немає.',
  escalations: 'Ескалації',
  noEscalations: 'Ескалацій немає.',
  approvals: 'Чекають затвердження',
  noApprovals: 'Нічого не чекає.',
  lateBy: 'прострочено на {time}',
  answerBy: 'відповісти до {time}',
  planWaiting: 'план чекає затвердження',
  closureWaiting: 'запит на закриття',
  hoursShort: '{n} год.',
  minutesShort: '{n} хв',
  daysShort: '{n} дн.',
  noActions: 'Зараз жодна дія не потрібна від вас.',
  chooseShape: 'Як саме',
  onePerLine: 'Одне на рядок',
  add: 'Додати',
  remove: 'Прибрати',
  send: 'Надіслати',
  cancel: 'Скасувати',
  done: 'Готово.',
  openCase: 'Відкрити випадок',
  openedCase: 'Випадок відкрито.',
  client: 'Особа',
  household: 'Домогосподарство',
  referrals: 'Направлення',
  services: 'Послуги',
  plan: 'План',
  reviews: 'Перегляди',
  goals: 'Цілі',
  planStatus: 'Стан плану',
  none: 'Немає.',
  clientRole: 'особа',
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
  actions: 'Actions',
  queue: "Supervisor's queue",
  inbox: 'Notifications',
  staff: 'Staff',
  registerStaff: 'Add a member of staff',
  setPassword: 'Account and password',
  temporaryPassword: 'Temporary password (they change it at their first sign-in)',
  accountSaved: 'Account saved. Give the login and password to the person.',
  active: 'Active',
  left: 'Has left',
  staffSaved: 'Added.',
  noNotifications: 'No notifications.',
  markRead: 'Mark read',
  unreadOnly: 'Unread only',
  report: 'Report',
  reportTitle: 'Regional report',
  from: 'From',
  to: 'To (not included)',
  downloadCsv: 'Download CSV',
  servicesByCategory: 'Services by category',
  casesByStage: 'Cases by stage (now)',
  missedByWeek: 'Deadlines missed, week by week',
  weekOf: 'week of {date}',
  approached: 'Approached',
  casesOpened: 'Cases opened',
  activeCases: 'Active',
  casesClosed: 'Closed',
  closedPositive: 'Closed with a positive outcome',
  noRows: 'Nothing in this period.',
  escalations: 'Escalations',
  noEscalations: 'No escalations.',
  approvals: 'Waiting for approval',
  noApprovals: 'Nothing is waiting.',
  lateBy: '{time} late',
  answerBy: 'answer by {time}',
  planWaiting: 'plan waiting for approval',
  closureWaiting: 'closure requested',
  hoursShort: '{n} h',
  minutesShort: '{n} min',
  daysShort: '{n} d',
  noActions: 'Nothing is needed from you now.',
  chooseShape: 'Which',
  onePerLine: 'One per line',
  add: 'Add',
  remove: 'Remove',
  send: 'Send',
  cancel: 'Cancel',
  done: 'Done.',
  openCase: 'Open a case',
  openedCase: 'The case is open.',
  client: 'Person',
  household: 'Household',
  referrals: 'Referrals',
  services: 'Services',
  plan: 'Plan',
  reviews: 'Reviews',
  goals: 'Goals',
  planStatus: 'Plan status',
  none: 'None.',
  clientRole: 'client',
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

/** `t(key, values)` for one language, as every screen calls it. */
export const translator = (lang: Language) => (key: WordKey, values: Record<string, string | number> = {}) => translate(lang, key, values);

/** Dates as people of the language write them, in the service's time zone, with the zone shown. */
export function formatDateTime(lang: Language, iso: string, timeZone = 'Europe/Kyiv'): string {
  return new Intl.DateTimeFormat(lang === 'uk' ? 'uk-UA' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(new Date(iso));
}

// ---- the words of the API's own vocabulary: commands, fields, values, refusals -------------------
// Anything not listed shows as its API name made readable (recordContact → "record contact").

const commands: Record<Language, Record<string, string>> = {
  uk: {
    recordContact: 'Записати контакт', recordConsent: 'Записати згоду', screen: 'Рішення за зверненням', submitAssessment: 'Подати оцінку потреб',
    submitPlan: 'Подати індивідуальний план', approvePlan: 'Затвердити план', returnPlan: 'Повернути план', sendReferral: 'Надіслати направлення',
    answerReferral: 'Відповідь на направлення', recordService: 'Записати послугу', recordServices: 'Записати послуги візиту', recordReview: 'Записати перегляд',
    requestClosure: 'Запит на закриття', approveClosure: 'Затвердити закриття', returnClosure: 'Повернути закриття', recordCheckIn: 'Записати контрольний контакт',
    reopen: 'Відкрити знову', assignTeam: 'Призначити команду', extendDeadline: 'Продовжити строк', answerEscalation: 'Відповісти на ескалацію',
  },
  en: {},
};
const fields: Record<Language, Record<string, string>> = {
  uk: {
    channel: 'Канал', contactedAt: 'Коли був контакт', occurredAt: 'Коли це було', dataProcessing: 'Згода на обробку персональних даних',
    shareWith: 'Ділитися даними з (постачальники)', withdrawSharing: 'Більше не ділитися з', decision: 'Рішення', priority: 'Пріоритет',
    services: 'Послуги', category: 'Категорія', needs: 'Потреби', domain: 'Сфера', level: 'Рівень', description: 'Опис', strengths: 'Сильні сторони',
    resources: 'Ресурси', goals: 'Цілі', goalId: 'Номер цілі', actions: 'Кроки', actionId: 'Номер кроку', responsible: 'Відповідальний', dueDate: 'До дати',
    clientAgreement: 'Згода особи з планом', agreedAt: 'Коли погоджено', form: 'Форма згоди', note: 'Примітка', comments: 'Коментарі', referralId: 'Номер направлення',
    providerId: 'Постачальник', reason: 'Причина', answer: 'Відповідь', serviceId: 'Номер послуги', deliveredAt: 'Коли надано', outcome: 'Результат',
    summary: 'Підсумок', deadlineId: 'Строк', extension: 'Продовження', until: 'До', by: 'На', workingDays: 'Робочих днів', hours: 'Годин', days: 'Днів',
    months: 'Місяців', caseManagerId: 'Фахівець', supervisorId: 'Супервізор', members: 'Учасники команди', staffId: 'Працівник', role: 'Роль',
    teamModel: 'Модель команди', escalationId: 'Ескалація', region: 'Регіон', hromada: 'Громада', source: 'Джерело звернення', client: 'Особа',
    fullName: 'Прізвище, ім’я', name: 'Прізвище, ім’я', login: 'Логін', birthDate: 'Дата народження', phone: 'Телефон', displacementStatus: 'Статус', household: 'Домогосподарство', relation: 'Ким доводиться',
  },
  en: {},
};
const values: Record<Language, Record<string, string>> = {
  uk: {
    phone: 'Телефон', in_person: 'Особисто', online: 'Онлайн', outreach: 'Виїзна робота', open_case: 'Взяти у ведення випадку', one_off_service: 'Разова послуга',
    low: 'Низький', medium: 'Середній', high: 'Високий', routine: 'Звичайний', urgent: 'Терміновий', crisis: 'Кризовий',
    material: 'Матеріальна', housing: 'Житло', health: 'Здоров’я', legal: 'Правова (у т.ч. документи)', psychological: 'Психологічна', education: 'Освіта',
    educational: 'Освітня', employment: 'Зайнятість', protection: 'Захист і безпека', family: 'Сім’я', information: 'Інформаційна', medical: 'Медична', other: 'Інше',
    accepted: 'Прийнято', declined: 'Відхилено', completed: 'Виконано', continue: 'Продовжити', reassess: 'Переоцінити', close: 'Закрити',
    positive: 'Позитивний', partial: 'Частковий', none: 'Немає', goals_achieved: 'Цілі досягнуто', client_declined: 'Особа відмовилася', moved: 'Переїхала',
    transferred: 'Передано', died: 'Померла', signed_agreement: 'Підписана згода', verbal: 'Усна', idp: 'ВПО', returnee: 'Повернулася', host_community: 'Приймальна громада',
    first_contact: 'Перший контакт', screening: 'Рішення за зверненням', assessment: 'Оцінка потреб', plan: 'План', plan_approval: 'Затвердження плану',
    referral_ack: 'Відповідь на направлення', review: 'Перегляд', support_limit: 'Межа підтримки', escalation_response: 'Відповідь на ескалацію',
    closure_approval: 'Затвердження закриття', post_closure_check_in: 'Контроль після закриття',
    hotline: 'Гаряча лінія', walk_in: 'Особисте звернення', referral: 'Направлення', case_manager: 'Фахівець', supervisor: 'Супервізор', head: 'Керівник', admin: 'Адміністратор',
    acknowledge: 'Взято до відома', extend: 'Продовжити строк', reassign: 'Передати іншому фахівцю', schedule_conference: 'Скликати нараду щодо випадку',
    sent: 'Надіслано', pending_approval: 'Чекає затвердження', approved: 'Затверджено', returned: 'Повернуто', propose_closure: 'Запропонувати закриття', stale: 'Без відповіді', open: 'Відкрита', acknowledged: 'Взята до відома', resolved: 'Вирішена',
  },
  en: {},
};
// What happened to a case, as its timeline says it.
const events: Record<Language, Record<string, string>> = {
  uk: {
    case_opened: 'Звернення зареєстровано', contact_recorded: 'Контакт', consent_recorded: 'Згода', one_off_service_given: 'Разова послуга',
    case_opened_for_management: 'Взято у ведення випадку', assessment_submitted: 'Оцінку потреб подано', plan_submitted: 'План подано',
    plan_approved: 'План затверджено', plan_returned: 'План повернуто', referral_sent: 'Направлення надіслано', referral_accepted: 'Направлення прийнято',
    referral_declined: 'Направлення відхилено', referral_completed: 'Направлення виконано', referral_stale: 'Направлення без відповіді',
    service_recorded: 'Послугу надано', review_recorded: 'Перегляд', reassessment_started: 'Повторна оцінка', closure_requested: 'Запит на закриття',
    case_closed: 'Випадок закрито', closure_returned: 'Закриття повернуто', post_closure_check_in: 'Контроль після закриття', check_in_due: 'Час контролю',
    case_reopened: 'Випадок відкрито знову', team_changed: 'Команду змінено', deadline_extended: 'Строк продовжено', reminder: 'Нагадування',
    escalation_opened: 'Ескалація', escalation_raised: 'Ескалацію передано керівнику', escalation_answered: 'Відповідь на ескалацію',
    escalation_resolved: 'Ескалацію вирішено', escalation_unanswered: 'Ескалація без відповіді',
  },
  en: {},
};
export const eventLabel = (lang: Language, type: string) => events[lang][type] ?? readable(type).replace(/^./, (c) => c.toUpperCase());

const refusals: Record<Language, Record<string, string>> = {
  uk: {
    invalid_type: 'Заповніть це поле.', too_small: 'Замало або закоротко.', too_big: 'Забагато або задовго.', invalid_value: 'Оберіть одне з можливих значень.',
    invalid_format: 'Неправильний формат.', unrecognized_keys: 'Цього поля тут немає.', invalid_characters: 'Містить символи, яких не можна зберегти.',
    invalid_union: 'Оберіть один із варіантів.', out_of_range: 'Дата поза дозволеними межами.',
  },
  en: {},
};

const readable = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
export const commandLabel = (lang: Language, name: string) => commands[lang][name] ?? readable(name).replace(/^./, (c) => c.toUpperCase());
export const fieldLabel = (lang: Language, name: string) => fields[lang][name] ?? readable(name).replace(/^./, (c) => c.toUpperCase());
export const valueLabel = (lang: Language, value: string) => values[lang][value] ?? readable(value);
/** A refusal in the user's language by its code; the API's own message where there is no word for it. */
export const refusalText = (lang: Language, code: string | undefined, message: string) => (code && refusals[lang][code]) || message;

