/**
 * The frame of every page: skip link, header (brand, who is signed in, language, sign out), the main navigation
 * (a menu button at narrow widths and high zoom), the status region pages announce results in, and the footer.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { htmlLang, useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/en';
import { loadPlatformTimeZone } from '../i18n/time';
import { Link, useLocation } from '../router/router';
import { abilitiesOf, useSessionState, type Session } from '../session/session';

type Announce = (message: string) => void;
const AnnounceContext = createContext<Announce>(() => undefined);

/**
 * Says a result (submitted, decided, cancelled, not submitted) in the layout's status region: a polite live
 * region that exists before the message, so screen readers read it even when the page changes at once.
 */
export function useAnnounce(): Announce {
  return useContext(AnnounceContext);
}

function useAnnouncer(): { readonly message: string; readonly announce: Announce } {
  const [message, setMessage] = useState('');
  const timer = useRef<number | undefined>(undefined);
  const announce = useCallback<Announce>((next) => {
    // Emptied first, so that the same words said twice are announced twice.
    setMessage('');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setMessage(next), 50);
  }, []);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return { message, announce };
}

/**
 * Tables reflow into one card per row when their box is narrow (styles.css, container query on .table-wrap);
 * each cell then shows its column's header, which this copies into the cell's data-label for every table in
 * `root`, whatever page drew it.
 */
function useColumnLabels(root: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = root.current;
    if (element === null) return undefined;
    let frame = 0;
    const label = () => {
      frame = 0;
      for (const table of element.querySelectorAll('table')) {
        const headers = Array.from(table.querySelectorAll('thead tr:first-child > th'), (header) => header.textContent?.trim() ?? '');
        for (const row of table.querySelectorAll('tbody > tr'))
          Array.from(row.children).forEach((cell, index) => {
            const text = headers[index] ?? '';
            if (cell.getAttribute('data-label') !== text) cell.setAttribute('data-label', text);
          });
      }
    };
    const observer = new MutationObserver(() => {
      if (frame === 0) frame = window.requestAnimationFrame(label);
    });
    observer.observe(element, { childList: true, subtree: true, characterData: true });
    label();
    return () => {
      observer.disconnect();
      window.cancelAnimationFrame(frame);
    };
  }, [root]);
}

interface NavItem {
  readonly to: string;
  readonly label: MessageKey;
}

/** The navigation a session gets: the pages of what the API permits it (GET /api/v1/session/permissions). */
export function navigationFor(session: Session): readonly NavItem[] {
  const can = abilitiesOf(session);
  const items: NavItem[] = [];
  if (can.operate) items.push({ to: '/dashboard', label: 'nav.dashboard' });
  if (can.declare) items.push({ to: '/declarations/new', label: 'nav.newDeclaration' });
  if (can.may('draft.read')) items.push({ to: '/drafts', label: 'nav.drafts' });
  if (can.decide) items.push({ to: '/worklist', label: 'nav.worklist' });
  else if (can.may('submission.read')) items.push({ to: '/submissions', label: 'nav.submissions' });
  if (can.may('ledger.read')) items.push({ to: '/licences', label: 'nav.licences' });
  if (can.may('tracking.read')) items.push({ to: '/tracking', label: 'nav.tracking' });
  // An operator manages the parties of its tenant; anyone else its own party's people.
  if (can.administer) items.push({ to: '/team', label: can.may('party.directory') ? 'nav.parties' : 'nav.team' });
  items.push({ to: '/account', label: 'nav.account' });
  return items;
}

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  const other = language === 'zh' ? 'en' : 'zh';
  // The visible word is part of the button's name (WCAG 2.5.3): "Language: switch to Chinese 中文".
  return (
    <button type="button" className="button link language" onClick={() => setLanguage(other)}>
      <span className="visually-hidden">{t('language.switch')} </span>
      <span lang={htmlLang(other)}>{other === 'zh' ? '中文' : 'English'}</span>
    </button>
  );
}

function Brand() {
  const { t } = useI18n();
  return (
    <Link to="/" className="brand">
      <span className="brand-mark" aria-hidden="true" lang="zh-CN">
        口岸
      </span>
      <span className="brand-name">
        <span lang="en">Kouan</span>
        <span className="brand-sub">{t('app.subtitle')}</span>
      </span>
    </Link>
  );
}

/** The main navigation; below 48rem (a phone, or 200 % zoom and more) it folds behind a menu button. */
function SiteNav({ items, path }: { readonly items: readonly NavItem[]; readonly path: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  // Following a link closes the menu: the new page's heading takes the focus.
  useEffect(() => setOpen(false), [path]);
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open) return;
    setOpen(false);
    button.current?.focus();
  };
  return (
    <nav aria-label={t('nav.label')} className={`site-nav${open ? ' open' : ''}`} onKeyDown={closeOnEscape}>
      <button type="button" ref={button} className="menu-button" aria-expanded={open} aria-controls="site-nav-list" onClick={() => setOpen((value) => !value)}>
        <span className="menu-icon" aria-hidden="true" />
        {t('a11y.menu')}
      </button>
      <ul id="site-nav-list">
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
  );
}

export function Layout({ children }: { readonly children: ReactNode }) {
  const { t } = useI18n();
  const { state, signOut } = useSessionState();
  const { path } = useLocation();
  const session = state.status === 'signed-in' ? state.session : undefined;
  const items = useMemo(() => (session === undefined ? [] : navigationFor(session)), [session]);
  const { message, announce } = useAnnouncer();
  const main = useRef<HTMLElement>(null);
  useColumnLabels(main);
  const signedIn = session !== undefined;
  useEffect(() => {
    if (signedIn) loadPlatformTimeZone();
  }, [signedIn]);
  return (
    <AnnounceContext.Provider value={announce}>
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
        {items.length > 0 && <SiteNav items={items} path={path} />}
      </header>
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" aria-label={t('a11y.announcements')} id="announcements">
        {message}
      </div>
      <main id="main" tabIndex={-1} ref={main}>
        {children}
      </main>
      <footer className="site-footer">
        <p>
          {t('footer.text')} · <a href="/docs">{t('footer.api')}</a>
        </p>
      </footer>
    </AnnounceContext.Provider>
  );
}
