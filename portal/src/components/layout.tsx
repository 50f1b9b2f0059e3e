import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/en';
import { Link, useLocation } from '../router/router';
import { abilitiesOf, useSessionState, type Session } from '../session/session';

interface NavItem {
  readonly to: string;
  readonly label: MessageKey;
}

/** The navigation a session gets: what its kind of party and its roles may do (the API still decides). */
export function navigationFor(session: Session): readonly NavItem[] {
  const can = abilitiesOf(session);
  const items: NavItem[] = [];
  switch (session.me.kind) {
    case 'enterprise':
      if (can.declare) items.push({ to: '/declarations/new', label: 'nav.newDeclaration' }, { to: '/drafts', label: 'nav.drafts' });
      items.push({ to: '/submissions', label: 'nav.submissions' }, { to: '/licences', label: 'nav.licences' });
      break;
    case 'agency':
      items.push({ to: '/worklist', label: 'nav.worklist' }, { to: '/licences', label: 'nav.licences' });
      break;
    case 'operator':
      items.push({ to: '/dashboard', label: 'nav.dashboard' }, { to: '/submissions', label: 'nav.submissions' });
      break;
  }
  items.push({ to: '/tracking', label: 'nav.tracking' });
  if (can.administer) items.push({ to: '/team', label: session.me.kind === 'operator' ? 'nav.parties' : 'nav.team' });
  return items;
}

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  const other = language === 'zh' ? 'en' : 'zh';
  return (
    <button type="button" className="button link language" onClick={() => setLanguage(other)} aria-label={t('language.switch')}>
      <span lang={other === 'zh' ? 'zh-CN' : 'en'}>{other === 'zh' ? '中文' : 'English'}</span>
    </button>
  );
}

function Brand() {
  const { t } = useI18n();
  return (
    <Link to="/" className="brand">
      <span className="brand-mark" aria-hidden="true">
        口岸
      </span>
      <span className="brand-name">
        Kouan
        <span className="brand-sub">{t('app.subtitle')}</span>
      </span>
    </Link>
  );
}

export function Layout({ children }: { readonly children: ReactNode }) {
  const { t } = useI18n();
  const { state, signOut } = useSessionState();
  const { path } = useLocation();
  const session = state.status === 'signed-in' ? state.session : undefined;
  const items = session === undefined ? [] : navigationFor(session);
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skip')}
      </a>
      <header className="site-header">
        <div className="bar">
          <Brand />
          <div className="account">
            {session !== undefined && (
              <span className="who">
                <span className="who-name">{session.user.name}</span>
                <span className="who-party">
                  {t(`kind.${session.me.kind}`)} · {session.me.party}
                </span>
              </span>
            )}
            <LanguageSwitch />
            {session !== undefined && (
              <button type="button" className="button secondary small" onClick={() => void signOut()}>
                {t('action.signOut')}
              </button>
            )}
          </div>
        </div>
        {items.length > 0 && (
          <nav aria-label={t('nav.label')} className="site-nav">
            <ul>
              {items.map((item) => {
                const current = path === item.to || (item.to !== '/' && path.startsWith(`${item.to}/`));
                return (
                  <li key={item.to}>
                    <Link to={item.to} aria-current={current ? 'page' : undefined}>
                      {t(item.label)}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>
          {t('footer.text')} · <a href="/docs">{t('footer.api')}</a>
        </p>
      </footer>
    </>
  );
}
