import { useEffect, useState } from 'react';
import { api } from '../api';
import { useApp } from '../app-context';
import { translate, valueLabel, type Language } from '../i18n';
import { serviceCategories, stages } from '../../../domain/vocabulary';

interface Row {
  region: string;
  regionName?: { uk: string; en: string };
  approached: number;
  casesOpened: number;
  activeCases: number;
  casesClosed: number;
  closedPositive: number;
  services: Record<string, number>;
}

const kyivDate = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Kyiv' });
function thisMonth(): { from: string; to: string } {
  const [y, m] = kyivDate(new Date()).split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { from: `${y}-${String(m).padStart(2, '0')}-01`, to: next };
}

/** The head's view: the regional report for a period, services by category as a chart, and the CSV funders ask for. */
export function Report() {
  const { t, lang } = useApp();
  const [period, setPeriod] = useState(thisMonth);
  const [rows, setRows] = useState<Row[]>();
  const [overview, setOverview] = useState<{
    byStage: Record<string, number>;
    missedByWeek: { week: string; missed: number }[];
  }>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!(period.from < period.to)) return;
    setError(undefined);
    api<{ rows: Row[] }>('GET', `/v1/reports/regional?from=${period.from}&to=${period.to}`).then(
      (r) => setRows(r.rows),
      (e: Error) => setError(e.message),
    );
    api<NonNullable<typeof overview>>('GET', `/v1/reports/overview?from=${period.from}&to=${period.to}`).then(
      setOverview,
      (e: Error) => setError(e.message),
    );
  }, [period]);

  const totals = serviceCategories.map((c) => ({
    label: valueLabel(lang, c),
    n: (rows ?? []).reduce((sum, r) => sum + (r.services[c] ?? 0), 0),
  }));
  const csv = `/v1/reports/regional?from=${period.from}&to=${period.to}&format=csv&lang=${lang === 'uk' ? 'uk' : 'en'}`;
  return (
    <section aria-labelledby="report-title">
      <h1 id="report-title">{t('reportTitle')}</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('from')}
          <input type="date" value={period.from} onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))} />
        </label>
        <label>
          {t('to')}
          <input type="date" value={period.to} onChange={(e) => setPeriod((p) => ({ ...p, to: e.target.value }))} />
        </label>
        <a className="button" href={csv} download>
          {t('downloadCsv')}
        </a>
      </form>
      {error && (
        <p role="alert" className="error">
          {t('errorTitle')}: {error}
        </p>
      )}
      {overview && (
        <>
          <h2 id="stage-chart">{t('casesByStage')}</h2>
          <Bars
            labelledBy="stage-chart"
            items={stages.map((s) => ({ label: t(`stage.${s}`), n: overview.byStage[s] ?? 0 }))}
          />
          <h2 id="missed-chart">{t('missedByWeek')}</h2>
          <Bars
            labelledBy="missed-chart"
            items={overview.missedByWeek.map((w) => ({ label: weekLabel(lang, w.week), n: w.missed }))}
          />
        </>
      )}
      {rows?.length === 0 && <p>{t('noRows')}</p>}
      {rows && rows.length > 0 && (
        <>
          <h2 id="services-chart">{t('servicesByCategory')}</h2>
          <Bars labelledBy="services-chart" items={totals} />
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('reportTitle')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('region')}</th>
                  <th scope="col">{t('approached')}</th>
                  <th scope="col">{t('casesOpened')}</th>
                  <th scope="col">{t('activeCases')}</th>
                  <th scope="col">{t('casesClosed')}</th>
                  <th scope="col">{t('closedPositive')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.region}>
                    <th scope="row">{r.regionName ? r.regionName[lang] : r.region}</th>
                    <td>{r.approached}</td>
                    <td>{r.casesOpened}</td>
                    <td>{r.activeCases}</td>
                    <td>{r.casesClosed}</td>
                    <td>{r.closedPositive}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** A bar chart as a list: each bar's label and number are text (read aloud, printed, zoomed); the bar itself is drawn. */
function Bars({ labelledBy, items }: { labelledBy: string; items: { label: string; n: number }[] }) {
  const max = Math.max(1, ...items.map((x) => x.n));
  return (
    <ul className="bars" aria-labelledby={labelledBy}>
      {items.map((x) => (
        <li key={x.label}>
          <span className="bar-label">{x.label}</span>
          <span className="bar" style={{ width: `${(100 * x.n) / max}%` }} aria-hidden="true" />
          <span className="bar-value">{x.n}</span>
        </li>
      ))}
    </ul>
  );
}

function weekLabel(lang: Language, week: string): string {
  const date = new Date(`${week}T12:00:00Z`).toLocaleDateString(lang === 'uk' ? 'uk-UA' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
  return translate(lang, 'weekOf', { date });
}
