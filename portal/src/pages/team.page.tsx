/**
 * The people and API keys of a party: a party's admins manage their own, operators any party of their tenant
 * (GET/POST /api/v1/users, /api/v1/keys). A new key's secret is shown once, as the API gives it once.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { TextField } from '../components/field';
import { Page } from '../components/page';
import { useI18n } from '../i18n/i18n';
import { navigate, useLocation } from '../router/router';
import { abilitiesOf, useSession } from '../session/session';
import { KeysSection } from '../team/keys-section';
import { PartyDirectory } from '../team/party-directory';
import { UsersSection } from '../team/users-section';

export function TeamPage() {
  const { t } = useI18n();
  const session = useSession();
  const { me } = session;
  const { query } = useLocation();
  // Whoever may look up the tenant's parties (an operator) manages any of them; anyone else its own party.
  const operator = abilitiesOf(session).may('party.directory');
  const party = operator ? (query.get('party') ?? me.party) : me.party;
  const [partyInput, setPartyInput] = useState(party);
  // A party chosen in the directory (or by the address) is the one the box shows.
  useEffect(() => setPartyInput(party), [party]);

  const choose = (event: FormEvent) => {
    event.preventDefault();
    const chosen = partyInput.trim();
    if (chosen !== '') navigate(`/team?party=${encodeURIComponent(chosen)}`, { replace: true });
  };

  return (
    <Page title={operator ? t('team.operatorTitle') : t('team.title')} lead={<p>{operator ? t('team.operatorLead') : t('team.lead')}</p>}>
      {operator && <PartyDirectory current={party} />}
      {operator && (
        <form className="card search" onSubmit={choose} role="search">
          <TextField id="team-party" label={t('team.party')} hint={t('team.partyHint')} value={partyInput} onValue={setPartyInput} spellCheck={false} />
          <div className="actions">
            <button type="submit" className="button primary">
              {t('team.show')}
            </button>
          </div>
        </form>
      )}
      <UsersSection key={`users:${party}`} party={party} operator={operator} />
      <KeysSection key={`keys:${party}`} party={party} operator={operator} />
    </Page>
  );
}
