/**
 * The parties of the operator's tenant (GET /api/v1/parties), filtered as the operator types; choosing one shows
 * its people and keys.
 */
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useResource } from '../api/use-resource';
import { TextField } from '../components/field';
import { ProblemPanel } from '../components/problem-panel';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router/router';

interface DirectoryParty {
  id: string;
  kind: string;
  name: string;
  roles: string[];
}

export function PartyDirectory({ current }: { current: string }) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const [filter, setFilter] = useState('');
  // Ask again only when the operator pauses typing.
  useEffect(() => {
    const timer = setTimeout(() => setFilter(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const parties = useResource(
    (signal) => api.get<{ parties: DirectoryParty[] }>('/parties', { q: filter === '' ? undefined : filter, limit: 50 }, signal),
    `parties:${filter}`,
  );

  return (
    <section className="card" aria-labelledby="directory-heading">
      <h2 id="directory-heading">{t('team.directory')}</h2>
      <TextField id="directory-filter" label={t('team.directoryFilter')} hint={t('team.directoryHint')} value={typed} onValue={setTyped} spellCheck={false} />
      {parties.error !== undefined && <ProblemPanel error={parties.error} context={t('team.directory')} onRetry={parties.reload} />}
      {parties.data !== undefined && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('team.directory')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('team.party')}</th>
                <th scope="col">{t('team.name')}</th>
                <th scope="col">{t('team.kind')}</th>
              </tr>
            </thead>
            <tbody>
              {parties.data.parties.map((party) => (
                <tr key={party.id} aria-current={party.id === current ? 'true' : undefined}>
                  <td>
                    <Link to={`/team?party=${encodeURIComponent(party.id)}`}>{party.id}</Link>
                  </td>
                  <td>{party.name}</td>
                  <td>{t(`team.kind.${party.kind === 'agency' ? 'agency' : party.kind === 'operator' ? 'operator' : 'enterprise'}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {parties.data.parties.length === 0 && <p>{t('team.directoryEmpty')}</p>}
        </div>
      )}
    </section>
  );
}
