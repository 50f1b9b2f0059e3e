import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * The path whose heading last took the focus. The page the browser opened on needs no move; a page reached by a
 * link does, once (not again when its data arrives and it renders anew).
 */
let focusedPath = window.location.pathname;
/**
 * Set when a page goes away while its heading (or anything in it) has the focus: the "loading" page of a
 * declaration replaced by the declaration itself. The page that follows takes the focus over, so that it never
 * falls to <body>.
 */
let handOver = false;
/** Whether the person has used keyboard or pointer yet: before that, a page opened by the address keeps the browser's start. */
let interacted = false;
const noteInteraction = () => {
  interacted = true;
};
window.addEventListener('keydown', noteInteraction, { capture: true, once: true });
window.addEventListener('pointerdown', noteInteraction, { capture: true, once: true });

interface PageProps {
  readonly title: string;
  readonly lead?: ReactNode;
  readonly actions?: ReactNode;
  readonly children: ReactNode;
}

/**
 * A page: its heading takes the focus when the page opens (so a screen reader announces where a link led, and
 * the keyboard starts from the top of the new content) and names the browser tab.
 */
export function Page({ title, lead, actions, children }: PageProps) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('app.title')}`;
  }, [title, t]);
  useEffect(() => {
    const lost = handOver && (document.activeElement === null || document.activeElement === document.body);
    handOver = false;
    if (window.location.pathname === focusedPath && !lost) return;
    focusedPath = window.location.pathname;
    heading.current?.focus();
  }, []);
  // A layout effect's cleanup runs before React takes the page out of the document: the focus is still inside.
  useLayoutEffect(
    () => () => {
      // Inside the page, or already dropped to <body> (a button disabled while it worked, as signing in does).
      const active = document.activeElement;
      if (section.current?.contains(active) === true || (interacted && (active === null || active === document.body))) handOver = true;
    },
    [],
  );
  return (
    <section className="page" aria-labelledby="page-title" ref={section}>
      <header className="page-header">
        <h1 id="page-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions !== undefined && <div className="page-actions">{actions}</div>}
      </header>
      {lead !== undefined && <div className="lead">{lead}</div>}
      {children}
    </section>
  );
}

export function Loading({ label }: { readonly label?: string }) {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {label ?? t('loading')}
    </p>
  );
}
