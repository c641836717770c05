import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, setCsrfToken, type Session } from './api';
import { App } from './app-context';
import { initialLanguage, saveLanguage, translator, type Language } from './i18n';
import { CaseView } from './screens/CaseView';
import { Caseload } from './screens/Caseload';
import { SignIn } from './screens/SignIn';
import { ChangePassword } from './screens/ChangePassword';
import { Queue } from './screens/Queue';
import { Report } from './screens/Report';
import { Inbox } from './screens/Inbox';
import { Staff } from './screens/Staff';
import './styles.css';

const BASE = '/console/';

/** The console's own paths, under /console/: '' (the caseload), 'queue' and 'cases/<id>'. */
function route(): { screen: 'caseload' | 'queue' | 'report' | 'inbox' | 'staff' } | { screen: 'case'; caseId: string } {
  const rest = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : '';
  const m = /^cases\/([0-9a-f-]{36})$/.exec(rest);
  if (m) return { screen: 'case', caseId: m[1]! };
  return rest === 'queue' || rest === 'report' || rest === 'inbox' || rest === 'staff'
    ? { screen: rest }
    : { screen: 'caseload' };
}

function Console() {
  const [lang, setLang] = useState<Language>(initialLanguage);
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [where, setWhere] = useState(route);
  const t = translator(lang);

  useEffect(() => {
    saveLanguage(lang);
  }, [lang]);
  useEffect(() => {
    const onPop = () => setWhere(route());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  useEffect(() => {
    api<Session>('GET', '/v1/sessions/current').then(
      (s) => {
        setCsrfToken(s.csrfToken);
        setSession(s);
      },
      // 401: nobody is signed in in this browser; anything else also leads to the sign-in form.
      () => setSession(null),
    );
  }, []);

  const navigate = useCallback((path: string) => {
    history.pushState(null, '', BASE + path);
    setWhere(route());
    scrollTo(0, 0);
  }, []);

  const signOut = async () => {
    await api('DELETE', '/v1/sessions/current').catch(() => undefined);
    setCsrfToken(undefined);
    setSession(null);
  };

  const languageSwitch = (
    <label className="language">
      <span className="visually-hidden">{t('language')}</span>
      <select value={lang} onChange={(e) => setLang(e.target.value as Language)} aria-label={t('language')}>
        <option value="uk">Українська</option>
        <option value="en">English</option>
      </select>
    </label>
  );

  if (session === undefined) return <p className="loading">{t('loading')}</p>;
  if (session === null) {
    return (
      <>
        <header className="top">
          <span className="brand">{t('appName')}</span>
          {languageSwitch}
        </header>
        <main>
          <SignIn
            lang={lang}
            onSignedIn={(s) => {
              setCsrfToken(s.csrfToken);
              setSession(s);
            }}
          />
        </main>
      </>
    );
  }
  return (
    <App.Provider value={{ lang, session, navigate }}>
      <header className="top">
        <a className="brand" href={BASE} onClick={(e) => (e.preventDefault(), navigate(''))}>
          {t('appName')}
        </a>
        <nav aria-label={t('appName')}>
          <a
            href={BASE}
            onClick={(e) => (e.preventDefault(), navigate(''))}
            aria-current={where.screen === 'caseload' ? 'page' : undefined}
          >
            {t('caseload')}
          </a>
          {session.role !== 'case_manager' && (
            <a
              href={`${BASE}queue`}
              onClick={(e) => (e.preventDefault(), navigate('queue'))}
              aria-current={where.screen === 'queue' ? 'page' : undefined}
            >
              {t('queue')}
            </a>
          )}
          <a
            href={`${BASE}inbox`}
            onClick={(e) => (e.preventDefault(), navigate('inbox'))}
            aria-current={where.screen === 'inbox' ? 'page' : undefined}
          >
            {t('inbox')}
          </a>
          {session.role !== 'case_manager' && (
            <a
              href={`${BASE}report`}
              onClick={(e) => (e.preventDefault(), navigate('report'))}
              aria-current={where.screen === 'report' ? 'page' : undefined}
            >
              {t('report')}
            </a>
          )}
          {session.role === 'admin' && (
            <a
              href={`${BASE}staff`}
              onClick={(e) => (e.preventDefault(), navigate('staff'))}
              aria-current={where.screen === 'staff' ? 'page' : undefined}
            >
              {t('staff')}
            </a>
          )}
        </nav>
        <span className="who">{session.name}</span>
        {languageSwitch}
        <button type="button" className="link" onClick={() => void signOut()}>
          {t('signOut')}
        </button>
      </header>
      <main>
        {session.mustChangePassword ? (
          <ChangePassword lang={lang} onChanged={() => setSession({ ...session, mustChangePassword: false })} />
        ) : where.screen === 'case' ? (
          <CaseView caseId={where.caseId} />
        ) : where.screen === 'queue' ? (
          <Queue />
        ) : where.screen === 'report' ? (
          <Report />
        ) : where.screen === 'inbox' ? (
          <Inbox />
        ) : where.screen === 'staff' ? (
          <Staff />
        ) : (
          <Caseload />
        )}
      </main>
    </App.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Console />
  </StrictMode>,
);
